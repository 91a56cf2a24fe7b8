// Secondary indexes the cluster and node pool caches keep (see WatchCache.addIndex).
import type { KubeObject } from '../kube/kube-object.ts'

// HostedClusters by name alone: the REST layer addresses clusters by a name unique across namespaces.
export const CLUSTER_BY_NAME = 'name'
export const clusterByName = (hc: KubeObject): string[] => [hc.metadata.name]

// NodePools by the cluster they belong to, as `<namespace>/<spec.clusterName>`.
export const NODE_POOL_BY_CLUSTER = 'cluster'
export const nodePoolClusterKey = (namespace: string | undefined, clusterName: string): string => `${namespace ?? ''}/${clusterName}`
export const nodePoolByCluster = (np: KubeObject): string[] =>
  typeof np.spec?.clusterName === 'string' ? [nodePoolClusterKey(np.metadata.namespace, np.spec.clusterName)] : []
