import t, { type Test } from 'tap'
import type { AddressInfo } from 'node:net'
import { KubernetesObjectApi } from '@kubernetes/client-node'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import type { FastifyInstance } from 'fastify'
import type { JobRecord } from '../../../../shared/jobs/schema.ts'
import { defineJob } from '../../../../services/worker/jobs/define-job.ts'
import { buildTestApp } from '../../../helpers/app.ts'
import { dropPrefix, startTestWorkers, testPrefix } from '../../../helpers/jobs.ts'

// Stage 'work' reports progress, then waits for the test to open its gate.
let gate = Promise.withResolvers<void>()
const def = defineJob({
  kind: 'etcd-snapshot',
  attempts: 1,
  backoff: { delay: 10, jitter: 0 },
  stages: [
    { name: 'prepare', run: async () => 'prepared' },
    {
      name: 'work',
      run: async ctx => {
        ctx.progress({ percent: 50, message: 'half way' })
        await gate.promise
        return 'worked'
      }
    }
  ]
})

const JOB_FIELDS = 'id state attempts startedAt finishedAt result progress { percent stage message updatedAt } stages { name state startedAt finishedAt message }'

async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`
}

function client (t: Test, url: string, authorization: string): Client {
  const c = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization }, retryAttempts: 0, lazy: true })
  t.teardown(() => c.dispose())
  return c
}

interface Collected<T> { items: T[], errors: unknown[], done: Promise<void> }

// Collects every data message of one subscription until it completes or errors.
function collect<T> (c: Client, query: string, variables?: Record<string, unknown>, onItem?: (item: T) => void): Collected<T> & { stop: () => void } {
  const items: T[] = []
  const errors: unknown[] = []
  const { promise, resolve } = Promise.withResolvers<void>()
  const stop = c.subscribe<Record<string, T>>({ query, variables }, {
    next: msg => {
      if (msg.errors) errors.push(...msg.errors)
      if (msg.data) {
        const item = Object.values(msg.data)[0]
        items.push(item)
        onItem?.(item)
      }
    },
    error: err => { errors.push(...(Array.isArray(err) ? err : [err])); resolve() },
    complete: () => resolve()
  })
  return { items, errors, done: promise, stop }
}

async function until (check: () => boolean, what: string, ms = 8000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

t.test('a subscription on replica A follows a job submitted through replica B, each change once', async t => {
  gate = Promise.withResolvers()
  const prefix = testPrefix('gqlsub')
  const a = await buildTestApp(t, { env: { QUEUE_PREFIX: prefix }, jobs: { policies: [def.policy] } })
  const b = await buildTestApp(t, { env: { QUEUE_PREFIX: prefix }, jobs: { policies: [def.policy] } })
  t.teardown(() => dropPrefix(a.app.redis, prefix))
  await startTestWorkers(t, { prefix, processors: [def] })
  const urlA = await listen(a.app)
  const urlB = await listen(b.app)
  await Promise.all([a.app.jobs.ready(), b.app.jobs.ready()])

  const onA = client(t, urlA, a.as.viewer.authorization)
  const everything = collect<JobRecord>(onA, `subscription { jobs(filter: { kind: "etcd-snapshot" }) { ${JOB_FIELDS} } }`)
  const tenantSees = collect<JobRecord>(client(t, urlA, a.as.tenant.authorization), `subscription { jobs { ${JOB_FIELDS} } }`)
  // graphql-ws subscribes lazily; give both connections time to be acknowledged and registered.
  await new Promise(resolve => setTimeout(resolve, 300))

  const { job } = await b.app.jobs.submit({ kind: 'etcd-snapshot', target: { type: 'cluster', name: 'demo', namespace: 'clusters' }, params: {}, createdBy: 'test' })
  await until(() => everything.items.some(r => r.progress.message === 'half way'), 'the job to report progress')

  const progress = collect<JobRecord>(onA, `subscription ($id: ID!) { jobProgress(id: $id) { ${JOB_FIELDS} } }`, { id: job.id })
  await until(() => progress.items.length > 0, 'the first record')
  t.equal(progress.items[0].state, 'running', 'the first message is the current state')
  t.equal(progress.items[0].progress.message, 'half way')
  gate.resolve()
  await progress.done
  t.same(progress.errors, [])
  t.equal(progress.items.at(-1)!.state, 'succeeded', 'the final state is last, then the subscription completes')
  const seen = progress.items.map(r => JSON.stringify(r))
  t.equal(new Set(seen).size, seen.length, 'no record twice')

  await until(() => everything.items.some(r => r.state === 'succeeded'), 'the filtered feed to see the end')
  const all = everything.items.map(r => JSON.stringify(r))
  t.equal(new Set(all).size, all.length, 'the jobs feed delivers each change once', { all })
  const clock = everything.items.map(r => r.progress.updatedAt)
  t.same(clock, [...clock].sort(), 'in order')
  const states = everything.items.map(r => r.state).filter((s, i, arr) => s !== arr[i - 1])
  t.same(states.slice(-2), ['running', 'succeeded'], 'states in order (queued may already be past when the first event is read)')
  t.same(tenantSees.items, [], 'a tenant key sees no job outside its namespaces')

  // A late subscriber on the other replica gets the current (final) record and completion.
  const late = collect<JobRecord>(client(t, urlB, b.as.viewer.authorization), `subscription ($id: ID!) { jobProgress(id: $id) { ${JOB_FIELDS} } }`, { id: job.id })
  await late.done
  t.equal(late.items.length, 1)
  t.equal(late.items[0].state, 'succeeded')

  const hidden = collect<JobRecord>(client(t, urlB, b.as.tenant.authorization), 'subscription ($id: ID!) { jobProgress(id: $id) { id } }', { id: job.id })
  await hidden.done
  t.match(hidden.errors, [{ extensions: { code: 'GW_ERR_NOT_FOUND', status: 404 } }], 'outside its tenant a job is not found')
  everything.stop()
  tenantSees.stop()
})

t.test('connection_init authenticates; cluster and node pool events come from the watch caches', async t => {
  const { app, as } = await buildTestApp(t)
  const url = await listen(app)

  const refused = collect<unknown>(client(t, url, 'Bearer hcpgw_not_a_key'), 'subscription { clusterEvents { type } }')
  await refused.done
  t.ok(refused.errors.length > 0, 'a bad key cannot subscribe')

  const c = client(t, url, as.viewer.authorization)
  const missing = collect<unknown>(c, 'subscription { nodePoolEvents(cluster: "nope") { type } }')
  await missing.done
  t.match(missing.errors, [{ extensions: { code: 'GW_ERR_NOT_FOUND' } }])
  const badFilter = collect<unknown>(c, 'subscription { clusterEvents(filter: "phase ==") { type } }')
  await badFilter.done
  t.match(badFilter.errors, [{ extensions: { code: 'GW_ERR_VALIDATION', errors: [{ field: 'query.search' }] } }])

  type ClusterEvent = { type: string, changes: string[], cluster: { name: string, phase: string } }
  const events = collect<ClusterEvent>(c, 'subscription { clusterEvents(filter: "labels.env = \'prod\'") { type changes cluster { name phase } } }')
  const tenantEvents = collect<ClusterEvent>(client(t, url, as.tenant.authorization), 'subscription { clusterEvents { type cluster { name } } }')
  await new Promise(resolve => setTimeout(resolve, 300))
  const api = KubernetesObjectApi.makeApiClient(app.kube.config)
  await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'clusters' } })
  const hc = (name: string, env: string) => ({
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name, namespace: 'clusters', labels: { env } },
    spec: { platform: { type: 'None' }, release: { image: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64' }, pullSecret: { name: 'ps' } }
  })
  await api.create(hc('prod-1', 'prod') as never)
  await api.create(hc('dev-1', 'dev') as never)
  await until(() => events.items.length >= 1, 'the ADDED event')
  t.same(events.items[0], { type: 'ADDED', changes: [], cluster: { name: 'prod-1', phase: events.items[0].cluster.phase } })

  const pools = collect<{ type: string, nodePool: { name: string } }>(c, 'subscription { nodePoolEvents(cluster: "prod-1") { type nodePool { name } } }')
  await new Promise(resolve => setTimeout(resolve, 200))
  await api.create({ apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'NodePool', metadata: { name: 'prod-1-a', namespace: 'clusters' }, spec: { clusterName: 'prod-1', replicas: 1, platform: { type: 'None' }, release: { image: 'x' }, management: { upgradeType: 'Replace' } } } as never)
  await until(() => pools.items.length >= 1, 'the node pool event')
  t.same(pools.items[0], { type: 'ADDED', nodePool: { name: 'prod-1-a' } })

  // A label-only change is neither a phase nor a condition change: no event. Deleting is one.
  await api.patch({ ...hc('prod-1', 'prod'), metadata: { name: 'prod-1', namespace: 'clusters', labels: { env: 'prod', extra: 'x' } } } as never, undefined, undefined, undefined, undefined, 'application/merge-patch+json' as never)
  await api.delete(hc('prod-1', 'prod') as never)
  await until(() => events.items.some(e => e.type === 'DELETED'), 'the DELETED event')
  t.same(events.items.map(e => e.type), ['ADDED', 'DELETED'])
  t.same(tenantEvents.items, [], 'the tenant sees no event outside team-a')
  for (const s of [events, tenantEvents, pools]) s.stop()
})
