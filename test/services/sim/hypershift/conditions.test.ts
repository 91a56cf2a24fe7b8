import t from 'tap'
import { findCondition, isTrue, setCondition, setConditions } from '../../../../services/sim/hypershift/conditions.ts'

t.test('lastTransitionTime moves only when the status flips', async (t) => {
  let c = setCondition([], { type: 'Available', status: 'False', reason: 'WaitingForAvailable', message: 'wait' }, 1, 't1')
  t.match(findCondition(c, 'Available'), { status: 'False', lastTransitionTime: 't1', observedGeneration: 1 })
  c = setCondition(c, { type: 'Available', status: 'False', reason: 'Other', message: 'still' }, 2, 't2')
  t.match(findCondition(c, 'Available'), { reason: 'Other', lastTransitionTime: 't1', observedGeneration: 2 })
  c = setCondition(c, { type: 'Available', status: 'True', reason: 'AsExpected', message: 'ok' }, 2, 't3')
  t.match(findCondition(c, 'Available'), { status: 'True', lastTransitionTime: 't3' })
  t.ok(isTrue(c, 'Available'))
  t.notOk(isTrue(c, 'Degraded'))
  t.equal(c.length, 1)
})

t.test('setConditions keeps order and is idempotent', async (t) => {
  const inputs = [
    { type: 'A', status: 'True' as const, reason: 'AsExpected', message: '' },
    { type: 'B', status: 'False' as const, reason: 'X', message: 'm' }
  ]
  const once = setConditions(undefined, inputs, undefined, 'now')
  const twice = setConditions(once, inputs, undefined, 'later')
  t.same(twice, once)
  t.same(once.map((c) => c.type), ['A', 'B'])
  t.equal(once[0].observedGeneration, undefined)
})
