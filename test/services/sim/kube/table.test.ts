import t from 'tap'
import { evaluate, parseJsonPath } from '../../../../services/sim/kube/jsonpath.ts'
import { humanDuration, wantsTable } from '../../../../services/sim/kube/table.ts'

t.test('printer-column JSONPath subset', async t => {
  const o = { status: { conditions: [{ type: 'Available', status: 'True' }, { type: 'Degraded', status: 'False' }], history: [{ state: 'Completed', version: '4.17' }, { state: '', version: '4.16' }] } }
  t.same(evaluate(parseJsonPath('.status.conditions[?(@.type=="Available")].status'), o), ['True'])
  t.same(evaluate(parseJsonPath('.status.history[?(@.state!="")].state'), o), ['Completed'])
  t.same(evaluate(parseJsonPath('.status.history[1].version'), o), ['4.16'])
  t.same(evaluate(parseJsonPath('{.status.history[*].version}'), o), ['4.17', '4.16'])
  t.same(evaluate(parseJsonPath('.status.missing'), o), [])
  t.throws(() => parseJsonPath('.a[?(@.x > 1)]'))
})

t.test('ages and Accept negotiation', async t => {
  t.equal(humanDuration(5), '5s')
  t.equal(humanDuration(150), '2m30s')
  t.equal(humanDuration(60 * 60), '60m')
  t.equal(humanDuration(5 * 3600 + 60), '5h1m')
  t.equal(humanDuration(30 * 3600), '30h')
  t.equal(humanDuration(3 * 86400), '3d')
  t.equal(humanDuration(400 * 86400), '400d')
  t.equal(humanDuration(3 * 365 * 86400), '3y')
  t.ok(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json'))
  t.notOk(wantsTable('application/json'))
})
