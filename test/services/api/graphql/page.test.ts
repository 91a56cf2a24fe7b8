import t from 'tap'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node'
import { loadConfig } from '../../../../shared/config.ts'
import { hashApiKey } from '../../../../shared/auth/api-keys.ts'
import { kubeconfigFor } from '../../../../services/sim/kube/kubeconfig.ts'
import { buildApi } from '../../../../services/api/server.ts'
import { startTestTwin } from '../../../helpers/twin.ts'
import { dropPrefix } from '../../../helpers/jobs.ts'

// Counts every HTTP request (watches included) that reaches the twin's API server through it.
async function countingProxy (t: { teardown (fn: () => unknown): void }, target: URL) {
  let requests = 0
  const server = createServer((req, res) => {
    requests++
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, up => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => requests }
}

const KEY = `hcpgw_${'pageviewer'.padEnd(32, '0')}`

t.test('a page of 100 clusters with node pools and latest jobs makes zero Kubernetes requests', async t => {
  const twin = await startTestTwin(t)
  const proxy = await countingProxy(t, new URL(twin.kube.url))
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromString(kubeconfigFor(proxy.url))
  const prefix = `test-gqlpage-${randomBytes(4).toString('hex')}`
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', QUEUE_PREFIX: prefix, API_KEYS: JSON.stringify([{ name: 'viewer', hash: hashApiKey(KEY), role: 'viewer' }]) })
  const app = await buildApi({ config, redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', kubeConfig, objectStore: twin.objectStore })
  t.teardown(async () => {
    await dropPrefix(app.redis, prefix)
    await app.close()
  })

  // Seeded straight into the twin: 100 clusters, two node pools each.
  const api = KubernetesObjectApi.makeApiClient(twin.kubeConfig)
  await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'clusters' } })
  const release = { image: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64' }
  const names = Array.from({ length: 100 }, (_, i) => `c${String(i).padStart(3, '0')}`)
  await Promise.all(names.map(async name => {
    await api.create({ apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', metadata: { name, namespace: 'clusters' }, spec: { platform: { type: 'None' }, release, pullSecret: { name: 'ps' } } } as never)
    for (const pool of ['a', 'b']) {
      await api.create({ apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'NodePool', metadata: { name: `${name}-${pool}`, namespace: 'clusters' }, spec: { clusterName: name, replicas: 2, release, platform: { type: 'None' }, management: { upgradeType: 'Replace' } } } as never)
    }
  }))
  await app.ready()
  for (let i = 0; i < 200 && (app.caches.clusters.list().length < 100 || app.caches.nodePools.list().length < 200); i++) await new Promise(resolve => setTimeout(resolve, 25))
  t.equal(app.caches.nodePools.list().length, 200, 'the caches are filled')
  // Two jobs on every tenth cluster, one running elsewhere.
  for (const name of names.filter((_, i) => i % 10 === 0)) {
    for (let n = 0; n < 2; n++) await app.jobs.submit({ kind: 'etcd-snapshot', target: { type: 'cluster', name, namespace: 'clusters' }, params: { n }, createdBy: 'test' })
  }

  const query = `{ clusters(first: 100) { totalCount edges { node {
    name phase nodePoolSummary { count } nodePools { name phase replicas } jobs(first: 1) { id state kind } } } } }`
  const before = proxy.count()
  const res = await app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${KEY}` }, payload: { query } })
  const after = proxy.count()
  t.equal(res.statusCode, 200, res.body.slice(0, 500))
  const edges = res.json().data.clusters.edges as Array<{ node: { name: string, nodePools: Array<{ name: string }>, jobs: Array<{ id: string }> } }>
  t.equal(edges.length, 100)
  t.ok(edges.every(e => e.node.nodePools.length === 2 && e.node.nodePools[0].name === `${e.node.name}-a`), 'every cluster has its two pools')
  t.same(edges.filter(e => e.node.jobs.length > 0).map(e => e.node.name), names.filter((_, i) => i % 10 === 0), 'the latest job of each cluster that has one')
  t.equal(edges.filter(e => e.node.jobs.length > 1).length, 0, 'first: 1 is respected')
  t.equal(after - before, 0, 'no request reached the Kubernetes API server')
  t.ok(before > 0, 'the proxy does see the app\'s requests (list + watch)')
})
