// NodePool → the `NodePool` that REST and GraphQL serve. Pure, like toClusterView.
import type { KubeObject } from '../kube/kube-object.ts'
import { toConditions } from './conditions.ts'
import { nodePoolDesiredReplicas, nodePoolPhase } from './phase.ts'
import { versionFromImage } from './release.ts'
import type { NodePool } from './schemas.ts'
import { int, record, str } from './values.ts'

// The machine size in each platform's own words.
function instanceType (platform: Record<string, { instanceType?: unknown, vmSize?: unknown, systemType?: unknown } | undefined> | undefined): string | null {
  return str(platform?.aws?.instanceType) ?? str(platform?.azure?.vmSize) ?? str(platform?.powervs?.systemType) ?? null
}

export function toNodePoolView (np: KubeObject): NodePool {
  const m = np.metadata
  const spec = np.spec ?? {}
  const auto = spec.autoScaling as { min?: unknown, max?: unknown } | undefined
  const image = str(spec.release?.image) ?? ''
  return {
    name: m.name,
    namespace: m.namespace ?? '',
    uid: str(m.uid),
    resourceVersion: str(m.resourceVersion),
    generation: int(m.generation),
    clusterName: str(spec.clusterName) ?? '',
    replicas: auto ? null : int(spec.replicas),
    autoscaling: auto ? { min: int(auto.min) ?? 0, max: int(auto.max) ?? 0 } : null,
    desiredReplicas: nodePoolDesiredReplicas(np),
    readyReplicas: int(np.status?.replicas) ?? 0,
    phase: nodePoolPhase(np),
    conditions: toConditions(np.status),
    version: { current: str(np.status?.version), desired: versionFromImage(image), image },
    arch: str(spec.arch) ?? 'amd64',
    platform: str(spec.platform?.type) ?? 'None',
    instanceType: instanceType(spec.platform),
    upgradeType: str(spec.management?.upgradeType),
    autoRepair: spec.management?.autoRepair === true,
    nodeDrainTimeout: str(spec.nodeDrainTimeout),
    nodeVolumeDetachTimeout: str(spec.nodeVolumeDetachTimeout),
    pausedUntil: str(spec.pausedUntil),
    nodeLabels: record(spec.nodeLabels),
    labels: record(m.labels),
    annotations: record(m.annotations),
    createdAt: str(m.creationTimestamp),
    deletionTimestamp: str(m.deletionTimestamp)
  }
}
