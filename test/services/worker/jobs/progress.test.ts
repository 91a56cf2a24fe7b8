import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { initialProgress, type StoredProgress } from '../../../../shared/jobs/record.ts'
import { createProgressReporter } from '../../../../services/worker/jobs/progress.ts'

function reporter (stages: string[], weights: number[], throttle = { minIntervalMs: 100, minPercentStep: 1 }) {
  const writes: StoredProgress[] = []
  const r = createProgressReporter(initialProgress(stages, new Date().toISOString()), weights, async p => { writes.push(p) }, err => { throw err }, throttle)
  return { r, writes }
}

t.test('stage changes are written at once and weigh the job percent', async t => {
  const { r, writes } = reporter(['a', 'b'], [1, 3])
  await r.startStage(0)
  await r.finishStage(0, 'succeeded')
  await r.startStage(1)
  r.update({ percent: 50 })
  await r.stop()
  t.same(writes.map(w => [w.stage, w.percent]), [['a', 0], ['a', 25], ['b', 25], ['b', 62.5]])
  t.same(writes[2].stages.map(s => s.state), ['succeeded', 'running'])
  t.ok(writes[1].stages[0].finishedAt)
})

t.test('updates closer than a point and an interval are coalesced, and the last one still lands', async t => {
  const { r, writes } = reporter(['only'], [1])
  await r.startStage(0)
  for (let i = 1; i <= 500; i++) r.update({ percent: i / 10, message: `step ${i}` })
  await r.stop()
  const during = writes.length
  t.ok(during >= 40 && during <= 60, `${during} writes for 500 updates over 50 points`)
  r.update({ percent: 50.2, message: 'small step' })
  await sleep(150)
  t.equal(writes.at(-1)?.message, 'small step', 'a throttled update is written when its interval is over')
  t.equal(writes.at(-1)?.percent, 50.2)
  r.update({ percent: 50.3 })
  r.markRest(0, 'skipped')
  await r.stop()
  t.equal(writes.at(-1)?.percent, 50.2, 'stop() drops a pending update')
})
