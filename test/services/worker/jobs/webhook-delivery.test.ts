import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { buildApi } from '../../../../services/api/server.ts'
import { processors } from '../../../../services/worker/processors.ts'
import { buildTestApp, type TestApp } from '../../../helpers/app.ts'
import { dropPrefix, redisUrl, startTestWorkers } from '../../../helpers/jobs.ts'
import { startReceiver, type Received } from '../../../helpers/webhook-receiver.ts'
import type { Delivery } from '../../../../shared/webhooks/schema.ts'

// Loopback receivers are allowed only through the allow-list, as an operator would configure it;
// retries are squeezed into about a second.
const env = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_RETRY_BASE_MS: '30',
  WEBHOOK_RETRY_HOURS: '0.0003',
  WEBHOOK_RELIST_SECONDS: '1'
}

async function subscribe (a: TestApp, body: object, as = a.as.operator): Promise<{ id: string, secret: string, namespaces?: string[] }> {
  const res = await a.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: as, payload: body })
  if (res.statusCode !== 201) throw new Error(`subscribe answered ${res.statusCode}: ${res.body}`)
  return res.json()
}

async function deliveries (a: TestApp, id: string): Promise<Delivery[]> {
  const res = await a.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers: a.as.viewer })
  return res.json().items
}

async function until<T> (fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: T
  do {
    last = await fn()
    if (ok(last)) return last
    await sleep(25)
  } while (Date.now() < end)
  throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last)}`)
}

const body = (r: Received) => JSON.parse(r.body) as { type: string, timestamp: string, data: { id?: string, name?: string, state?: string } }
const at = (received: Received[], path: string) => received.filter(r => r.path === path)
const about = (received: Received[], path: string, id: string) => at(received, path).filter(r => body(r).data.id === id)

// A destroy of a cluster that does not exist succeeds at once; one with bad params fails at once.
const destroy = async (a: TestApp, name: string, namespace = 'team-a', params: Record<string, unknown> = { name, namespace }) =>
  (await a.app.jobs.submit({ kind: 'cluster-destroy', target: { type: 'cluster', name, namespace }, params, createdBy: 'test' })).job

t.test('one api replica with a worker', async t => {
  const a = await buildTestApp(t, { worker: true, env })
  let flaky = 0
  const receiver = await startReceiver(t, req => {
    if (req.path === '/flaky' && ++flaky <= 2) return { status: 503, body: 'busy' }
    if (req.path === '/down') return { status: 500, body: 'x'.repeat(5000) }
    if (req.path === '/redirect') return { status: 302, headers: { location: '/elsewhere' } }
    return { status: 200, body: 'ok' }
  })
  const hook = async (path: string, events: string[], extra: object = {}, as = a.as.operator) => {
    const sub = await subscribe(a, { url: receiver.url(path), events, ...extra }, as)
    receiver.setSecret(path, sub.secret)
    return sub
  }

  t.test('a job ending is delivered, signed, with the job record; failures too', async t => {
    const sub = await hook('/all', ['job.succeeded', 'job.failed'])
    const job = await destroy(a, 'gone')
    const [got] = await receiver.waitFor(r => about(r, '/all', job.id).length >= 1).then(r => about(r, '/all', job.id))
    t.notOk(got.verifyError)
    t.match(got.headers['webhook-id'], /^evt_[a-f0-9]{32}$/)
    t.match(got.headers['webhook-signature'], /^v1,/)
    t.equal(body(got).type, 'job.succeeded')
    t.equal(body(got).data.state, 'succeeded')
    t.match(body(got).timestamp, /^\d{4}-\d\d-\d\dT/)

    const log = await until(() => deliveries(a, sub.id), d => d[0]?.state === 'delivered')
    t.equal(log[0].eventId, got.headers['webhook-id'])
    t.equal(log[0].eventType, 'job.succeeded')
    t.match(log[0].attempts, [{ statusCode: 200, responseBody: 'ok' }])
    t.type(log[0].attempts[0].latencyMs, 'number')

    const bad = await destroy(a, 'bad', 'team-a', {})
    const failed = await receiver.waitFor(r => about(r, '/all', bad.id).length >= 1).then(r => about(r, '/all', bad.id))
    t.equal(body(failed[0]).type, 'job.failed')

    // a manual redelivery sends the same event again, under the same webhook-id
    const res = await a.app.inject({ method: 'POST', url: `/api/v1/webhooks/${sub.id}/deliveries/${log[0].id}/redeliver`, headers: a.as.operator })
    t.equal(res.statusCode, 202)
    t.equal(res.json().id, `${log[0].id}-r1`)
    t.equal(res.json().redeliveryOf, log[0].id)
    const again = await receiver.waitFor(r => about(r, '/all', job.id).length >= 2).then(r => about(r, '/all', job.id))
    t.equal(again[1].headers['webhook-id'], got.headers['webhook-id'])
    const viewer = await a.app.inject({ method: 'POST', url: `/api/v1/webhooks/${sub.id}/deliveries/${log[0].id}/redeliver`, headers: a.as.viewer })
    t.equal(viewer.statusCode, 403, 'viewers cannot redeliver')
  })

  t.test('at least once through a receiver outage, under one webhook-id', async t => {
    const sub = await hook('/flaky', ['job.succeeded'])
    const job = await destroy(a, 'flaky')
    const got = await receiver.waitFor(r => about(r, '/flaky', job.id).length >= 3).then(r => about(r, '/flaky', job.id))
    t.equal(new Set(got.map(r => r.headers['webhook-id'])).size, 1, 'every attempt carries the same webhook-id')
    const log = await until(() => deliveries(a, sub.id), d => d[0]?.state === 'delivered')
    t.equal(log[0].attemptCount, 3)
    t.same(log[0].attempts.map(x => x.statusCode), [503, 503, 200])
    t.equal(log[0].attempts[0].error, 'answered 503')
  })

  t.test('dead after the retry period; answers kept to a 1 KiB prefix', async t => {
    const sub = await hook('/down', ['job.succeeded'])
    const started = Date.now()
    await destroy(a, 'down')
    const log = await until(() => deliveries(a, sub.id), d => d[0]?.state === 'dead', 15_000)
    t.ok(Date.now() - started >= 0.0003 * 3600_000, 'retried for the whole period')
    t.ok(log[0].attemptCount >= 3)
    t.equal(log[0].attempts[0].responseBody?.length, 1024)
    const dead = await until(() => a.app.webhooks.queue.queue.getJob(log[0].id), job => job?.finishedOn !== undefined)
    t.ok(await dead?.isFailed(), 'the dead delivery stays in the queue\'s failed set (the dead-letter queue)')
  })

  t.test('redirects are not followed', async t => {
    const sub = await hook('/redirect', ['job.succeeded'])
    await destroy(a, 'redirect')
    const log = await until(() => deliveries(a, sub.id), d => d[0]?.state === 'dead', 15_000)
    t.equal(log[0].attempts[0].statusCode, 302)
    t.match(log[0].attempts[0].error, /redirect to \/elsewhere not followed/)
    t.equal(at(receiver.received, '/elsewhere').length, 0)
  })

  t.test('tenant subscriptions only hear their namespaces', async t => {
    const tenant = await hook('/tenant', ['job.succeeded'], {}, a.as.tenant)
    t.same(tenant.namespaces, ['team-a'], 'a tenant subscription defaults to the tenant\'s namespaces')
    await hook('/everything', ['job.succeeded'])
    const other = await destroy(a, 'other', 'team-b')
    const mine = await destroy(a, 'mine', 'team-a')
    await receiver.waitFor(r => about(r, '/everything', other.id).length === 1 && about(r, '/everything', mine.id).length === 1 && about(r, '/tenant', mine.id).length === 1)
    await sleep(300)
    t.equal(about(receiver.received, '/tenant', other.id).length, 0, 'nothing from team-b reached the tenant')
  })

  t.test('cluster transitions: ready, degraded, deleted', async t => {
    await hook('/clusters', ['cluster.ready', 'cluster.degraded', 'cluster.deleted'])
    const custom = a.twin.kubeConfig.makeApiClient(CustomObjectsApi)
    await a.twin.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'team-a' } } })
    const hc = { group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters', namespace: 'team-a' }
    const image = 'quay.io/openshift-release-dev/ocp-release:4.17.0-x86_64'
    await custom.createNamespacedCustomObject({ ...hc, body: { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', metadata: { name: 'web', namespace: 'team-a' }, spec: { release: { image } } } })
    const status = (available: string) => ({
      status: {
        version: { history: [{ state: 'Completed', version: '4.17.0', image }] },
        conditions: [{ type: 'Available', status: available, reason: 'X', message: '', lastTransitionTime: new Date().toISOString() }]
      }
    })
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
    await custom.patchNamespacedCustomObjectStatus({ ...hc, name: 'web', body: status('True') }, merge)
    await receiver.waitFor(r => at(r, '/clusters').length >= 1)
    await custom.patchNamespacedCustomObjectStatus({ ...hc, name: 'web', body: status('False') }, merge)
    await receiver.waitFor(r => at(r, '/clusters').length >= 2)
    await custom.deleteNamespacedCustomObject({ ...hc, name: 'web' })
    const got = await receiver.waitFor(r => at(r, '/clusters').length >= 3).then(r => at(r, '/clusters'))
    t.same(got.map(r => body(r).type), ['cluster.ready', 'cluster.degraded', 'cluster.deleted'])
    t.equal(body(got[0]).data.name, 'web')
    await sleep(200)
    t.equal(at(receiver.received, '/clusters').length, 3, 'no repeats while the phase stays')

    await hook('/pools', ['nodepool.ready'])
    const np = { ...hc, plural: 'nodepools' }
    await custom.createNamespacedCustomObject({ ...np, body: { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'NodePool', metadata: { name: 'web-a', namespace: 'team-a' }, spec: { clusterName: 'web', replicas: 1 } } })
    const ready = { status: { version: '4.17.0', replicas: 1, conditions: [{ type: 'Ready', status: 'True', reason: 'AsExpected', message: '', lastTransitionTime: new Date().toISOString() }] } }
    await custom.patchNamespacedCustomObjectStatus({ ...np, name: 'web-a', body: ready }, merge)
    const pools = await receiver.waitFor(r => at(r, '/pools').length >= 1).then(r => at(r, '/pools'))
    t.equal(body(pools[0]).type, 'nodepool.ready')
    t.equal(body(pools[0]).data.name, 'web-a')
  })

  t.test('every request of every test above verified with the reference implementation', async t => {
    t.ok(receiver.received.length > 10)
    t.same(receiver.received.filter(r => r.verifyError).map(r => r.verifyError), [])
  })

  t.test('/metrics counts attempt outcomes across workers', async t => {
    const text = (await a.app.inject({ method: 'GET', url: '/metrics' })).body
    const count = (result: string) => Number(new RegExp(`^hcpgw_webhook_delivery_attempts_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1])
    t.ok(count('delivered') >= 8, `delivered ${count('delivered')}`)
    t.ok(count('retry') >= 2, `retry ${count('retry')}`)
    t.ok(count('dead') >= 2, 'the unreachable and the redirecting targets')
  })

  t.test('subscriptions survive a flush of every Redis key', async t => {
    await hook('/durable', ['job.succeeded'])
    await dropPrefix(a.app.redis, a.config.QUEUE_PREFIX)
    const job = await destroy(a, 'after-flush')
    await receiver.waitFor(r => about(r, '/durable', job.id).length === 1)
    t.pass('delivered after the flush')
  })
})

t.test('two api replicas see the same job end: one delivery per subscription', async t => {
  const a = await buildTestApp(t, { worker: true, env })
  // A second replica: same Redis prefix, same Kubernetes (so the same subscription Secrets).
  const b = await buildApi({ config: a.config, redisUrl, kubeConfig: a.twin.kubeConfig, objectStore: a.twin.objectStore })
  t.teardown(() => b.close())
  await b.ready()
  const receiver = await startReceiver(t)
  const subs = [await subscribe(a, { url: receiver.url('/one'), events: ['job.succeeded'] }), await subscribe(a, { url: receiver.url('/two'), events: ['job.succeeded'] })]
  receiver.setSecret('/one', subs[0].secret)
  receiver.setSecret('/two', subs[1].secret)
  await until(() => subs.every(s => b.webhooks.cache.get(s.id)), ok => ok, 5000)

  const job = await destroy(a, 'twice')
  await receiver.waitFor(r => about(r, '/one', job.id).length >= 1 && about(r, '/two', job.id).length >= 1)
  await sleep(500)
  t.equal(about(receiver.received, '/one', job.id).length, 1)
  t.equal(about(receiver.received, '/two', job.id).length, 1)
  t.equal(receiver.received.filter(r => r.verifyError).length, 0)
})

t.test('the target is checked again at delivery time', async t => {
  // The api accepted the loopback target under its allow-list; a worker without it must refuse to send.
  const a = await buildTestApp(t, { env })
  await startTestWorkers(t, { prefix: a.config.QUEUE_PREFIX, processors, kubeConfig: a.twin.kubeConfig, env: { ...env, WEBHOOK_ALLOWED_HOSTS: '' } })
  const receiver = await startReceiver(t)
  const sub = await subscribe(a, { url: receiver.url('/guarded'), events: ['job.succeeded'] })
  receiver.setSecret('/guarded', sub.secret)
  await destroy(a, 'guarded')
  const log = await until(() => deliveries(a, sub.id), d => d[0]?.state === 'failed')
  t.equal(log[0].attemptCount, 1, 'a refused target is not retried')
  t.match(log[0].attempts[0].error, /127\.0\.0\.1.*loopback, link-local or private/)
  t.equal(receiver.received.length, 0)
})
