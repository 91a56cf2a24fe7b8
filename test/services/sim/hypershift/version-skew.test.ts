import t from 'tap'
import { maxMinorSkew, versionSkewError } from '../../../../services/sim/hypershift/version-skew.ts'

t.test('even minors allow n-2, odd minors n-1', async (t) => {
  t.equal(maxMinorSkew(18), 2)
  t.equal(maxMinorSkew(17), 1)
  t.equal(versionSkewError('4.18.5', '4.18.4'), null)
  t.equal(versionSkewError('4.18.5', '4.17.0'), null)
  t.equal(versionSkewError('4.18.5', '4.16.3'), null)
  t.match(versionSkewError('4.18.5', '4.15.9'), 'minimum NodePool version compatible with the 4.18 HostedCluster')
  t.equal(versionSkewError('4.17.2', '4.16.8'), null)
  t.match(versionSkewError('4.17.2', '4.15.1'), 'NodePool minor version 4.15 is less than 4.16')
  t.equal(versionSkewError('4.19.3', '4.18.10'), null)
  t.match(versionSkewError('4.19.3', '4.17.9'), 'is less than 4.18')
})

t.test('a node pool may not be newer than the control plane', async (t) => {
  t.match(versionSkewError('4.18.5', '4.18.6'), 'cannot be higher than the HostedCluster version')
  t.match(versionSkewError('4.18.5', '4.19.0'), 'cannot be higher')
  t.match(versionSkewError('4.18.5', '5.0.0'), 'major version')
  t.match(versionSkewError('4.18.5', 'nope'), 'cannot compare')
})
