import t from 'tap'
import { parseLabelSelector } from '../../../../shared/hypershift/render/label-selector.ts'

t.test('parses like metav1.ParseToLabelSelector', async t => {
  t.same(parseLabelSelector('size=large,zone notin (az2,az1)'), {
    matchLabels: { size: 'large' },
    matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['az1', 'az2'] }]
  })
  t.same(parseLabelSelector('inventory.agent-install.openshift.io/cpu-architecture==ppc64le'), {
    matchLabels: { 'inventory.agent-install.openshift.io/cpu-architecture': 'ppc64le' }
  })
  t.same(parseLabelSelector('zone, !gpu, tier != db, app in (a)'), {
    matchExpressions: [
      { key: 'app', operator: 'In', values: ['a'] },
      { key: 'gpu', operator: 'DoesNotExist' },
      { key: 'tier', operator: 'NotIn', values: ['db'] },
      { key: 'zone', operator: 'Exists' }
    ]
  }, 'sorted by key, != becomes NotIn')
})

t.test('rejects bad selectors', async t => {
  t.throws(() => parseLabelSelector('a=b,'), { message: 'empty requirement' })
  t.throws(() => parseLabelSelector('zone in ()'), { message: '"zone" needs at least one value' })
  t.throws(() => parseLabelSelector('-bad=x'), { message: 'invalid label key "-bad"' })
  t.throws(() => parseLabelSelector('a=b c'), /cannot parse/)
  t.throws(() => parseLabelSelector('a=-x-'), { message: 'invalid label value "-x-"' })
})
