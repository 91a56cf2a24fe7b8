// HostedCluster (+ its NodePools) → the `Cluster` that REST and GraphQL serve. Pure: everything comes
// from the objects the watch caches hold. Secret names are shown, never their contents.
import type { KubeObject } from '../kube/kube-object.ts'
import { toConditions } from './conditions.ts'
import { clusterPhase, nodePoolDesiredReplicas, versionHistory } from './phase.ts'
import { versionFromImage } from './release.ts'
import type { Cluster, PlatformSummary } from './schemas.ts'
import { int, record, str } from './values.ts'

export { toNodePoolView } from './nodepool-view.ts'
export {
  CacheStateSchema, ClusterListSchema, ClusterSchema, ClusterVersionSchema, ConditionSchema, NodePoolListSchema,
  NodePoolSchema, PlatformSummarySchema, VersionHistoryEntrySchema
} from './schemas.ts'
export type { CacheState, Cluster, ClusterList, Condition, NodePool, NodePoolList, PlatformSummary } from './schemas.ts'
export { clusterPhase, nodePoolPhase, CLUSTER_PHASES, NODE_POOL_PHASES } from './phase.ts'
export type { ClusterPhase, NodePoolPhase } from './phase.ts'

interface PlatformSpec {
  type?: string
  aws?: { region?: string, endpointAccess?: string, cloudProviderConfig?: { zone?: string } }
  agent?: { agentNamespace?: string }
  kubevirt?: { baseDomainPassthrough?: boolean, credentials?: { infraNamespace?: string } }
  azure?: { location?: string, resourceGroup?: string }
  powervs?: { region?: string, zone?: string, resourceGroup?: string }
  ibmcloud?: { providerType?: string }
  openstack?: { externalNetwork?: { id?: string, name?: string } }
}

// The few platform facts worth a glance in a list; the full spec stays one GET away.
export function platformSummary (platform: PlatformSpec | undefined): PlatformSummary {
  const type = str(platform?.type) ?? 'None'
  const out: PlatformSummary = { type }
  const set = <K extends keyof PlatformSummary>(key: K, value: PlatformSummary[K] | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') out[key] = value
  }
  switch (type) {
    case 'AWS': {
      set('region', platform?.aws?.region)
      const zone = platform?.aws?.cloudProviderConfig?.zone
      out.zones = typeof zone === 'string' && zone !== '' ? [zone] : []
      set('endpointAccess', platform?.aws?.endpointAccess)
      break
    }
    case 'Agent':
      set('agentNamespace', platform?.agent?.agentNamespace)
      break
    case 'KubeVirt':
      set('infraNamespace', platform?.kubevirt?.credentials?.infraNamespace)
      if (typeof platform?.kubevirt?.baseDomainPassthrough === 'boolean') out.baseDomainPassthrough = platform.kubevirt.baseDomainPassthrough
      break
    case 'Azure':
      set('location', platform?.azure?.location)
      set('resourceGroup', platform?.azure?.resourceGroup)
      break
    case 'PowerVS':
      set('region', platform?.powervs?.region)
      set('zone', platform?.powervs?.zone)
      set('resourceGroup', platform?.powervs?.resourceGroup)
      break
    case 'IBMCloud':
      set('providerType', platform?.ibmcloud?.providerType)
      break
    case 'OpenStack':
      set('externalNetwork', platform?.openstack?.externalNetwork?.name ?? platform?.openstack?.externalNetwork?.id)
      break
  }
  return out
}

// The version a cluster runs and the one it is heading for. `desired` comes from status once the
// operator resolved the same image, else from the image tag (a just-patched cluster shows its target).
export function clusterVersion (hc: KubeObject): Cluster['version'] {
  const image = str(hc.spec?.release?.image) ?? ''
  const history = versionHistory(hc)
  const completed = history.find(h => h.state === 'Completed')
  const statusDesired = hc.status?.version?.desired as { image?: string, version?: string } | undefined
  const desired = statusDesired?.image === image && str(statusDesired?.version) !== null ? statusDesired!.version! : versionFromImage(image)
  return {
    current: str(completed?.version),
    desired,
    image,
    history: history.map(h => {
      const e = h as { state?: unknown, version?: unknown, image?: unknown, startedTime?: unknown, completionTime?: unknown }
      return {
        state: str(e.state) ?? 'Partial',
        version: str(e.version) ?? '',
        image: str(e.image) ?? '',
        startedTime: str(e.startedTime),
        completionTime: str(e.completionTime)
      }
    })
  }
}

function endpoint (status: unknown): Cluster['controlPlaneEndpoint'] {
  const e = (status as { controlPlaneEndpoint?: { host?: unknown, port?: unknown } } | undefined)?.controlPlaneEndpoint
  const host = str(e?.host)
  const port = int(e?.port)
  return host === null || port === null ? null : { host, port }
}

// nodePools: the cluster's pools (same namespace, spec.clusterName = the cluster's name).
export function toClusterView (hc: KubeObject, nodePools: readonly KubeObject[], now: number | Date = Date.now()): Cluster {
  const nowMs = typeof now === 'number' ? now : now.getTime()
  const m = hc.metadata
  let desiredReplicas = 0
  let readyReplicas = 0
  for (const np of nodePools) {
    desiredReplicas += nodePoolDesiredReplicas(np)
    readyReplicas += int(np.status?.replicas) ?? 0
  }
  return {
    name: m.name,
    namespace: m.namespace ?? '',
    uid: str(m.uid),
    resourceVersion: str(m.resourceVersion),
    generation: int(m.generation),
    platform: str(hc.spec?.platform?.type) ?? 'None',
    phase: clusterPhase(hc, nowMs),
    conditions: toConditions(hc.status),
    version: clusterVersion(hc),
    controlPlaneEndpoint: endpoint(hc.status),
    platformSummary: platformSummary(hc.spec?.platform),
    baseDomain: str(hc.spec?.dns?.baseDomain),
    controllerAvailabilityPolicy: str(hc.spec?.controllerAvailabilityPolicy),
    infrastructureAvailabilityPolicy: str(hc.spec?.infrastructureAvailabilityPolicy),
    payloadArch: str(hc.status?.payloadArch),
    nodePools: { count: nodePools.length, desiredReplicas, readyReplicas },
    labels: record(m.labels),
    annotations: record(m.annotations),
    createdAt: str(m.creationTimestamp),
    deletionTimestamp: str(m.deletionTimestamp),
    pausedUntil: str(hc.spec?.pausedUntil),
    kubeconfigSecret: str(hc.status?.kubeconfig?.name),
    kubeadminPasswordSecret: str(hc.status?.kubeadminPassword?.name)
  }
}
