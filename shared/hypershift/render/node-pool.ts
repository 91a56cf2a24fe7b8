import type { CreateClusterInput } from './create-cluster-schema.ts'
import type { KubeObject } from './types.ts'
import { DEFAULT_ARCH, DEFAULT_NAMESPACE, DEFAULT_NODE_POOL_REPLICAS, DEFAULT_NODE_TIMEOUT, DEFAULT_UPGRADE_TYPE } from './defaults.ts'
import { PLATFORM_TYPES } from '../rules/platform-arch.ts'
import { normalizeGoDuration } from '../rules/duration.ts'

function duration (text: string | undefined): string {
  return normalizeGoDuration(text ?? DEFAULT_NODE_TIMEOUT) ?? DEFAULT_NODE_TIMEOUT
}

// cmd/cluster/core/create.go defaultNodePool: name <cluster>[-<suffix>], management from --auto-repair and
// --node-upgrade-type (each platform fills in its default upgrade type), replicas, arch, release and the two
// timeouts (always printed, 0s by default). status.replicas 0 is what the Go struct serialises.
export function defaultNodePool (input: CreateClusterInput, suffix: string, platformSpec: Record<string, unknown>): KubeObject {
  const np = input.nodePool ?? {}
  const name = suffix === '' ? input.name : `${input.name}-${suffix}`
  const spec: Record<string, unknown> = {
    arch: np.arch ?? DEFAULT_ARCH,
    clusterName: input.name,
    management: {
      autoRepair: np.autoRepair ?? false,
      upgradeType: np.upgradeType ?? DEFAULT_UPGRADE_TYPE[input.platform]
    },
    nodeDrainTimeout: duration(np.nodeDrainTimeout),
    nodeVolumeDetachTimeout: duration(np.nodeVolumeDetachTimeout),
    platform: { type: PLATFORM_TYPES[input.platform], ...platformSpec },
    release: { image: input.releaseImage }
  }
  // hcp has no autoscaling flag; the gateway's autoScaling input replaces replicas (the CRD forbids both).
  if (np.autoScaling !== undefined) spec.autoScaling = { max: np.autoScaling.max, min: np.autoScaling.min }
  else spec.replicas = np.replicas ?? DEFAULT_NODE_POOL_REPLICAS
  // cmd/cluster/core/create.go CreateCluster copies --pausedUntil onto every NodePool.
  if (input.pausedUntil !== undefined) spec.pausedUntil = input.pausedUntil
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name, namespace: input.namespace ?? DEFAULT_NAMESPACE },
    spec,
    status: { replicas: 0 }
  }
}

// --node-pool-replicas below zero means "no NodePool" (cmd/cluster/core/create.go CreateCluster).
export function wantsNodePools (input: CreateClusterInput): boolean {
  return input.nodePool?.autoScaling !== undefined || (input.nodePool?.replicas ?? DEFAULT_NODE_POOL_REPLICAS) > -1
}
