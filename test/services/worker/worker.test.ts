import { randomUUID } from 'node:crypto'
import t from 'tap'
import { Queue, QueueEvents } from 'bullmq'
import { KubeConfig } from '@kubernetes/client-node'
import { startWorkers } from '../../../services/worker/worker.ts'
import { queueName } from '../../../shared/jobs/kinds.ts'
import { loadConfig } from '../../../shared/config.ts'

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const connection = { url: redisUrl }
const log = () => {}

// Each test gets its own BullMQ prefix so parallel test files never see each other's jobs.
function prefix () {
  return `test-worker-${randomUUID().slice(0, 8)}`
}

async function cleanup (q: Queue) {
  await q.obliterate({ force: true })
  await q.close()
}

t.test('processors are registered by job kind and run jobs from Redis', async t => {
  const p = prefix()
  const seen: unknown[] = []
  const pool = await startWorkers({
    redisUrl,
    prefix: p,
    concurrency: 2,
    log,
    processors: [{ kind: 'cluster-destroy', processor: async job => { seen.push(job.data); return { done: job.data.n * 2 } } }]
  })
  t.teardown(() => pool.close(1000))
  t.same(pool.kinds, ['cluster-destroy'])
  const queue = new Queue(queueName('cluster-destroy'), { connection, prefix: p })
  const events = new QueueEvents(queueName('cluster-destroy'), { connection, prefix: p })
  t.teardown(async () => { await events.close(); await cleanup(queue) })
  await events.waitUntilReady()
  const job = await queue.add('destroy', { n: 21 })
  t.same(await job.waitUntilFinished(events, 5000), { done: 42 })
  t.same(seen, [{ n: 21 }])
})

t.test('a job kind cannot be registered twice', async t => {
  const processor = async () => null
  await t.rejects(startWorkers({
    redisUrl,
    prefix: prefix(),
    concurrency: 1,
    log,
    processors: [{ kind: 'etcd-snapshot', processor }, { kind: 'etcd-snapshot', processor }]
  }), /two processors registered for job kind etcd-snapshot/)
})

t.test('close() is bounded even when a job is slow to stop', async t => {
  const p = prefix()
  let started!: () => void
  const running = new Promise<void>(resolve => { started = resolve })
  const pool = await startWorkers({
    redisUrl,
    prefix: p,
    concurrency: 1,
    log,
    // Reacts to cancellation only after 4 s of cleanup: longer than close() may wait.
    processors: [{
      kind: 'iso-download',
      processor: async (_job, _token, signal) => {
        started()
        await new Promise(resolve => signal?.addEventListener('abort', resolve))
        await new Promise(resolve => setTimeout(resolve, 4000))
      }
    }]
  })
  const queue = new Queue(queueName('iso-download'), { connection, prefix: p })
  t.teardown(() => cleanup(queue))
  await queue.add('download', {})
  await running
  const t0 = Date.now()
  await pool.close(300)
  const took = Date.now() - t0
  t.ok(took < 3000, `closed in ${took} ms despite a job still cleaning up`)
  t.equal(await queue.getActiveCount(), 1, 'the job stays in Redis for another worker to recover')
})

t.test('processors get the worker\'s dependencies and config', async t => {
  const p = prefix()
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:9' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' })
  const config = loadConfig({ CLUSTER_DESTROY_GRACE_SECONDS: '42' })
  const pool = await startWorkers({
    redisUrl,
    prefix: p,
    concurrency: 1,
    log,
    kubeConfig,
    config,
    processors: [{
      kind: 'boot-image-copy',
      processor: async (_job, _token, signal, deps) => ({
        server: deps.kubeConfig?.getCurrentCluster()?.server,
        grace: deps.config.CLUSTER_DESTROY_GRACE_SECONDS,
        prefix: deps.prefix,
        signal: signal instanceof AbortSignal
      })
    }]
  })
  t.teardown(() => pool.close(1000))
  const queue = new Queue(queueName('boot-image-copy'), { connection, prefix: p })
  const events = new QueueEvents(queueName('boot-image-copy'), { connection, prefix: p })
  t.teardown(async () => { await events.close(); await cleanup(queue) })
  await events.waitUntilReady()
  const job = await queue.add('copy', {})
  t.same(await job.waitUntilFinished(events, 5000), { server: 'http://127.0.0.1:9', grace: 42, prefix: p, signal: true })
})
