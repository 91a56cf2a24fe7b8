// Lists of clusters and node pools straight from the watch caches: tenant scope, then search/order/page
// over the raw objects, then views for the one page served.
import type { KubeObject } from '../kube/kube-object.ts'
import type { WatchCache } from '../kube/watch-cache.ts'
import type { ListParams } from '../list/list-query.ts'
import { CLUSTER_BY_NAME, NODE_POOL_BY_CLUSTER, clusterByName, nodePoolByCluster, nodePoolClusterKey } from './indexes.ts'
import type { CacheState, Cluster, ClusterList, NodePoolList } from './schemas.ts'
import { createClusterQuery, createNodePoolQuery } from './search-fields.ts'
import { toClusterView } from './view.ts'
import { toNodePoolView } from './nodepool-view.ts'

// Namespaces a caller may see; undefined means all (an API key without a tenant).
export type NamespaceScope = readonly string[] | undefined

export interface ClusterLister {
  listClusters (params: ListParams, scope?: NamespaceScope): ClusterList
  // node pools of one cluster, or of every cluster in scope when cluster is undefined
  listNodePools (params: ListParams, cluster?: KubeObject, scope?: NamespaceScope): NodePoolList
  // clusters with this name within scope (normally one; names are meant to be unique)
  findClusters (name: string, scope?: NamespaceScope): KubeObject[]
  nodePoolsOf (hc: KubeObject): KubeObject[]
  clusterView (hc: KubeObject): Cluster
}

export function cacheState (cache: WatchCache<KubeObject>): CacheState {
  const f = cache.freshness()
  return { synced: f.synced, resourceVersion: f.resourceVersion, ageMs: f.ageMs ?? null }
}

// Registers the indexes it reads (CLUSTER_BY_NAME, NODE_POOL_BY_CLUSTER) on the two caches.
export function createClusterLister (caches: { clusters: WatchCache<KubeObject>, nodePools: WatchCache<KubeObject> }): ClusterLister {
  const { clusters, nodePools } = caches
  clusters.addIndex(CLUSTER_BY_NAME, clusterByName)
  nodePools.addIndex(NODE_POOL_BY_CLUSTER, nodePoolByCluster)
  const clusterQuery = createClusterQuery()
  const nodePoolQuery = createNodePoolQuery()
  // scoped copies are remembered per snapshot so the list engine's own memo keeps working for tenants
  const scoped = new WeakMap<readonly KubeObject[], Map<string, readonly KubeObject[]>>()

  function inScope (items: readonly KubeObject[], scope: NamespaceScope): readonly KubeObject[] {
    if (scope === undefined) return items
    const key = [...scope].sort().join('\u0000')
    let byScope = scoped.get(items)
    const hit = byScope?.get(key)
    if (hit !== undefined) return hit
    const allowed = new Set(scope)
    const out = items.filter(o => allowed.has(o.metadata.namespace ?? ''))
    if (byScope === undefined) scoped.set(items, byScope = new Map())
    byScope.set(key, out)
    return out
  }

  // Views are remembered per cached object: the cache replaces an object on every change, so identity
  // is its version. A view also depends on the cluster's node pools (same objects => same summary)
  // and, for a pause with an end time, on the clock, so those are not remembered.
  const views = new WeakMap<KubeObject, { view: Cluster, pools: KubeObject[] }>()

  const nodePoolsOf = (hc: KubeObject) => nodePools.byIndex(NODE_POOL_BY_CLUSTER, nodePoolClusterKey(hc.metadata.namespace, hc.metadata.name))
  const clusterView = (hc: KubeObject): Cluster => {
    const pools = nodePoolsOf(hc)
    const hit = views.get(hc)
    if (hit !== undefined && hit.pools.length === pools.length && hit.pools.every((p, i) => p === pools[i])) return hit.view
    const view = toClusterView(hc, pools)
    const timed = typeof hc.spec?.pausedUntil === 'string' && hc.spec.pausedUntil.toLowerCase() !== 'true'
    if (!timed) views.set(hc, { view, pools })
    return view
  }

  return {
    listClusters (params, scope) {
      const page = clusterQuery.run(inScope(clusters.list(), scope), params)
      return { ...page, items: page.items.map(clusterView), cache: cacheState(clusters) }
    },
    listNodePools (params, cluster, scope) {
      const source = cluster === undefined ? nodePools.list() : nodePoolsOf(cluster)
      const page = nodePoolQuery.run(inScope(source, scope), params)
      return { ...page, items: page.items.map(toNodePoolView), cache: cacheState(nodePools) }
    },
    findClusters (name, scope) {
      const found = clusters.byIndex(CLUSTER_BY_NAME, name)
      return scope === undefined ? found : found.filter(o => scope.includes(o.metadata.namespace ?? ''))
    },
    nodePoolsOf,
    clusterView
  }
}
