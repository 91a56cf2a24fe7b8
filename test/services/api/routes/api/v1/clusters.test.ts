import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../../../../../helpers/app.ts'
import { awsBody } from '../../../../../helpers/cluster-bodies.ts'

// The cluster API end to end against the twin with CRD validation and the HyperShift behaviour on.
async function waitForPhase (app: FastifyInstance, headers: Record<string, string>, name: string, phase: string, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < end) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/clusters/${name}`, headers })
    last = res.json().phase
    if (last === phase) return res.json()
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`cluster ${name} stayed ${last}, never ${phase}`)
}

t.test('create, watch it become Ready, read, patch, scale and manage node pools', async t => {
  const { app, as } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true })

  const dry = await app.inject({ method: 'POST', url: '/api/v1/clusters?dryRun=true', headers: as.operator, payload: awsBody('alpha') })
  t.equal(dry.statusCode, 200, dry.body)
  const kinds = dry.json().manifests.map((o: { kind: string }) => o.kind)
  t.same(kinds, ['Namespace', 'Secret', 'Secret', 'HostedCluster', 'NodePool'])
  const pull = dry.json().manifests.find((o: { kind: string, metadata: { name: string } }) => o.metadata.name === 'alpha-pull-secret')
  t.same(pull.data, { '.dockerconfigjson': '<redacted>' }, 'secrets redacted by default')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha', headers: as.viewer })).statusCode, 404, 'a dry run writes nothing')
  const sensitive = await app.inject({ method: 'POST', url: '/api/v1/clusters?dryRun=true&sensitive=true', headers: as.operator, payload: awsBody('alpha') })
  t.equal(sensitive.statusCode, 403, 'sensitive needs admin')

  const created = await app.inject({ method: 'POST', url: '/api/v1/clusters', headers: { ...as.operator, 'idempotency-key': 'create-alpha' }, payload: awsBody('alpha') })
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.headers.location, '/api/v1/clusters/alpha')
  t.match(created.headers.etag, /^"\d+"$/)
  t.equal(created.json().platform, 'AWS')
  t.equal(created.json().namespace, 'clusters')
  const replay = await app.inject({ method: 'POST', url: '/api/v1/clusters', headers: { ...as.operator, 'idempotency-key': 'create-alpha' }, payload: awsBody('alpha') })
  t.equal(replay.statusCode, 201)
  t.equal(replay.headers['idempotency-replayed'], 'true')
  const again = await app.inject({ method: 'POST', url: '/api/v1/clusters', headers: as.operator, payload: awsBody('alpha') })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'GW_ERR_ALREADY_EXISTS')

  const ready = await waitForPhase(app, as.viewer, 'alpha', 'Ready')
  t.equal(ready.nodePools.count, 1)
  t.ok(ready.conditions.some((c: { type: string, status: string }) => c.type === 'Available' && c.status === 'True'))

  const list = await app.inject({ method: 'GET', url: "/api/v1/clusters?search=phase%20%3D%20'Ready'", headers: as.viewer })
  t.equal(list.statusCode, 200)
  t.same(list.json().items.map((c: { name: string }) => c.name), ['alpha'])
  t.equal(list.json().cache.synced, true)

  const got = await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha', headers: as.viewer })
  const etag = got.headers.etag as string
  const stale = await app.inject({ method: 'PATCH', url: '/api/v1/clusters/alpha', headers: { ...as.operator, 'if-match': '"1"' }, payload: { labels: { env: 'prod' } } })
  t.equal(stale.statusCode, 412)
  t.equal(stale.json().code, 'GW_ERR_PRECONDITION_FAILED')
  const labelled = await app.inject({ method: 'PATCH', url: '/api/v1/clusters/alpha', headers: { ...as.operator, 'if-match': etag }, payload: { labels: { env: 'prod' } } })
  t.equal(labelled.statusCode, 200, labelled.body)
  t.same(labelled.json().labels.env, 'prod')
  const viewerPatch = await app.inject({ method: 'PATCH', url: '/api/v1/clusters/alpha', headers: as.viewer, payload: { labels: { env: 'x' } } })
  t.equal(viewerPatch.statusCode, 403)

  const pools = await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha/nodepools', headers: as.viewer })
  t.equal(pools.statusCode, 200)
  const poolName = pools.json().items[0].name
  const scaled = await app.inject({ method: 'PATCH', url: `/api/v1/clusters/alpha/nodepools/${poolName}`, headers: as.operator, payload: { replicas: 3 } })
  t.equal(scaled.statusCode, 200, scaled.body)
  t.equal(scaled.json().replicas, 3)
  const auto = await app.inject({ method: 'PATCH', url: `/api/v1/clusters/alpha/nodepools/${poolName}`, headers: as.operator, payload: { autoscaling: { min: 2, max: 5 } } })
  t.equal(auto.statusCode, 200, auto.body)
  t.same(auto.json().autoscaling, { min: 2, max: 5 })
  t.equal(auto.json().replicas, null, 'replicas dropped in the same change')

  const addPool = await app.inject({ method: 'POST', url: '/api/v1/clusters/alpha/nodepools', headers: as.operator, payload: { name: 'alpha-extra', replicas: 1, aws: { instanceType: 'm5.xlarge' } } })
  t.equal(addPool.statusCode, 201, addPool.body)
  const removed = await app.inject({ method: 'DELETE', url: '/api/v1/clusters/alpha/nodepools/alpha-extra', headers: as.operator })
  t.equal(removed.statusCode, 202, removed.body)

  const kubeconfig = await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha/kubeconfig', headers: as.admin })
  t.equal(kubeconfig.statusCode, 200, kubeconfig.body)
  t.match(kubeconfig.body, /apiVersion: v1/)
  t.equal(kubeconfig.headers['cache-control'], 'no-store')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha/kubeadmin-password', headers: as.operator })).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha', headers: as.tenant })).statusCode, 404, 'outside the tenant = not found')

  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/clusters/alpha?force=true', headers: as.admin })).statusCode, 400, 'force needs a reason')
  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/clusters/alpha?force=true&reason=stuck', headers: as.operator })).statusCode, 403, 'force needs admin')
  const destroy = await app.inject({ method: 'DELETE', url: '/api/v1/clusters/alpha', headers: as.operator })
  t.equal(destroy.statusCode, 202, destroy.body)
  const job = destroy.json()
  t.equal(destroy.headers.location, `/api/v1/jobs/${job.id}`)
  t.match(job, { kind: 'cluster-destroy', target: { type: 'cluster', name: 'alpha', namespace: 'clusters' } })
  const second = await app.inject({ method: 'DELETE', url: '/api/v1/clusters/alpha', headers: as.operator })
  t.equal(second.json().id, job.id, 'one destroy per cluster')
  let state = job.state
  for (let i = 0; i < 300 && !['succeeded', 'failed', 'cancelled'].includes(state); i++) {
    await new Promise(resolve => setTimeout(resolve, 50))
    state = (await app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: as.viewer })).json().state
  }
  t.equal(state, 'succeeded')
  const after = await app.inject({ method: 'GET', url: '/api/v1/clusters', headers: as.viewer })
  t.equal(after.json().total, 0, 'the cluster is gone')
})

t.test('bad input never writes anything and is a 4xx problem', async t => {
  const { app, as } = await buildTestApp(t, { twin: { crdDir: 'shared' } })
  const cases: Array<[string, unknown, number]> = [
    ['no body', undefined, 400],
    ['unknown platform', { ...awsBody('bad1'), platform: 'gcp' }, 400],
    ['bad name', awsBody('Bad_Name'), 400],
    ['name clusters', awsBody('clusters'), 400],
    ['overlapping cidrs', awsBody('bad2', { networking: { clusterCidr: ['10.0.0.0/14'], serviceCidr: ['10.1.0.0/16'] } }), 400],
    ['unknown field', { ...awsBody('bad3'), color: 'red' }, 400],
    ['replicas as string', awsBody('bad4', { nodePool: { replicas: '2' } }), 400]
  ]
  for (const [what, payload, status] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/clusters', headers: as.operator, payload: payload as object })
    t.equal(res.statusCode, status, `${what}: ${res.body}`)
    t.match(String(res.headers['content-type']), /application\/problem\+json/, what)
    t.type(res.json().code, 'string', what)
  }
  const list = await app.inject({ method: 'GET', url: '/api/v1/clusters', headers: as.viewer })
  t.equal(list.json().total, 0, 'nothing half-written')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/clusters?search=name%20%3D%3D%3D', headers: as.viewer })).json().code, 'GW_ERR_VALIDATION')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/clusters' })).statusCode, 401)
})

t.test('versions and capacity', async t => {
  const { app, as } = await buildTestApp(t, { twin: { hypershiftStepMs: 10 } })
  let versions = await app.inject({ method: 'GET', url: '/api/v1/versions', headers: as.viewer })
  for (let i = 0; i < 50 && versions.statusCode !== 200; i++) {
    await new Promise(resolve => setTimeout(resolve, 50))
    versions = await app.inject({ method: 'GET', url: '/api/v1/versions', headers: as.viewer })
  }
  t.equal(versions.statusCode, 200, versions.body)
  t.match(versions.json(), { supported: { versions: Array } })
  const capacity = await app.inject({ method: 'POST', url: '/api/v1/capacity', headers: as.viewer, payload: { workerNodes: 3, vcpuPerNode: 64, memoryGiBPerNode: 128 } })
  t.equal(capacity.statusCode, 200, capacity.body)
  t.type(capacity.json().maxHostedControlPlanes, 'number')
})
