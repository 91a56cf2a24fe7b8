import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../../../helpers/app.ts'
import { awsBody } from '../../../helpers/cluster-bodies.ts'

type Headers = Record<string, string>
interface GqlError { message: string, extensions: { code: string, status: number, errors?: Array<{ field: string }> } }

async function gql (app: FastifyInstance, headers: Headers, query: string, variables?: object): Promise<{ data: Record<string, any> | null, errors?: GqlError[] }> {
  const res = await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } })
  return res.json()
}

const CREATE = `mutation ($input: JSON!, $dryRun: Boolean, $key: String) {
  createCluster(input: $input, dryRun: $dryRun, idempotencyKey: $key) { replayed warnings cluster { name namespace platform resourceVersion } dryRun { serverValidated manifests } }
}`

t.test('every REST write has a mutation with the same rules and errors', async t => {
  const { app, as } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true })

  const dry = await gql(app, as.operator, CREATE, { input: awsBody('alpha'), dryRun: true })
  t.same(dry.data!.createCluster.dryRun.manifests.map((o: { kind: string }) => o.kind), ['Namespace', 'Secret', 'Secret', 'HostedCluster', 'NodePool'])
  t.equal(dry.data!.createCluster.cluster, null)

  const viewer = await gql(app, as.viewer, CREATE, { input: awsBody('alpha') })
  t.equal(viewer.errors?.[0].extensions.code, 'GW_ERR_FORBIDDEN', 'writes need the operator role, as over REST')

  const bad = { ...awsBody('alpha'), platform: 'nope', extra: 1 }
  const restBad = (await app.inject({ method: 'POST', url: '/api/v1/clusters', headers: as.operator, payload: bad })).json()
  const gqlBad = await gql(app, as.operator, CREATE, { input: bad })
  t.equal(gqlBad.errors?.[0].extensions.code, restBad.code)
  t.same(gqlBad.errors?.[0].extensions.errors?.map(e => e.field), restBad.errors.map((e: { field: string }) => e.field), 'the same field errors')

  const created = await gql(app, as.operator, CREATE, { input: awsBody('alpha'), key: 'create-alpha' })
  t.notOk(created.errors, JSON.stringify(created.errors))
  t.match(created.data!.createCluster, { replayed: false, cluster: { name: 'alpha', namespace: 'clusters', platform: 'AWS' } })
  const replay = await gql(app, as.operator, CREATE, { input: awsBody('alpha'), key: 'create-alpha' })
  t.match(replay.data!.createCluster, { replayed: true, cluster: { name: 'alpha' } }, 'the same key and input replay the answer')
  const reused = await gql(app, as.operator, CREATE, { input: awsBody('other'), key: 'create-alpha' })
  t.equal(reused.errors?.[0].extensions.code, 'GW_ERR_UNPROCESSABLE', 'the key with other input is refused')
  const taken = await gql(app, as.operator, CREATE, { input: awsBody('alpha') })
  t.equal(taken.errors?.[0].extensions.code, 'GW_ERR_ALREADY_EXISTS')

  const PATCH = 'mutation ($p: JSON!, $m: String) { patchCluster(name: "alpha", patch: $p, ifMatch: $m) { cluster { labels resourceVersion } } }'
  const stale = await gql(app, as.operator, PATCH, { p: { labels: { env: 'prod' } }, m: '1' })
  t.equal(stale.errors?.[0].extensions.code, 'GW_ERR_PRECONDITION_FAILED')
  const rv = created.data!.createCluster.cluster.resourceVersion
  const current = (await gql(app, as.viewer, '{ cluster(name: "alpha") { resourceVersion } }')).data!.cluster.resourceVersion
  t.ok(rv)
  const labelled = await gql(app, as.operator, PATCH, { p: { labels: { env: 'prod' } }, m: current })
  t.notOk(labelled.errors, JSON.stringify(labelled.errors))
  t.equal(labelled.data!.patchCluster.cluster.labels.env, 'prod')

  const pool = (await gql(app, as.viewer, '{ cluster(name: "alpha") { nodePools { name } } }')).data!.cluster.nodePools[0].name
  const scaled = await gql(app, as.operator, 'mutation ($n: String!) { patchNodePool(cluster: "alpha", name: $n, patch: { replicas: 3 }) { nodePool { replicas } } }', { n: pool })
  t.equal(scaled.data!.patchNodePool.nodePool.replicas, 3, JSON.stringify(scaled.errors))
  const auto = await gql(app, as.operator, 'mutation ($n: String!) { patchNodePool(cluster: "alpha", name: $n, patch: { autoscaling: { min: 2, max: 5 } }) { nodePool { replicas autoscaling { min max } } } }', { n: pool })
  t.same(auto.data!.patchNodePool.nodePool, { replicas: null, autoscaling: { min: 2, max: 5 } })
  const added = await gql(app, as.operator, 'mutation { createNodePool(cluster: "alpha", input: { name: "alpha-extra", replicas: 1, aws: { instanceType: "m5.xlarge" } }) { nodePool { name } } }')
  t.equal(added.data?.createNodePool.nodePool.name, 'alpha-extra', JSON.stringify(added.errors))
  const one = await gql(app, as.viewer, '{ nodePool(cluster: "alpha", name: "alpha-extra") { name clusterName } }')
  t.same(one.data!.nodePool, { name: 'alpha-extra', clusterName: 'alpha' })
  const removed = await gql(app, as.operator, 'mutation { deleteNodePool(cluster: "alpha", name: "alpha-extra") { phase } }')
  t.equal(removed.data?.deleteNodePool.phase, 'Deleting', JSON.stringify(removed.errors))

  const noReason = await gql(app, as.admin, 'mutation { deleteCluster(name: "alpha", force: true) { id } }')
  const restNoReason = (await app.inject({ method: 'DELETE', url: '/api/v1/clusters/alpha?force=true', headers: as.admin })).json()
  t.equal(noReason.errors?.[0].extensions.code, restNoReason.code)
  t.same(noReason.errors?.[0].extensions.errors?.map(e => e.field), ['query.reason'])
  const destroy = await gql(app, as.operator, 'mutation { deleteCluster(name: "alpha") { id kind state target { name namespace } } }')
  t.match(destroy.data!.deleteCluster, { kind: 'cluster-destroy', target: { name: 'alpha', namespace: 'clusters' } })
  const id = destroy.data!.deleteCluster.id
  t.equal((await gql(app, as.viewer, `{ job(id: "${id}") { id } }`)).data!.job.id, id)
  const listed = await gql(app, as.viewer, '{ jobs(filter: { kind: "cluster-destroy" }, first: 10) { edges { node { id } } pageInfo { hasNextPage } } }')
  t.same(listed.data!.jobs.edges.map((e: { node: { id: string } }) => e.node.id), [id])
  const badFilter = await gql(app, as.viewer, '{ jobs(filter: { kind: "nope" }) { edges { node { id } } } }')
  const restBadFilter = (await app.inject({ method: 'GET', url: '/api/v1/jobs?kind=nope', headers: as.viewer })).json()
  t.equal(badFilter.errors?.[0].extensions.code, restBadFilter.code)
  t.same(badFilter.errors?.[0].extensions.errors?.map(e => e.field), restBadFilter.errors.map((e: { field: string }) => e.field))
  const cancel = await gql(app, as.viewer, `mutation { cancelJob(id: "${id}") { id } }`)
  t.equal(cancel.errors?.[0].extensions.code, 'GW_ERR_FORBIDDEN', 'cancel needs the operator role')
  const retry = await gql(app, as.operator, `mutation { retryJob(id: "${id}") { id } }`)
  t.equal(retry.errors?.[0].extensions.code, 'GW_ERR_CONFLICT', 'only failed or cancelled jobs can be retried')
})

t.test('webhook subscriptions over GraphQL follow the REST rules', async t => {
  const { app, as } = await buildTestApp(t)
  t.same((await gql(app, as.viewer, '{ webhooks { id } }')).data, { webhooks: [] })
  const CREATE_HOOK = 'mutation ($i: JSON!) { createWebhook(input: $i) { secret webhook { id url events } } }'
  for (const input of [{ url: 'https://127.0.0.1/hook', events: ['job.succeeded'] }, { url: 'https://example.com/hook', events: ['nope'] }]) {
    const rest = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: as.operator, payload: input })
    const res = await gql(app, as.operator, CREATE_HOOK, { i: input })
    t.equal(res.errors?.[0].extensions.code, rest.json().code, `${input.url}: ${rest.json().code}`)
  }
  t.equal((await gql(app, as.viewer, CREATE_HOOK, { i: { url: 'https://example.com/hook', events: ['job.succeeded'] } })).errors?.[0].extensions.code, 'GW_ERR_FORBIDDEN')
  const missing = await gql(app, as.viewer, '{ webhook(id: "0123456789abcdef0123") { id } }')
  t.equal(missing.errors?.[0].extensions.code, (await app.inject({ method: 'GET', url: '/api/v1/webhooks/0123456789abcdef0123', headers: as.viewer })).json().code)
})
