// What `search` and `order` may name on cluster and node pool lists. The getters read the raw objects in
// the watch caches (not views), so filtering and sorting never build views for items not served.
import type { KubeObject } from '../kube/kube-object.ts'
import { createListQuery, type ListQuery } from '../list/list-query.ts'
import type { OrderFields } from '../list/order.ts'
import type { FieldMap } from '../list/search-compile.ts'
import { conditionStatus } from './conditions.ts'
import { clusterPhase, nodePoolDesiredReplicas, nodePoolPhase, versionHistory } from './phase.ts'
import { versionFromImage, versionSortKey } from './release.ts'

const text = (v: unknown): string | undefined => typeof v === 'string' && v !== '' ? v : undefined

// The version a cluster runs, or before its first install completes, the one it is installing.
export function clusterVersionText (hc: KubeObject): string | undefined {
  const completed = versionHistory(hc).find(h => h.state === 'Completed')
  return text(completed?.version) ?? text(hc.status?.version?.desired?.version) ?? versionFromImage(hc.spec?.release?.image) ?? undefined
}

const nodePoolVersionText = (np: KubeObject): string | undefined => text(np.status?.version) ?? versionFromImage(np.spec?.release?.image) ?? undefined

const common: FieldMap<KubeObject> = {
  name: o => o.metadata.name,
  namespace: o => o.metadata.namespace,
  uid: o => o.metadata.uid,
  createdAt: o => o.metadata.creationTimestamp,
  deletionTimestamp: o => o.metadata.deletionTimestamp,
  platform: o => text(o.spec?.platform?.type),
  'labels.*': (o, key) => o.metadata.labels?.[key],
  'annotations.*': (o, key) => o.metadata.annotations?.[key],
  // a condition's status: 'True' | 'False' | 'Unknown'
  'conditions.*': (o, key) => conditionStatus(o.status, key)
}

export const clusterSearchFields: FieldMap<KubeObject> = {
  ...common,
  phase: o => clusterPhase(o),
  version: clusterVersionText,
  desiredVersion: o => versionFromImage(o.spec?.release?.image) ?? undefined,
  releaseImage: o => text(o.spec?.release?.image),
  region: o => text(o.spec?.platform?.aws?.region) ?? text(o.spec?.platform?.powervs?.region) ?? text(o.spec?.platform?.azure?.location),
  baseDomain: o => text(o.spec?.dns?.baseDomain)
}

export const nodePoolSearchFields: FieldMap<KubeObject> = {
  ...common,
  clusterName: o => text(o.spec?.clusterName),
  phase: nodePoolPhase,
  version: nodePoolVersionText,
  arch: o => text(o.spec?.arch) ?? 'amd64',
  upgradeType: o => text(o.spec?.management?.upgradeType),
  autoscaling: o => o.spec?.autoScaling ? 'true' : 'false',
  replicas: o => String(nodePoolDesiredReplicas(o))
}

const commonOrder: OrderFields<KubeObject> = {
  name: o => o.metadata.name,
  namespace: o => o.metadata.namespace ?? '',
  createdAt: o => o.metadata.creationTimestamp ?? '',
  platform: o => text(o.spec?.platform?.type) ?? ''
}

export const clusterOrderFields: OrderFields<KubeObject> = {
  ...commonOrder,
  phase: o => clusterPhase(o),
  version: o => versionSortKey(clusterVersionText(o))
}

export const nodePoolOrderFields: OrderFields<KubeObject> = {
  ...commonOrder,
  clusterName: o => text(o.spec?.clusterName) ?? '',
  phase: nodePoolPhase,
  version: o => versionSortKey(nodePoolVersionText(o)),
  replicas: nodePoolDesiredReplicas
}

const identity = (o: KubeObject) => [o.metadata.namespace ?? '', o.metadata.name] as const

export function createClusterQuery (): ListQuery<KubeObject> {
  return createListQuery({ fields: clusterSearchFields, order: clusterOrderFields, identity })
}

export function createNodePoolQuery (): ListQuery<KubeObject> {
  return createListQuery({ fields: nodePoolSearchFields, order: nodePoolOrderFields, identity })
}
