import t from 'tap'
import { createStore } from '../../../../services/sim/kube/store.ts'

const o = (name: string, v: string) => ({ metadata: { name, namespace: 'ns' }, data: { v } })

t.test('global resourceVersion, snapshots and history window', async t => {
  const s = createStore({ window: 4 })
  const seen: string[] = []
  const off = s.subscribe(e => seen.push(`${e.type}:${e.key}:${e.rv}`))
  s.commit('configmaps', 'ADDED', o('a', '1'))
  s.commit('secrets', 'ADDED', o('s', '1'))
  const at = s.rv()
  s.commit('configmaps', 'MODIFIED', o('a', '2'))
  s.commit('configmaps', 'ADDED', o('b', '1'))
  t.equal(s.get('configmaps', 'ns', 'a')?.metadata.resourceVersion, '3')
  t.same(s.listAt('configmaps', at)?.map(x => x.data), [{ v: '1' }], 'snapshot undoes later events')
  t.same(s.since('configmaps', at)?.map(e => e.type), ['MODIFIED', 'ADDED'])
  s.commit('configmaps', 'DELETED', o('a', '2'))
  s.commit('configmaps', 'DELETED', o('b', '1'))
  t.same(s.list('configmaps'), [])
  t.equal(s.compacted(), 2)
  t.equal(s.listAt('configmaps', 1), null, 'too old')
  t.equal(s.since('configmaps', 1), null)
  t.same(s.listAt('configmaps', 4)?.map(x => x.metadata.name), ['a', 'b'])
  off()
  s.commit('configmaps', 'ADDED', o('c', '1'))
  t.equal(seen.length, 6)
  t.equal(s.entries().length, 2)
})
