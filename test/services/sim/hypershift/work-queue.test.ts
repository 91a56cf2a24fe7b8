import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { createWorkQueue } from '../../../../services/sim/hypershift/work-queue.ts'

t.test('de-duplicates, throttles per key and retries failures', async (t) => {
  const runs: Array<[string, number]> = []
  let fail = true
  const q = createWorkQueue({
    minIntervalMs: 40,
    retryDelayMs: 10,
    onError: () => {},
    handler: async (key) => {
      runs.push([key, Date.now()])
      if (key === 'bad' && fail) { fail = false; throw new Error('boom') }
    }
  })
  t.teardown(() => q.close())
  q.add('a'); q.add('a'); q.add('b')
  await q.idle()
  t.equal(runs.filter(([k]) => k === 'a').length, 1, 'duplicate adds collapse')
  q.add('a')
  await q.idle()
  const times = runs.filter(([k]) => k === 'a').map(([, ts]) => ts)
  t.ok(times[1] - times[0] >= 35, 'second run waits for the interval')
  q.add('bad')
  await q.idle()
  t.equal(runs.filter(([k]) => k === 'bad').length, 2, 'failed key retried')
})

t.test('close stops pending work', async (t) => {
  let ran = 0
  const q = createWorkQueue({ minIntervalMs: 1, retryDelayMs: 1, onError: () => {}, handler: async () => { ran++ } })
  q.add('x', 50)
  t.equal(q.size, 1)
  await q.close()
  await sleep(80)
  t.equal(ran, 0)
  q.add('y')
  await q.idle()
  t.equal(ran, 0, 'a closed queue accepts nothing')
})
