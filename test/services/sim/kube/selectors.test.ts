import t from 'tap'
import { BUILTIN_RESOURCES, FALLBACK_CUSTOM_RESOURCES } from '../../../../services/sim/kube/builtin-resources.ts'
import { parseFieldSelector, parseLabelSelector } from '../../../../services/sim/kube/selectors.ts'

const obj = (labels: Record<string, string>, extra: object = {}) => ({ metadata: { name: 'n', namespace: 'ns', labels }, ...extra })

t.test('label selectors', async t => {
  const o = obj({ app: 'web', 'example.com/tier': 'front', n: '5' })
  for (const [sel, want] of [
    ['', true], ['app=web', true], ['app==web', true], ['app!=web', false], ['app in (web,db)', true], ['app notin (web)', false],
    ['example.com/tier', true], ['!app', false], ['!missing', true], ['app=web,missing', false], ['n>4', true], ['n<4', false],
    ['missing!=x', true], ['missing notin (x)', true]
  ] as const) t.equal(parseLabelSelector(sel)(o), want, sel)
  t.throws(() => parseLabelSelector('app=bad value'), { code: 400 })
  t.throws(() => parseLabelSelector('-bad-=x'), { code: 400 })
  t.throws(() => parseLabelSelector('n>x'), { code: 400 })
})

t.test('field selectors', async t => {
  const pods = BUILTIN_RESOURCES.find(r => r.plural === 'pods')!
  const hc = FALLBACK_CUSTOM_RESOURCES.find(r => r.plural === 'hostedclusters')!
  const pod = obj({}, { status: { phase: 'Running' }, spec: { nodeName: 'node-1' } })
  t.ok(parseFieldSelector('metadata.name=n,metadata.namespace==ns', pods)(pod))
  t.ok(parseFieldSelector('status.phase=Running,spec.nodeName!=node-2', pods)(pod))
  t.notOk(parseFieldSelector('metadata.name!=n', hc)(pod))
  t.throws(() => parseFieldSelector('status.phase=Running', hc), { code: 400, message: '"status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"' })
  t.throws(() => parseFieldSelector('spec.foo=1', pods), { code: 400, message: 'field label not supported: spec.foo' })
  t.throws(() => parseFieldSelector('nonsense', pods), { code: 400 })
})
