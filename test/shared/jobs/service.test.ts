import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { Queue, QueueEvents } from 'bullmq'
import { GatewayError } from '../../../shared/errors.ts'
import { queueName } from '../../../shared/jobs/kinds.ts'
import { defineJob } from '../../../services/worker/jobs/define-job.ts'
import { inState, redisUrl, startJobService, startTestWorkers, testPrefix, waitForJob } from '../../helpers/jobs.ts'

const target = { type: 'cluster', name: 'demo', namespace: 'clusters' }

t.test('a job runs its stages in order and reports throttled progress', async t => {
  const prefix = testPrefix('svc-run')
  let calls = 0
  const def = defineJob({
    kind: 'etcd-snapshot',
    stages: [
      {
        name: 'chatty',
        run: async ctx => {
          // 2000 updates of 0.05 stage-percent each: the throttle must reduce them to about one per point.
          for (let i = 1; i <= 2000; i++) {
            ctx.progress({ percent: i / 20, bytesDone: i * 1024, bytesTotal: 2000 * 1024 })
            calls++
          }
          await sleep(50)
        }
      },
      { name: 'second', run: async () => 'second-output' }
    ]
  })
  const { jobs } = await startJobService(t, { prefix, policies: [def.policy], historySeconds: 3600 })
  const events = new QueueEvents(queueName('etcd-snapshot'), { connection: { url: redisUrl }, prefix })
  t.teardown(() => events.close())
  await events.waitUntilReady()
  let progressEvents = 0
  events.on('progress', () => { progressEvents++ })

  const { job, created } = await jobs.submit({ kind: 'etcd-snapshot', target, params: { a: 1 }, createdBy: 'alice' })
  t.ok(created)
  t.match(job, { kind: 'etcd-snapshot', state: 'queued', target, createdBy: 'alice', attempts: 0, maxAttempts: 3 })
  t.same(job.stages, [{ name: 'chatty', state: 'pending' }, { name: 'second', state: 'pending' }], 'a queued job shows its plan')
  t.equal(job.links.self, `/api/v1/jobs/${job.id}`)
  t.match(job.id, /^etcd-snapshot\./)
  const queue = new Queue(queueName('etcd-snapshot'), { connection: { url: redisUrl }, prefix })
  t.teardown(() => queue.close())
  const raw = await queue.getJob(job.id)
  t.match(raw?.opts, { attempts: 3, backoff: { type: 'exponential' }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
    'history is kept by age, retries back off exponentially')

  await startTestWorkers(t, { prefix, processors: [def] })
  const done = await waitForJob(jobs, job.id, inState('succeeded'))
  t.equal(calls, 2000)
  t.same(done.result, { second: 'second-output' })
  t.equal(done.progress.percent, 100)
  t.same(done.stages.map(s => s.state), ['succeeded', 'succeeded'])
  t.ok(done.stages.every(s => s.startedAt && s.finishedAt))
  t.equal(done.attempts, 1)
  t.ok(done.startedAt && done.finishedAt)
  t.notOk(done.error)
  await sleep(100)
  t.ok(progressEvents >= 20, `progress was reported (${progressEvents} events)`)
  t.ok(progressEvents <= 60, `progress was throttled: ${progressEvents} events for 2000 updates`)
})

t.test('submissions with the same key give the same job', async t => {
  const prefix = testPrefix('svc-idem')
  let fail = true
  const def = defineJob({
    kind: 'cluster-destroy',
    attempts: 1,
    stages: [{
      name: 'only',
      run: async () => {
        if (fail) throw new GatewayError('GW_ERR_UPSTREAM', 'flaky upstream')
      }
    }]
  })
  const { jobs } = await startJobService(t, { prefix, policies: [def.policy] })
  await startTestWorkers(t, { prefix, processors: [def] })
  const req = { kind: 'cluster-destroy' as const, target, params: { name: 'demo', namespace: 'clusters' }, createdBy: 'alice', naturalKey: 'clusters.demo' }

  const [a, b] = await Promise.all([jobs.submit(req), jobs.submit(req)])
  t.equal(a.job.id, 'cluster-destroy.clusters.demo')
  t.equal(b.job.id, a.job.id, 'concurrent submits agree on one job')
  t.same([a.created, b.created].sort(), [false, true])
  const failed = await waitForJob(jobs, a.job.id, inState('failed'))
  t.match(failed.error, { code: 'GW_ERR_UPSTREAM', message: 'flaky upstream' })

  fail = false
  const again = await jobs.submit({ ...req, naturalKey: 'cluster-destroy.clusters.demo' })
  t.equal(again.job.id, a.job.id, 'a failed job with the same natural key is retried, not duplicated')
  t.equal(again.created, false)
  await waitForJob(jobs, a.job.id, inState('succeeded'))

  const next = await jobs.submit(req)
  t.equal(next.job.id, 'cluster-destroy.clusters.demo_2', 'after a success the same key starts a new run')
  t.ok(next.created)
  await waitForJob(jobs, next.job.id, inState('succeeded'))

  const k1 = await jobs.submit({ kind: 'cluster-destroy', target, params: { n: 1 }, createdBy: 'bob', idempotencyKey: 'req-1' })
  const k2 = await jobs.submit({ kind: 'cluster-destroy', target, params: { n: 1 }, createdBy: 'bob', idempotencyKey: 'req-1' })
  t.equal(k2.job.id, k1.job.id)
  t.same([k1.created, k2.created], [true, false])
  const other = await jobs.submit({ kind: 'cluster-destroy', target, params: { n: 1 }, createdBy: 'carol', idempotencyKey: 'req-1' })
  t.not(other.job.id, k1.job.id, 'idempotency keys are per caller')
  await t.rejects(jobs.submit({ kind: 'cluster-destroy', target, params: { n: 2 }, createdBy: 'bob', idempotencyKey: 'req-1' }),
    { code: 'GW_ERR_UNPROCESSABLE' }, 'a key reused for a different request is refused')
  await t.rejects(jobs.submit({ ...req, naturalKey: 'Bad Key' }), { code: 'GW_ERR_BAD_REQUEST' })
})

t.test('list filters and pages newest first', async t => {
  const prefix = testPrefix('svc-list')
  // No worker serves this kind here: the jobs stay queued.
  const { jobs } = await startJobService(t, { prefix })
  const ids: string[] = []
  for (let i = 0; i < 7; i++) {
    const { job } = await jobs.submit({
      kind: i < 5 ? 'boot-image-copy' : 'iso-download',
      target: { type: i % 2 ? 'nodepool' : 'cluster', name: `c${i}`, namespace: 'ns' },
      params: {},
      createdBy: 'alice'
    })
    ids.push(job.id)
    await sleep(3)
  }
  const all = await jobs.list({ limit: 50 })
  t.same(all.items.map(j => j.id), [...ids].reverse(), 'newest first')
  t.notOk(all.continue)

  const pages: string[][] = []
  let token: string | undefined
  do {
    const page = await jobs.list({ limit: 3, continue: token })
    pages.push(page.items.map(j => j.id))
    token = page.continue
  } while (token)
  t.same(pages.flat(), [...ids].reverse(), 'pages join up without gaps or repeats')
  t.same(pages[0].length, 3)

  t.same((await jobs.list({ limit: 50, kind: 'iso-download' })).items.map(j => j.id), [ids[6], ids[5]])
  t.same((await jobs.list({ limit: 50, target: { type: 'nodepool' } })).items.map(j => j.target.name), ['c5', 'c3', 'c1'])
  t.same((await jobs.list({ limit: 50, target: { name: 'c2' } })).items.map(j => j.id), [ids[2]])
  t.equal((await jobs.list({ limit: 50, state: 'queued' })).items.length, 7)
  t.equal((await jobs.list({ limit: 50, state: 'running' })).items.length, 0)
  const middle = await jobs.get(ids[3])
  t.same((await jobs.list({ limit: 50, until: new Date(middle.createdAt) })).items.map(j => j.id), [ids[3], ids[2], ids[1], ids[0]])
  t.same((await jobs.list({ limit: 50, since: new Date(middle.createdAt) })).items.map(j => j.id), [ids[6], ids[5], ids[4], ids[3]])
  const filteredPage = await jobs.list({ limit: 1, target: { type: 'nodepool' } })
  t.same(filteredPage.items.map(j => j.target.name), ['c5'])
  t.same((await jobs.list({ limit: 5, target: { type: 'nodepool' }, continue: filteredPage.continue })).items.map(j => j.target.name), ['c3', 'c1'])
  await t.rejects(jobs.list({ limit: 5, continue: 'garbage' }), { code: 'GW_ERR_BAD_REQUEST' })
  await t.rejects(jobs.get('boot-image-copy.nope'), { code: 'GW_ERR_NOT_FOUND' })
  await t.rejects(jobs.get('not-a-kind.x'), { code: 'GW_ERR_NOT_FOUND' })
})

t.test('a cancel from another replica stops the job on its worker and runs its cleanup', async t => {
  const prefix = testPrefix('svc-cancel')
  const ran: string[] = []
  const cleanups: string[] = []
  let release!: () => void
  const def = defineJob({
    kind: 'iso-download',
    stages: [
      { name: 'fetch', run: async () => { ran.push('fetch') } },
      {
        name: 'copy',
        run: async ctx => {
          ran.push(`copy:${ctx.id}`)
          // Waits until cancelled (or released).
          await new Promise<void>((resolve, reject) => {
            release = resolve
            ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))
          })
        }
      },
      { name: 'after', run: async () => { ran.push('after') } }
    ],
    onCancel: async (ctx, request) => { cleanups.push(`${ctx.id} by ${request.by}`) }
  })
  const { jobs: replicaA } = await startJobService(t, { prefix, policies: [def.policy] })
  const { jobs: replicaB } = await startJobService(t, { prefix, policies: [def.policy] })
  await startTestWorkers(t, { prefix, processors: [def], concurrency: 1 })

  const seen: string[] = []
  const unsubscribe = replicaA.subscribe({ kind: 'iso-download' }, r => seen.push(`${r.id}:${r.state}`))
  t.teardown(unsubscribe)
  const first = (await replicaA.submit({ kind: 'iso-download', target, params: {}, createdBy: 'alice' })).job
  await waitForJob(replicaA, first.id, r => r.stages[1].state === 'running')
  // The worker runs one job at a time: this one waits behind the first.
  const second = (await replicaA.submit({ kind: 'iso-download', target, params: {}, createdBy: 'alice' })).job

  const queuedCancel = await replicaB.cancel(second.id, 'bob')
  t.equal(queuedCancel.state, 'cancelling', 'a queued job is cancelling until a worker picks it up')
  const cancelling = await replicaB.cancel(first.id, 'bob')
  t.equal(cancelling.state, 'cancelling')

  const cancelled = await waitForJob(replicaA, first.id, inState('cancelled'))
  t.same(cancelled.stages.map(s => s.state), ['succeeded', 'cancelled', 'cancelled'])
  t.match(cancelled.stages[1].message, /cancelled by bob/)
  t.notOk(cancelled.error)
  const secondDone = await waitForJob(replicaA, second.id, inState('cancelled'))
  t.same(secondDone.stages.map(s => s.state), ['cancelled', 'cancelled', 'cancelled'], 'cancelled before its first stage')
  t.same(ran, ['fetch', `copy:${first.id}`], 'the queued job never ran a stage; the cancelled one stopped mid-stage')
  t.same(cleanups.sort(), [`${first.id} by bob`, `${second.id} by bob`].sort())
  release?.()

  await t.rejects(replicaB.cancel(first.id, 'bob'), { code: 'GW_ERR_CONFLICT' }, 'a finished job cannot be cancelled')
  await waitForJob(replicaA, first.id, () => seen.includes(`${first.id}:cancelled`), 2000)
  t.ok(seen.includes(`${first.id}:running`) && seen.includes(`${first.id}:cancelling`), 'subscribers followed the job through cancelling')
})

t.test('retry runs a failed job again from its first unfinished stage', async t => {
  const prefix = testPrefix('svc-retry')
  const runs: Record<string, number> = { prepare: 0, apply: 0 }
  let broken = true
  const failures: string[] = []
  const def = defineJob({
    kind: 'webhook-delivery',
    attempts: 3,
    backoff: { delay: 10, jitter: 0 },
    stages: [
      { name: 'prepare', run: async () => { runs.prepare++; return 'prepared' } },
      {
        name: 'apply',
        run: async () => {
          runs.apply++
          if (broken) throw new GatewayError('GW_ERR_VALIDATION', 'the request is wrong')
          return 'applied'
        }
      }
    ],
    onFail: async (ctx, error) => { failures.push(`${ctx.id}:${error.code}`) }
  })
  const { jobs } = await startJobService(t, { prefix, policies: [def.policy] })
  await startTestWorkers(t, { prefix, processors: [def] })
  const { job } = await jobs.submit({ kind: 'webhook-delivery', target, params: {}, createdBy: 'alice' })
  const failed = await waitForJob(jobs, job.id, inState('failed'))
  t.equal(failed.attempts, 1, 'a permanent error is not retried')
  t.equal(failed.maxAttempts, 3)
  t.same(failed.error, { code: 'GW_ERR_VALIDATION', message: 'the request is wrong' })
  t.same(failed.stages.map(s => s.state), ['succeeded', 'failed'])
  t.same(failures, [`${job.id}:GW_ERR_VALIDATION`])
  await t.rejects(jobs.retry('webhook-delivery.unknown', 'bob'), { code: 'GW_ERR_NOT_FOUND' })

  broken = false
  const retried = await jobs.retry(job.id, 'bob')
  t.ok(['queued', 'running', 'succeeded'].includes(retried.state))
  const done = await waitForJob(jobs, job.id, inState('succeeded'))
  t.same(done.result, { prepare: 'prepared', apply: 'applied' }, 'outputs of stages from the earlier attempt are kept')
  t.same(runs, { prepare: 1, apply: 2 }, 'the finished stage was not run again')
  t.notOk(done.error)
  await t.rejects(jobs.retry(job.id, 'bob'), { code: 'GW_ERR_CONFLICT' }, 'only failed or cancelled jobs can be retried')
})

t.test('transient errors are retried with backoff, up to the attempt limit', async t => {
  const prefix = testPrefix('svc-transient')
  const attemptsSeen: number[] = []
  let failUntil = 3
  const failures: string[] = []
  const def = defineJob({
    kind: 'boot-image-copy',
    attempts: 3,
    backoff: { delay: 20, jitter: 0.5 },
    stages: [{
      name: 'copy',
      run: async ctx => {
        attemptsSeen.push(ctx.attempt)
        if (ctx.attempt < failUntil) throw new Error('connection reset')
        return 'copied'
      }
    }],
    onFail: async (_ctx, error) => { failures.push(error.message) }
  })
  const { jobs } = await startJobService(t, { prefix, policies: [def.policy] })
  await startTestWorkers(t, { prefix, processors: [def] })
  const ok = (await jobs.submit({ kind: 'boot-image-copy', target, params: {}, createdBy: 'alice' })).job
  const done = await waitForJob(jobs, ok.id, inState('succeeded'))
  t.same(attemptsSeen, [1, 2, 3])
  t.equal(done.attempts, 3)
  t.same(failures, [], 'no failure cleanup when a retry succeeds')

  failUntil = 99
  attemptsSeen.length = 0
  const bad = (await jobs.submit({ kind: 'boot-image-copy', target, params: {}, createdBy: 'alice' })).job
  const failed = await waitForJob(jobs, bad.id, inState('failed'))
  t.same(attemptsSeen, [1, 2, 3])
  t.equal(failed.attempts, 3)
  t.same(failed.error, { code: 'GW_ERR_INTERNAL', message: 'connection reset' })
  t.same(failures, ['connection reset'], 'failure cleanup ran once, after the last attempt')
})

t.test('a job over its time limit fails with a timeout code', async t => {
  const prefix = testPrefix('svc-timeout')
  const def = defineJob({
    kind: 'etcd-snapshot',
    attempts: 1,
    timeoutMs: 200,
    stages: [{ name: 'slow', run: async ctx => { await sleep(5000, undefined, { signal: ctx.signal }) } }]
  })
  const { jobs } = await startJobService(t, { prefix, policies: [def.policy] })
  await startTestWorkers(t, { prefix, processors: [def] })
  const { job } = await jobs.submit({ kind: 'etcd-snapshot', target, params: {}, createdBy: 'alice' })
  const failed = await waitForJob(jobs, job.id, inState('failed'))
  t.equal(failed.error?.code, 'GW_ERR_UPSTREAM_TIMEOUT')
  t.match(failed.error?.message, /within 200 ms/)
})

t.test('events() starts from the current record and ends after the final one', async t => {
  const prefix = testPrefix('svc-events')
  let release!: () => void
  const gate = new Promise<void>(resolve => { release = resolve })
  const def = defineJob({
    kind: 'etcd-snapshot',
    stages: [{ name: 'one', run: async () => { await gate } }, { name: 'two', run: async () => 'ok' }]
  })
  const { jobs } = await startJobService(t, { prefix, policies: [def.policy] })
  await startTestWorkers(t, { prefix, processors: [def] })
  const { job } = await jobs.submit({ kind: 'etcd-snapshot', target, params: {}, createdBy: 'alice' })
  await waitForJob(jobs, job.id, r => r.stages[0].state === 'running')
  const states: string[] = []
  const reading = (async () => {
    for await (const r of jobs.events(job.id)) states.push(`${r.state}:${r.progress.stage}`)
  })()
  await sleep(100)
  release()
  await reading
  t.equal(states[0], 'running:one', 'the first record is the current one')
  t.equal(states.at(-1), 'succeeded:two', 'the last is the final one')
  const late: string[] = []
  for await (const r of jobs.events(job.id)) late.push(r.state)
  t.same(late, ['succeeded'], 'a late reader gets the final record and the end')
  const abort = new AbortController()
  const other = (await jobs.submit({ kind: 'boot-image-copy', target, params: {}, createdBy: 'alice' })).job
  const watching = (async () => {
    const seen: string[] = []
    for await (const r of jobs.events(other.id, abort.signal)) seen.push(r.state)
    return seen
  })()
  await sleep(50)
  abort.abort()
  t.same(await watching, ['queued'], 'an abort ends the iteration while it waits')
})
