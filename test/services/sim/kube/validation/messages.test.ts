import t from 'tap'
import { formatValue, invalidMessage } from '../../../../../services/sim/kube/validation/messages.ts'

t.test('invalidMessage matches apierrors.NewInvalid', async t => {
  t.equal(invalidMessage('HostedCluster', 'hypershift.openshift.io', 'hc', [{ reason: 'FieldValueRequired', field: 'spec.release', message: 'Required value' }]),
    'HostedCluster.hypershift.openshift.io "hc" is invalid: spec.release: Required value')
  t.equal(invalidMessage('NodePool', 'hypershift.openshift.io', 'np', [
    { reason: 'FieldValueRequired', field: 'spec.a', message: 'Required value' },
    { reason: 'FieldValueRequired', field: 'spec.a', message: 'Required value' },
    { reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: "object": bad' }
  ]), 'NodePool.hypershift.openshift.io "np" is invalid: [spec.a: Required value, spec: Invalid value: "object": bad]', 'bracketed and deduplicated')
  t.equal(invalidMessage('Pod', '', 'p', [{ reason: 'FieldValueInvalid', field: 'x', message: 'm' }]), 'Pod "p" is invalid: x: m', 'core group')
})

t.test('formatValue prints like field.Error', async t => {
  t.equal(formatValue('a"b'), '"a\\"b"')
  t.equal(formatValue(3), '3')
  t.equal(formatValue(null), '"null"')
  t.equal(formatValue({ name: 'x' }), 'map[string]interface {}{"name":"x"}')
})
