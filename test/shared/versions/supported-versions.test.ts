import t from 'tap'
import type { GatewayError } from '../../../shared/errors.ts'
import { supportedVersionsConfigMapData } from '../../../services/sim/hypershift/supported-versions.ts'
import { readSupportedVersions, versionVerdict } from '../../../shared/versions/supported-versions.ts'
import { compareMinor, inMinorRange, minorString, parseMinor } from '../../../shared/versions/minor.ts'

t.test('minor versions', async t => {
  t.same(parseMinor('4.19.3'), { major: 4, minor: 19 })
  t.same(parseMinor('v4.14'), { major: 4, minor: 14 })
  t.same(parseMinor('4.18.0-rc.1'), { major: 4, minor: 18 })
  t.equal(parseMinor('four'), null)
  t.equal(minorString('4.19.3-multi'), '4.19')
  t.ok(compareMinor('4.9', '4.14') < 0, 'numeric, not lexical')
  t.ok(inMinorRange('4.16.2', { min: '4.14', max: '4.19' }))
  t.notOk(inMinorRange('4.20', { min: '4.14', max: '4.19' }))
  t.throws(() => compareMinor('x', '4.1'), TypeError)
})

t.test('reads what the HyperShift Operator (and our twin) writes', async t => {
  const data = supportedVersionsConfigMapData()
  const supported = readSupportedVersions(data)
  t.same(supported.versions, ['4.19', '4.18', '4.17', '4.16', '4.15', '4.14'])
  t.equal(supported.latest, '4.19')
  t.equal(supported.minimum, '4.14')
  t.equal(supported.serverVersion, data['server-version'])

  const upstreamExample = readSupportedVersions({ 'supported-versions': '{"versions":["4.19"]}' })
  t.same(upstreamExample, { versions: ['4.19'], latest: '4.19', minimum: '4.19', serverVersion: null })
  t.same(readSupportedVersions({ 'supported-versions': '{"versions":["4.14","4.19.0","4.9","4.19"]}' }).versions, ['4.19', '4.14', '4.9'], 'sorted, deduplicated')
})

t.test('a malformed ConfigMap is an upstream error that says what is wrong', async t => {
  for (const [data, message] of [
    [undefined, /no supported-versions key/],
    [{}, /no supported-versions key/],
    [{ 'supported-versions': '{' }, /invalid JSON/],
    [{ 'supported-versions': '{"versions":[]}' }, /no versions list/],
    [{ 'supported-versions': 'null' }, /no versions list/],
    [{ 'supported-versions': '{"versions":["latest"]}' }, /"latest", which is not a version/]
  ] as const) {
    const err = t.throws(() => readSupportedVersions(data as Record<string, string> | undefined)) as GatewayError
    t.equal(err.code, 'GW_ERR_UPSTREAM')
    t.match(err.message, message)
  }
})

t.test('operator support and the MCE window are separate verdicts', async t => {
  const supported = readSupportedVersions(supportedVersionsConfigMapData())
  t.same(versionVerdict('4.19.2', supported), { version: '4.19.2', operatorSupported: true, mceSupported: true, warnings: [] })
  t.equal(versionVerdict('4.17.0', supported).mceSupported, true, 'newest minus 2')
  const old = versionVerdict('4.16.9', supported)
  t.equal(old.operatorSupported, true)
  t.equal(old.mceSupported, false)
  t.match(old.warnings, [/outside the MCE support window/])
  t.same(versionVerdict('4.20.0', supported), { version: '4.20.0', operatorSupported: false, mceSupported: false, warnings: [] })
  t.equal((t.throws(() => versionVerdict('latest', supported)) as GatewayError).code, 'GW_ERR_VALIDATION')
})
