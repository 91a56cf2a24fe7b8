import t, { type Test } from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { GatewayError } from '../../../../../../../shared/errors.ts'
import type { JobRecord } from '../../../../../../../shared/jobs/schema.ts'
import { defineJob } from '../../../../../../../services/worker/jobs/define-job.ts'
import { buildApi } from '../../../../../../../services/api/server.ts'
import { buildTestApp } from '../../../../../../helpers/app.ts'
import { dropPrefix, startTestWorkers, testPrefix } from '../../../../../../helpers/jobs.ts'

// Stage 'work' waits for the test to open its gate, so the test decides when a job may finish.
let gate = Promise.withResolvers<void>()
let failNext = false
const def = defineJob({
  kind: 'etcd-snapshot',
  attempts: 2,
  backoff: { delay: 10, jitter: 0 },
  stages: [
    { name: 'prepare', run: async () => 'prepared' },
    {
      name: 'work',
      run: async ctx => {
        ctx.progress({ percent: 50, message: 'half way' })
        if (failNext) throw new GatewayError('GW_ERR_VALIDATION', 'snapshot target is invalid')
        await Promise.race([gate.promise, new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))))])
        return 'worked'
      }
    }
  ]
})

async function setup (t: Test) {
  const prefix = testPrefix('routes')
  const { app, as } = await buildTestApp(t, {
    env: { QUEUE_PREFIX: prefix },
    jobs: { policies: [def.policy], sseHeartbeatMs: 40 }
  })
  t.teardown(() => dropPrefix(app.redis, prefix))
  await startTestWorkers(t, { prefix, processors: [def] })
  return { app, as }
}

async function submit (app: FastifyInstance): Promise<JobRecord> {
  return (await app.jobs.submit({ kind: 'etcd-snapshot', target: { type: 'cluster', name: 'demo', namespace: 'clusters' }, params: {}, createdBy: 'alice' })).job
}

async function until (app: FastifyInstance, id: string, ok: (r: JobRecord) => boolean) {
  for (let i = 0; i < 400; i++) {
    const r = await app.jobs.get(id)
    if (ok(r)) return r
    await sleep(20)
  }
  throw new Error(`job ${id} never got there`)
}

// Reads a whole text/event-stream response into its events and comment lines.
async function readStream (res: Response): Promise<{ events: Array<{ event: string, data: JobRecord }>, comments: number }> {
  const text = await res.text()
  const events: Array<{ event: string, data: JobRecord }> = []
  let comments = 0
  for (const block of text.split('\n\n').filter(Boolean)) {
    if (block.startsWith(':')) { comments++; continue }
    const fields = Object.fromEntries(block.split('\n').map(l => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]))
    events.push({ event: fields.event, data: JSON.parse(fields.data) })
  }
  return { events, comments }
}

t.test('get, list, cancel and retry answer with job records or problems', async t => {
  gate = Promise.withResolvers()
  const { app, as } = await setup(t)
  const missing = await app.inject({ method: 'GET', url: '/api/v1/jobs/etcd-snapshot.nope', headers: as.viewer })
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /application\/problem\+json/)
  t.equal(missing.json().code, 'GW_ERR_NOT_FOUND')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/jobs/has:colon', headers: as.viewer })).statusCode, 400)

  const job = await submit(app)
  await until(app, job.id, r => r.stages[1].state === 'running')
  const got = await app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: as.viewer })
  t.equal(got.statusCode, 200)
  t.match(got.json(), { id: job.id, kind: 'etcd-snapshot', state: 'running', progress: { stage: 'work', message: 'half way' }, links: { self: `/api/v1/jobs/${job.id}` } })

  t.equal((await app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}` })).statusCode, 401, 'an API key is needed')
  const asTenant = await app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: as.tenant })
  t.equal(asTenant.statusCode, 404, 'a key limited to other namespaces cannot see the job')
  t.same((await app.inject({ method: 'GET', url: '/api/v1/jobs', headers: as.tenant })).json().items, [])
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: as.tenant })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: as.viewer })).statusCode, 403, 'viewers cannot cancel')

  const list = await app.inject({ method: 'GET', url: '/api/v1/jobs?kind=etcd-snapshot&targetName=demo&state=running&limit=10', headers: as.viewer })
  t.equal(list.statusCode, 200)
  t.same(list.json().items.map((j: JobRecord) => j.id), [job.id])
  t.same((await app.inject({ method: 'GET', url: '/api/v1/jobs?targetName=other', headers: as.viewer })).json(), { items: [] })
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/jobs?continue=nonsense', headers: as.viewer })).json().code, 'GW_ERR_BAD_REQUEST')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/jobs?state=sleeping', headers: as.viewer })).json().code, 'GW_ERR_VALIDATION')

  const retryRunning = await app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/retry`, headers: as.operator })
  t.equal(retryRunning.statusCode, 409)
  t.equal(retryRunning.json().code, 'GW_ERR_CONFLICT')

  const cancel = await app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: as.operator })
  t.equal(cancel.statusCode, 202)
  t.equal(cancel.json().state, 'cancelling')
  const cancelled = await until(app, job.id, r => r.state === 'cancelled')
  t.same(cancelled.stages.map(s => s.state), ['succeeded', 'cancelled'])
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: as.operator })).statusCode, 409, 'cancelling a finished job is a conflict')

  gate.resolve()
  const retry = await app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/retry`, headers: as.operator })
  t.equal(retry.statusCode, 202)
  t.equal(retry.headers.location, `/api/v1/jobs/${job.id}`)
  const done = await until(app, job.id, r => r.state === 'succeeded')
  t.same(done.result, { prepare: 'prepared', work: 'worked' })
})

t.test('the event stream starts from the current record and ends with the final one', async t => {
  gate = Promise.withResolvers()
  failNext = false
  const { app, as } = await setup(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const job = await submit(app)
  await until(app, job.id, r => r.stages[1].state === 'running')

  const res = await fetch(`${base}/api/v1/jobs/${job.id}/events`, { headers: as.viewer })
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^text\/event-stream/)
  const reading = readStream(res)
  await sleep(150)
  gate.resolve()
  const { events, comments } = await reading
  t.ok(comments >= 1, 'heartbeat comments while nothing changes')
  t.ok(events.every(e => e.event === 'job'))
  t.match(events[0].data, { state: 'running', progress: { stage: 'work' } }, 'first event = the current record')
  t.match(events.at(-1)!.data, { state: 'succeeded', result: { work: 'worked' } }, 'last event = the final record')

  const late = await readStream(await fetch(`${base}/api/v1/jobs/${job.id}/events`, { headers: as.viewer }))
  t.same(late.events.map(e => e.data.state), ['succeeded'], 'a late subscriber gets the final state, then the end')

  const missing = await fetch(`${base}/api/v1/jobs/etcd-snapshot.none/events`, { headers: as.viewer })
  t.equal(missing.status, 404)
  t.equal((await missing.json() as { code: string }).code, 'GW_ERR_NOT_FOUND')
})

t.test('a failing job streams its failure; a client that leaves is let go', async t => {
  gate = Promise.withResolvers()
  const { app, as } = await setup(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  failNext = true
  const failing = await submit(app)
  const { events } = await readStream(await fetch(`${base}/api/v1/jobs/${failing.id}/events`, { headers: as.viewer }))
  t.match(events.at(-1)!.data, { state: 'failed', attempts: 1, error: { code: 'GW_ERR_VALIDATION' } })
  failNext = false

  const job = await submit(app)
  const abort = new AbortController()
  const res = await fetch(`${base}/api/v1/jobs/${job.id}/events`, { signal: abort.signal, headers: as.viewer })
  const reader = res.body!.getReader()
  await reader.read()
  abort.abort()
  let open = 1
  for (let i = 0; i < 50 && open > 0; i++) {
    await sleep(20)
    open = await new Promise<number>((resolve, reject) => app.server.getConnections((err, n) => err ? reject(err) : resolve(n)))
  }
  t.equal(open, 0, 'the server closed the stream of a client that went away')
  gate.resolve()
})

t.test('routes are documented under the jobs tag', async t => {
  const { app } = await setup(t)
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { tags: string[], responses: Record<string, unknown> }>>, components: { schemas: Record<string, unknown> } }
  for (const [path, method] of [['/api/v1/jobs', 'get'], ['/api/v1/jobs/{id}', 'get'], ['/api/v1/jobs/{id}/cancel', 'post'], ['/api/v1/jobs/{id}/retry', 'post'], ['/api/v1/jobs/{id}/events', 'get']]) {
    t.same(doc.paths[path]?.[method]?.tags, ['jobs'], `${method} ${path}`)
  }
  t.ok(doc.components.schemas.Job, 'the job record is a named schema')
  t.ok(doc.paths['/api/v1/jobs/{id}/cancel'].post.responses['409'])
})

t.test('the plugin starts and stops without Redis (as when the OpenAPI document is rendered)', async t => {
  const { twin, config } = await buildTestApp(t)
  const app = await buildApi({ config, redisUrl: 'redis://127.0.0.1:9', kubeConfig: twin.kubeConfig, objectStore: twin.objectStore })
  await app.ready()
  const started = Date.now()
  await app.close()
  t.ok(Date.now() - started < 5000, 'closed promptly')
})
