import t from 'tap'
import { maxNodePoolMinorSkew, nodePoolSkewError } from '../../../../shared/hypershift/day2/version-skew.ts'
import { clusterVersion, compareVersions, nodePoolVersions, parseReleaseImage, parseVersion, releaseImageError, type Version } from '../../../../shared/hypershift/day2/release.ts'
import { isRfc3339 } from '../../../../shared/hypershift/day2/syntax.ts'

const v = (text: string): Version => {
  const parsed = parseVersion(text)
  if (parsed === null) throw new Error(`bad version ${text}`)
  return parsed
}
const IMG = 'quay.io/openshift-release-dev/ocp-release'

t.test('even control-plane minors allow two minors of skew, odd ones one', async t => {
  t.equal(maxNodePoolMinorSkew(18), 2)
  t.equal(maxNodePoolMinorSkew(17), 1)
  t.equal(nodePoolSkewError(v('4.18.3'), v('4.16.9')), null)
  t.match(nodePoolSkewError(v('4.18.3'), v('4.15.9')), /more than 2 minor versions older than the 4.18 control plane \(oldest supported: 4.16\)/)
  t.equal(nodePoolSkewError(v('4.17.3'), v('4.16.1')), null)
  t.match(nodePoolSkewError(v('4.17.3'), v('4.15.1')), /more than 1 minor version older/)
})

t.test('a node pool is never newer than its control plane, nor of another major', async t => {
  t.match(nodePoolSkewError(v('4.17.3'), v('4.17.4')), /cannot be higher than the control plane version 4.17.3/)
  t.match(nodePoolSkewError(v('4.17.3'), v('4.18.0')), /cannot be higher/)
  t.match(nodePoolSkewError(v('4.17.3'), v('5.17.0')), /major version 5 must match/)
  t.equal(nodePoolSkewError(v('4.17.3'), v('4.17.3')), null)
})

t.test('release pull specs give version and payload arch when tagged', async t => {
  t.same(parseReleaseImage(`${IMG}:4.17.9-x86_64`), { version: v('4.17.9'), arch: 'x86_64' })
  t.same(parseReleaseImage(`${IMG}:4.19.0-multi`).arch, 'multi')
  t.same(parseReleaseImage(`${IMG}:4.20.0-0.nightly-2025-06-05-224220`).version?.text, '4.20.0-0.nightly-2025-06-05-224220')
  t.same(parseReleaseImage(`${IMG}:4.17.0-rc.0-aarch64`), { version: v('4.17.0-rc.0'), arch: 'aarch64' })
  t.same(parseReleaseImage(`${IMG}:latest`), { version: null, arch: null })
  const digest = `${IMG}@sha256:${'a'.repeat(64)}`
  t.same(parseReleaseImage(digest), { version: null, arch: null })
  t.same(parseReleaseImage(digest, () => '4.18.1').version?.text, '4.18.1')
  t.equal(releaseImageError(digest), null)
  t.equal(releaseImageError('registry.local:5000/ocp/release:4.17.9-x86_64'), null)
  t.match(releaseImageError('not an image'), /pull spec/)
  t.match(releaseImageError(`${IMG}:${'x'.repeat(260)}`), /at most 253/)
  t.ok(compareVersions(v('4.17.10'), v('4.17.9')) > 0)
})

t.test('the control-plane version is the older of the desired and the last completed release', async t => {
  const hc = (image: string, status?: object) => ({ apiVersion: 'v', kind: 'HostedCluster', metadata: { name: 'a' }, spec: { release: { image } }, status })
  t.equal(clusterVersion(hc(`${IMG}:4.18.1-x86_64`))?.text, '4.18.1')
  t.equal(clusterVersion(hc(`${IMG}:4.18.1-x86_64`, { version: { history: [{ state: 'Partial', version: '4.18.1' }, { state: 'Completed', version: '4.17.9' }] } }))?.text, '4.17.9')
  const digest = `${IMG}@sha256:${'b'.repeat(64)}`
  t.equal(clusterVersion(hc(digest, { version: { desired: { image: digest, version: '4.16.4' } } }))?.text, '4.16.4')
  t.equal(clusterVersion(hc(digest)), null)
  const np = { apiVersion: 'v', kind: 'NodePool', metadata: { name: 'p' }, spec: { release: { image: `${IMG}:4.17.9-x86_64` } }, status: { version: '4.16.20' } }
  t.same(nodePoolVersions(np).map(x => x.text), ['4.17.9', '4.16.20'])
})

t.test('pausedUntil dates are RFC3339', async t => {
  t.ok(isRfc3339('2024-03-03T03:28:48Z'))
  t.ok(isRfc3339('2024-03-03T03:28:48.123+02:00'))
  t.notOk(isRfc3339('2024-03-03 03:28:48'))
  t.notOk(isRfc3339('2024-13-45T03:28:48Z'))
})
