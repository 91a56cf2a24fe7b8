import t from 'tap'
import { Value } from 'typebox/value'
import { SUPPORT_MATRIX, platformVerdict } from '../../../shared/versions/matrix.ts'
import { versionsResponse } from '../../../shared/versions/response.ts'
import { VersionsResponseSchema } from '../../../shared/versions/schema.ts'
import { supportedVersionsConfigMapData } from '../../../services/sim/hypershift/supported-versions.ts'

t.test('the documented MCE tables (§3.1.1)', async t => {
  const mgmt = Object.fromEntries(SUPPORT_MATRIX.managementClusters.map(r => [r.mce, `${r.managementOcp.min}-${r.managementOcp.max}`]))
  t.same(mgmt, { 2.4: '4.14-4.15', 2.5: '4.14-4.16', 2.6: '4.14-4.17', 2.7: '4.15-4.17', 2.8: '4.16-4.18', 2.9: '4.17-4.19' })
  // Each MCE adds the next hosted-cluster minor, starting from 4.14.
  SUPPORT_MATRIX.hostedClustersByMce.forEach((row, i) => {
    t.same(row.hostedOcp, { min: '4.14', max: `4.${14 + i}` }, `MCE ${row.mce}`)
  })
  // An MCE update keeps the hosted clusters the older operator could create.
  for (const upgrade of SUPPORT_MATRIX.mceUpgrades) {
    const before = SUPPORT_MATRIX.hostedClustersByMce.find(r => r.mce === upgrade.from)
    t.same(upgrade.hostedOcp, before?.hostedOcp, `${upgrade.from} -> ${upgrade.to}`)
  }
})

t.test('platform verdicts follow the platform table', async t => {
  t.same(platformVerdict('aws', '4.19.0', '4.18'), { platform: 'aws', supported: true, level: 'GA', reasons: [] })
  t.match(platformVerdict('aws', '4.15.3'), { supported: false, level: 'NotAvailable', reasons: [/4\.16 to 4\.19/] })
  t.match(platformVerdict('aws', '4.19', '4.15'), { supported: false, reasons: [/management cluster on 4\.16 to 4\.19/] })
  t.match(platformVerdict('openstack', '4.19.1'), { supported: true, level: 'TechPreview' })
  t.match(platformVerdict('openstack', '4.18.1'), { supported: false })
  t.match(platformVerdict('non-bare-metal-agent', '4.16.0'), { supported: true, level: 'TechPreview' })
  t.match(platformVerdict('kubevirt', '4.14.0', '4.14'), { supported: true, level: 'GA' })
  t.match(platformVerdict('ibm-z', '4.16.0'), { supported: false })
  t.match(platformVerdict('none' as 'aws', '4.19'), { supported: false, reasons: [/not a documented platform/] })
})

t.test('GET /api/v1/versions body matches its schema', async t => {
  const body = versionsResponse(supportedVersionsConfigMapData())
  t.ok(Value.Check(VersionsResponseSchema, body), JSON.stringify([...Value.Errors(VersionsResponseSchema, body)].slice(0, 3)))
  t.same(body.supported?.mceSupported, ['4.19', '4.18', '4.17'])
  const none = versionsResponse(undefined)
  t.equal(none.supported, null)
  t.ok(Value.Check(VersionsResponseSchema, none))
  none.matrix.platforms.length = 0
  t.equal(SUPPORT_MATRIX.platforms.length, 7, 'callers get a copy of the matrix')
})
