import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../../../helpers/app.ts'

type Headers = Record<string, string>
interface GqlError { message: string, extensions: { code: string, status: number, errors?: Array<{ field: string }> } }
interface GqlAnswer { status: number, data: Record<string, unknown> | null, errors?: GqlError[] }

async function gql (app: FastifyInstance, headers: Headers, query: string, variables?: object): Promise<GqlAnswer> {
  const res = await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } })
  const body = res.json()
  return { status: res.statusCode, data: body.data, errors: body.errors }
}

const clusterObject = (name: string, namespace: string, phaseReady = true) => ({
  apiVersion: 'hypershift.openshift.io/v1beta1',
  kind: 'HostedCluster',
  metadata: { name, namespace, labels: { env: 'test' } },
  spec: { platform: { type: 'None' }, release: { image: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64' }, pullSecret: { name: 'ps' } },
  status: phaseReady ? { conditions: [{ type: 'Available', status: 'True', reason: 'AsExpected', message: '', lastTransitionTime: '2025-01-01T00:00:00Z' }] } : {}
})

async function seed (app: FastifyInstance, objects: Array<{ metadata: { namespace: string }, kind: string }>) {
  const { KubernetesObjectApi } = await import('@kubernetes/client-node')
  const api = KubernetesObjectApi.makeApiClient(app.kube.config)
  for (const ns of new Set(objects.map(o => o.metadata.namespace))) {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => {})
  }
  for (const o of objects) await api.create(o as never)
}

async function waitFor (check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

t.test('queries answer like REST, with the same codes for the same bad input', async t => {
  const { app, as } = await buildTestApp(t)
  await seed(app, [clusterObject('alpha', 'clusters'), clusterObject('beta', 'clusters', false), clusterObject('gamma', 'team-a')])
  await waitFor(() => app.caches.clusters.list().length === 3, 'the cache to see the clusters')

  const page = await gql(app, as.viewer, '{ clusters(first: 2, order: "name asc") { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name namespace phase labels nodePoolSummary { count } } } cache { synced } } }')
  t.equal(page.status, 200)
  t.notOk(page.errors)
  const conn = page.data!.clusters as { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string }, edges: Array<{ cursor: string | null, node: { name: string } }>, cache: { synced: boolean } }
  const rest = (await app.inject({ method: 'GET', url: '/api/v1/clusters?limit=2&order=name%20asc', headers: as.viewer })).json()
  t.same(conn.edges.map(e => e.node.name), rest.items.map((c: { name: string }) => c.name))
  t.equal(conn.totalCount, rest.total)
  t.equal(conn.pageInfo.endCursor, rest.continue, 'the cursor is the REST continue token')
  t.equal(conn.edges[1].cursor, rest.continue)
  t.equal(conn.cache.synced, true)
  const next = await gql(app, as.viewer, 'query ($after: String) { clusters(first: 2, order: "name asc", after: $after) { edges { node { name } } pageInfo { hasNextPage } } }', { after: conn.pageInfo.endCursor })
  t.same((next.data!.clusters as { edges: Array<{ node: { name: string } }> }).edges.map(e => e.node.name), ['gamma'])

  const one = await gql(app, as.viewer, '{ cluster(name: "alpha") { name phase resourceVersion nodePools { name } jobs { id } } }')
  const restOne = (await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha', headers: as.viewer })).json()
  t.same(one.data!.cluster, { name: 'alpha', phase: restOne.phase, resourceVersion: restOne.resourceVersion, nodePools: [], jobs: [] })

  // The same bad input gives the same code (and field) over both transports.
  const cases: Array<{ what: string, url: string, query: string, headers?: Headers }> = [
    { what: 'invalid cluster name', url: '/api/v1/clusters/Bad_Name', query: '{ cluster(name: "Bad_Name") { name } }' },
    { what: 'bad search syntax', url: '/api/v1/clusters?search=phase%20%3D%3D', query: '{ clusters(search: "phase ==") { totalCount } }' },
    { what: 'unknown cluster', url: '/api/v1/clusters/nope', query: '{ cluster(name: "nope") { name } }' },
    { what: 'tenant outside its namespaces', url: '/api/v1/clusters/alpha', query: '{ cluster(name: "alpha") { name } }', headers: as.tenant },
    { what: 'page too large', url: '/api/v1/clusters?limit=501', query: '{ clusters(first: 501) { totalCount } }' },
    { what: 'bad job id', url: '/api/v1/jobs/has:colon', query: '{ job(id: "has:colon") { id } }' }
  ]
  for (const c of cases) {
    const headers = c.headers ?? as.viewer
    const restRes = await app.inject({ method: 'GET', url: c.url, headers })
    const gqlRes = await gql(app, headers, c.query)
    const err = gqlRes.errors?.[0]
    t.equal(err?.extensions.code, restRes.json().code, `${c.what}: ${restRes.json().code}`)
    t.equal(err?.extensions.status, restRes.statusCode, `${c.what}: status`)
    t.same(err?.extensions.errors?.map(e => e.field), restRes.json().errors?.map((e: { field: string }) => e.field), `${c.what}: fields`)
  }

  const forbidden = await gql(app, as.viewer, '{ cluster(name: "alpha") { name kubeconfig } }')
  t.same(forbidden.data, { cluster: { name: 'alpha', kubeconfig: null } }, 'kubeconfig is a field error; the rest is answered')
  t.equal(forbidden.errors?.[0].extensions.code, 'GW_ERR_FORBIDDEN')
  t.same(forbidden.errors?.[0].extensions.code, (await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha/kubeconfig', headers: as.viewer })).json().code)
  const notYet = await gql(app, as.admin, '{ cluster(name: "alpha") { kubeconfig } }')
  t.equal(notYet.errors?.[0].extensions.code, 'GW_ERR_CONFLICT', 'an admin gets the REST 409: not published yet')

  const tenant = await gql(app, as.tenant, '{ clusters { totalCount edges { node { name } } } }')
  t.same(tenant.data, { clusters: { totalCount: 1, edges: [{ node: { name: 'gamma' } }] } }, 'a tenant lists only its namespaces')

  const unauthenticated = await gql(app, {}, '{ clusters { totalCount } }')
  t.equal(unauthenticated.status, 401)
  t.equal(unauthenticated.errors?.[0].extensions.code, 'GW_ERR_UNAUTHENTICATED')
  const badKey = await gql(app, { authorization: 'Bearer hcpgw_nope' }, '{ clusters { totalCount } }')
  t.equal(badKey.status, 401)

  const syntax = await gql(app, as.viewer, '{ clusters { ')
  t.equal(syntax.status, 400)
  t.equal(syntax.errors?.[0].extensions.code, 'GW_ERR_BAD_REQUEST')
  const unknownField = await gql(app, as.viewer, '{ clusters { nope } }')
  t.equal(unknownField.errors?.[0].extensions.code, 'GW_ERR_BAD_REQUEST')

  const versions = await gql(app, as.viewer, '{ versions }')
  t.same(versions.data!.versions, (await app.inject({ method: 'GET', url: '/api/v1/versions', headers: as.viewer })).json())
  const capacityInput = { workers: { count: 3, vcpu: 16, memoryGiB: 64 }, qps: 'low' }
  const restCapacity = await app.inject({ method: 'POST', url: '/api/v1/capacity', headers: as.viewer, payload: capacityInput })
  const capacity = await gql(app, as.viewer, 'query ($i: JSON!) { capacity(input: $i) }', { i: capacityInput })
  if (restCapacity.statusCode === 200) t.same(capacity.data!.capacity, restCapacity.json())
  else t.equal(capacity.errors?.[0].extensions.code, restCapacity.json().code)
  const badCapacity = await gql(app, as.viewer, 'query ($i: JSON!) { capacity(input: $i) }', { i: { nope: 1 } })
  const restBadCapacity = (await app.inject({ method: 'POST', url: '/api/v1/capacity', headers: as.viewer, payload: { nope: 1 } })).json()
  t.equal(badCapacity.errors?.[0].extensions.code, restBadCapacity.code)
  t.same(badCapacity.errors?.[0].extensions.errors?.map(e => e.field), restBadCapacity.errors.map((e: { field: string }) => e.field))
})

t.test('abuse limits: depth, cost, page size', async t => {
  const { app, as } = await buildTestApp(t, { env: { GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COST: '5000' } })
  const deep = await gql(app, as.viewer, '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }')
  t.equal(deep.status, 400)
  t.equal(deep.errors?.[0].extensions.code, 'GW_ERR_QUERY_TOO_COMPLEX')
  t.match(deep.errors?.[0].message, /depth/)
  t.equal((await gql(app, as.viewer, '{ clusters { edges { node { jobs { progress { stage } } } } } }')).errors, undefined, 'depth 6 passes')

  const aliases = Array.from({ length: 60 }, (_, i) => `c${i}: clusters(first: 100) { edges { node { name } } }`).join('\n')
  const wide = await gql(app, as.viewer, `{ ${aliases} }`)
  t.equal(wide.status, 400)
  t.equal(wide.errors?.[0].extensions.code, 'GW_ERR_QUERY_TOO_COMPLEX')
  t.match(wide.errors?.[0].message, /cost \d+ exceeds the limit of 5000/)

  const nested = await gql(app, as.viewer, 'query ($n: Int) { clusters(first: 100) { edges { node { nodePools(first: $n) { name phase } } } } }', { n: 500 })
  t.equal(nested.errors?.[0].extensions.code, 'GW_ERR_QUERY_TOO_COMPLEX', 'variables count too')

  const huge = await gql(app, as.viewer, '{ clusters(first: 10000) { totalCount } }')
  t.equal(huge.status, 400)
  t.equal(huge.errors?.[0].extensions.code, 'GW_ERR_VALIDATION')
  t.match(huge.errors?.[0].message, /at most 500/)
  t.equal((await gql(app, as.viewer, '{ clusters(first: 10) { totalCount } }')).errors, undefined, 'a sane query passes')
})

t.test('production: no GraphiQL, no introspection unless configured', async t => {
  const { app, as } = await buildTestApp(t, { env: { NODE_ENV: 'production' } })
  t.equal((await app.inject({ method: 'GET', url: '/graphiql' })).statusCode, 404)
  const intro = await gql(app, as.viewer, '{ __schema { types { name } } }')
  t.equal(intro.errors?.[0].extensions.code, 'GW_ERR_BAD_REQUEST')
  const { app: dev } = await buildTestApp(t, { env: { NODE_ENV: 'production', GRAPHIQL: 'true', GRAPHQL_INTROSPECTION: 'true' } })
  const ide = await dev.inject({ method: 'GET', url: '/graphiql' })
  t.equal(ide.statusCode, 200, 'GraphiQL is public when on')
  t.ok((await gql(dev, as.viewer, '{ __schema { queryType { name } } }')).data)
})

t.test('automatic persisted queries when configured', async t => {
  const { createHash } = await import('node:crypto')
  const { app, as } = await buildTestApp(t, { env: { GRAPHQL_PERSISTED_QUERIES: 'automatic' } })
  const query = '{ clusters { totalCount } }'
  const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } }
  const unknown = await app.inject({ method: 'POST', url: '/graphql', headers: as.viewer, payload: { extensions } })
  t.equal(unknown.json().errors[0].extensions.code, 'GW_ERR_BAD_REQUEST', 'an unknown hash asks for the query')
  t.match(unknown.json().errors[0].message, /PersistedQueryNotFound/)
  t.same((await app.inject({ method: 'POST', url: '/graphql', headers: as.viewer, payload: { query, extensions } })).json().data, { clusters: { totalCount: 0 } })
  t.same((await app.inject({ method: 'POST', url: '/graphql', headers: as.viewer, payload: { extensions } })).json().data, { clusters: { totalCount: 0 } }, 'then the hash alone')
})
