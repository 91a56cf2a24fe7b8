// Cluster and node pool lists served from real watch caches of the twin API server.
import t from 'tap'
import { Value } from 'typebox/value'
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubeServer } from '../../../services/sim/kube/server.ts'
import { createClusterLister } from '../../../shared/clusters/cluster-list.ts'
import { ClusterListSchema, NodePoolListSchema } from '../../../shared/clusters/view.ts'
import type { KubeObject } from '../../../shared/kube/kube-object.ts'
import { createWatchCache } from '../../../shared/kube/watch-cache.ts'

const GROUP = 'hypershift.openshift.io'
const VERSION = 'v1beta1'
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

t.test('lists, searches, scopes and follows writes', async t => {
  const server = await startKubeServer({ port: 0, crdDir: null })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  const core = kc.makeApiClient(CoreV1Api)
  const custom = kc.makeApiClient(CustomObjectsApi)
  for (const ns of ['clusters', 'tenant-a']) await core.createNamespace({ body: { metadata: { name: ns } } })
  const createHc = async (namespace: string, name: string, platform: object, labels: Record<string, string> = {}) =>
    await custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      plural: 'hostedclusters',
      namespace,
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'HostedCluster', metadata: { name, namespace, labels }, spec: { release: { image: 'quay.io/openshift-release-dev/ocp-release:4.18.10-x86_64' }, platform } }
    }) as KubeObject
  const createNp = (namespace: string, name: string, clusterName: string, replicas: number) =>
    custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      plural: 'nodepools',
      namespace,
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'NodePool', metadata: { name, namespace }, spec: { clusterName, replicas, release: { image: 'quay.io/openshift-release-dev/ocp-release:4.18.10-x86_64' }, platform: { type: 'AWS' }, management: { upgradeType: 'Replace' } } }
    })
  await createHc('clusters', 'prod-a', { type: 'AWS', aws: { region: 'us-east-1' } }, { env: 'prod' })
  await createHc('clusters', 'prod-b', { type: 'Agent', agent: { agentNamespace: 'agents' } }, { env: 'prod' })
  await createHc('tenant-a', 'dev-a', { type: 'KubeVirt' }, { env: 'dev' })
  await createNp('clusters', 'prod-a-1', 'prod-a', 2)
  await createNp('clusters', 'prod-a-2', 'prod-a', 3)
  await createNp('tenant-a', 'dev-a-1', 'dev-a', 1)
  await custom.patchNamespacedCustomObjectStatus({
    group: GROUP,
    version: VERSION,
    plural: 'hostedclusters',
    namespace: 'clusters',
    name: 'prod-a',
    body: { status: { conditions: [{ type: 'Available', status: 'True', reason: 'AsExpected', message: '', lastTransitionTime: '2025-03-01T10:00:00Z' }], version: { desired: { image: 'quay.io/openshift-release-dev/ocp-release:4.18.10-x86_64', version: '4.18.10' }, history: [{ state: 'Completed', version: '4.18.10', image: 'quay.io/openshift-release-dev/ocp-release:4.18.10-x86_64', startedTime: '2025-03-01T09:00:00Z', completionTime: '2025-03-01T10:00:00Z' }] } } }
  }, MERGE)

  const clusters = createWatchCache<KubeObject>({ kubeConfig: kc, group: GROUP, version: VERSION, plural: 'hostedclusters' })
  const nodePools = createWatchCache<KubeObject>({ kubeConfig: kc, group: GROUP, version: VERSION, plural: 'nodepools' })
  t.teardown(() => Promise.all([clusters.stop(), nodePools.stop()]))
  const lister = createClusterLister({ clusters, nodePools })
  await Promise.all([clusters.start(), nodePools.start()])

  const all = lister.listClusters({})
  t.ok(Value.Check(ClusterListSchema, all), 'matches ClusterListSchema')
  t.same(all.items.map(c => c.name), ['dev-a', 'prod-a', 'prod-b'])
  t.match(all, { limit: 100, total: 3, cache: { synced: true, resourceVersion: /^\d+$/ } })
  t.match(all.items[1], { phase: 'Ready', nodePools: { count: 2, desiredReplicas: 5, readyReplicas: 0 }, version: { current: '4.18.10' } })
  t.same(lister.listClusters({ search: "labels.env = 'prod' and platform in ('AWS', 'Agent')", order: 'platform desc' }).items.map(c => c.name), ['prod-b', 'prod-a'])
  t.same(lister.listClusters({ search: "conditions.Available = 'True'" }).items.map(c => c.name), ['prod-a'])
  t.same(lister.listClusters({ search: "phase = 'Pending'" }).items.map(c => c.name), ['dev-a', 'prod-b'])
  t.same(lister.listClusters({ search: "version like '4.18%' and region = 'us-east-1'" }).items.map(c => c.name), ['prod-a'])
  t.same(lister.listClusters({ order: 'version desc, namespace desc' }).items.map(c => c.name), ['dev-a', 'prod-a', 'prod-b'], 'same version: namespace desc (tenant-a first), then name')
  t.throws(() => lister.listClusters({ search: "color = 'red'" }), { errors: [{ field: 'query.search', message: /searchable fields: name, namespace, .*labels\.<key>.*conditions\.<key>.*phase, version/ }] })

  const first = lister.listClusters({ limit: 2 })
  t.equal(first.items.length, 2)
  const second = lister.listClusters({ limit: 2, continue: first.continue })
  t.same(second.items.map(c => c.name), ['prod-b'])
  t.equal(second.continue, undefined)

  t.same(lister.listClusters({}, ['tenant-a']).items.map(c => c.name), ['dev-a'], 'a tenant sees its namespaces only')
  t.equal(lister.listClusters({}, ['tenant-a']).total, 1)
  t.same(lister.listClusters({}, []).items, [])
  t.same(lister.findClusters('prod-a').map(o => o.metadata.namespace), ['clusters'])
  t.same(lister.findClusters('prod-a', ['tenant-a']), [])

  const prodA = lister.findClusters('prod-a')[0]
  const pools = lister.listNodePools({}, prodA)
  t.ok(Value.Check(NodePoolListSchema, pools), 'matches NodePoolListSchema')
  t.same(pools.items.map(p => [p.name, p.replicas, p.phase]), [['prod-a-1', 2, 'Pending'], ['prod-a-2', 3, 'Pending']])
  t.same(lister.listNodePools({ order: 'replicas desc' }).items.map(p => p.name), ['prod-a-2', 'prod-a-1', 'dev-a-1'])
  t.same(lister.listNodePools({ search: "clusterName = 'dev-a'" }, undefined, ['clusters']).items, [], 'scope applies to node pools too')
  t.equal(lister.clusterView(prodA).nodePools.count, 2)

  // read-your-writes: after a create, wait for the cache, then the list shows it
  const created = await createHc('tenant-a', 'new-one', { type: 'None' })
  await clusters.waitFor(o => o.metadata.uid === created.metadata.uid, 2000)
  t.same(lister.listClusters({ search: "name = 'new-one'" }).items.map(c => [c.name, c.platform]), [['new-one', 'None']])
  await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, plural: 'nodepools', namespace: 'clusters', name: 'prod-a-2' })
  await nodePools.waitUntil(() => lister.nodePoolsOf(prodA).length === 1, 2000)
  t.same(lister.listClusters({ search: "name = 'prod-a'" }).items[0].nodePools, { count: 1, desiredReplicas: 2, readyReplicas: 0 })
})
