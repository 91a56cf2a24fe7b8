import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { defineJob } from '../../../../services/worker/jobs/define-job.ts'
import { stallJob } from '../../../fixtures/jobs/stall-job.ts'
import { inState, redisUrl, startJobService, startTestWorkers, testPrefix, waitForJob } from '../../../helpers/jobs.ts'

const workerScript = fileURLToPath(new URL('../../../fixtures/jobs/stall-worker.ts', import.meta.url))
const fastStalls = { JOB_LOCK_MS: '1000', JOB_STALLED_INTERVAL_MS: '300' }

t.test('a job whose worker is killed mid-stage resumes on another worker from its first unfinished stage', async t => {
  const prefix = testPrefix('stalled')
  const runs = { one: 0, two: 0 }
  const takeover = stallJob({
    one: async () => { runs.one++ },
    two: async () => { runs.two++; return 'two-from-second-worker' }
  })
  const { jobs } = await startJobService(t, { prefix, policies: [takeover.policy] })

  const child = spawn(process.execPath, [workerScript], {
    env: { ...process.env, ...fastStalls, TEST_QUEUE_PREFIX: prefix, TEST_REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  // Lines are queued as they come: one may arrive before the test asks for it.
  const lines: string[] = []
  let waiting: (() => void) | undefined
  createInterface({ input: child.stdout! }).on('line', line => { lines.push(line); waiting?.() })
  const nextLine = async (): Promise<string> => {
    while (lines.length === 0) await new Promise<void>(resolve => { waiting = resolve })
    return lines.shift()!
  }
  t.equal(await nextLine(), 'ready')

  const { job } = await jobs.submit({ kind: 'etcd-snapshot', target: { type: 'cluster', name: 'c' }, params: {}, createdBy: 'alice' })
  t.equal(await nextLine(), `two-started ${job.id}`)
  const before = await waitForJob(jobs, job.id, r => r.stages[1].state === 'running')
  t.same(before.stages.map(s => s.state), ['succeeded', 'running', 'pending'])

  child.kill('SIGKILL')
  await once(child, 'exit')
  // A worker in this process finds the job once its dead owner's lock expires.
  await startTestWorkers(t, { prefix, processors: [takeover], env: fastStalls })
  const done = await waitForJob(jobs, job.id, inState('succeeded', 'failed'), 10000)
  t.equal(done.state, 'succeeded')
  t.same(runs, { one: 0, two: 1 }, 'stage one was not run again; stage two was')
  t.same(done.result, { one: 'one-from-first-worker', two: 'two-from-second-worker', three: 'three-done' })
  t.equal(done.stages[0].startedAt, before.stages[0].startedAt, 'the finished stage kept its record')
  t.same(done.stages.map(s => s.state), ['succeeded', 'succeeded', 'succeeded'])
})

t.test('a worker shutting down hands its job back without using up an attempt', async t => {
  const prefix = testPrefix('shutdown')
  let started!: () => void
  const running = new Promise<void>(resolve => { started = resolve })
  const stubborn = defineJob({
    kind: 'iso-download',
    attempts: 1,
    stages: [{
      name: 'download',
      run: async ctx => {
        started()
        await new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))))
      }
    }]
  })
  const { jobs } = await startJobService(t, { prefix, policies: [stubborn.policy] })
  const pool = await startTestWorkers(t, { prefix, processors: [stubborn] })
  const { job } = await jobs.submit({ kind: 'iso-download', target: { type: 'infraenv', name: 'e' }, params: {}, createdBy: 'alice' })
  await running
  await pool.close(100)
  const after = await jobs.get(job.id)
  t.equal(after.state, 'queued', 'back in the queue for another worker')
  t.equal(after.attempts, 0)
  t.match(after.stages[0], { state: 'pending', message: /worker shutting down/ })
})
