// One-word lifecycle phases for hosted clusters and node pools, derived only from the object itself so
// that list filters and sorts can compute them cheaply. The first rule that applies wins.
import type { KubeObject } from '../kube/kube-object.ts'
import { conditionReason, conditionStatus, rawConditions } from './conditions.ts'

export const CLUSTER_PHASES = ['Pending', 'Provisioning', 'Ready', 'Updating', 'Degraded', 'Paused', 'Deleting'] as const
export type ClusterPhase = typeof CLUSTER_PHASES[number]

export const NODE_POOL_PHASES = ['Pending', 'Provisioning', 'Ready', 'Updating', 'Scaling', 'Degraded', 'Deleting'] as const
export type NodePoolPhase = typeof NODE_POOL_PHASES[number]

interface HistoryEntry { state?: string, version?: string, image?: string }

// spec.pausedUntil is either the string 'true' (paused indefinitely) or an RFC3339 time; a time in the
// past, 'false' or anything unparsable means not paused, as the HyperShift operator reads it.
export function isPaused (pausedUntil: unknown, nowMs: number): boolean {
  if (typeof pausedUntil !== 'string') return false
  if (pausedUntil.toLowerCase() === 'true') return true
  const t = Date.parse(pausedUntil)
  return !Number.isNaN(t) && t > nowMs
}

export function versionHistory (hc: KubeObject): HistoryEntry[] {
  const h = (hc.status as { version?: { history?: unknown } } | undefined)?.version?.history
  return Array.isArray(h) ? h as HistoryEntry[] : []
}

// Rules for a HostedCluster:
//  1. Deleting      metadata.deletionTimestamp is set
//  2. Paused        spec.pausedUntil is 'true' or a future time (the operator does not reconcile it)
//  3. Pending       no conditions yet (the operator has not seen it), or its release image is invalid
//                   before any version was ever installed (nothing can start)
//  4. Provisioning  no version history entry is Completed yet: the first install is under way
//  5. Updating      the newest history entry is Partial (a rollout), or spec.release.image differs from
//                   the last completed image (an update the operator has not picked up yet)
//  6. Degraded      condition Degraded=True, or Available is not True
//  7. Ready         otherwise (Available=True, not degraded, at the desired version)
export function clusterPhase (hc: KubeObject, nowMs: number = Date.now()): ClusterPhase {
  if (hc.metadata.deletionTimestamp) return 'Deleting'
  if (isPaused(hc.spec?.pausedUntil, nowMs)) return 'Paused'
  const history = versionHistory(hc)
  const completed = history.find(h => h.state === 'Completed')
  if (completed === undefined) {
    if (rawConditions(hc.status).length === 0 || conditionStatus(hc.status, 'ValidReleaseImage') === 'False') return 'Pending'
    return 'Provisioning'
  }
  const image = hc.spec?.release?.image
  if (history[0]?.state === 'Partial' || (typeof image === 'string' && completed.image !== undefined && image !== completed.image)) return 'Updating'
  if (conditionStatus(hc.status, 'Degraded') === 'True' || conditionStatus(hc.status, 'Available') !== 'True') return 'Degraded'
  return 'Ready'
}

// The replica count a node pool is heading for: spec.replicas, or with autoscaling the current count
// held within min..max (what the autoscaler would settle on without load changes).
export function nodePoolDesiredReplicas (np: KubeObject): number {
  const auto = np.spec?.autoScaling as { min?: number, max?: number } | undefined
  const ready = typeof np.status?.replicas === 'number' ? np.status.replicas as number : 0
  if (auto !== undefined && auto !== null) return Math.min(Math.max(ready, auto.min ?? 0), auto.max ?? Number.MAX_SAFE_INTEGER)
  return typeof np.spec?.replicas === 'number' ? np.spec.replicas as number : 0
}

// Conditions whose False means the pool cannot converge on its own.
const BLOCKING = ['ValidReleaseImage', 'ValidMachineConfig', 'ValidTuningConfig', 'ValidPlatformImage', 'SupportedVersionSkew']
const HARD_READY_REASONS = new Set(['NotFound', 'ValidationFailed'])

// Rules for a NodePool:
//  1. Deleting      metadata.deletionTimestamp is set
//  2. Pending       no conditions yet, or its HostedCluster's control plane is not available to join
//  3. Degraded      a validity condition is False (release image, machine/tuning config, platform image,
//                   version skew) or Ready=False because the cluster is missing or validation failed
//  4. Updating      UpdatingVersion or UpdatingConfig is True
//  5. Provisioning  no node has ever reached a version (status.version unset)
//  6. Scaling       ready replicas differ from the desired count
//  7. Ready         Ready=True
//  8. Degraded      otherwise (all replicas exist but are not healthy)
export function nodePoolPhase (np: KubeObject): NodePoolPhase {
  if (np.metadata.deletionTimestamp) return 'Deleting'
  const status = np.status
  if (rawConditions(status).length === 0) return 'Pending'
  const readyReason = conditionReason(status, 'Ready')
  if (BLOCKING.some(t => conditionStatus(status, t) === 'False') || (conditionStatus(status, 'Ready') === 'False' && HARD_READY_REASONS.has(readyReason ?? ''))) return 'Degraded'
  if (readyReason === 'WaitingForAvailable' && conditionStatus(status, 'Ready') === 'False' && !status?.version) return 'Pending'
  if (conditionStatus(status, 'UpdatingVersion') === 'True' || conditionStatus(status, 'UpdatingConfig') === 'True') return 'Updating'
  if (!status?.version) return 'Provisioning'
  const ready = typeof status.replicas === 'number' ? status.replicas as number : 0
  if (ready !== nodePoolDesiredReplicas(np)) return 'Scaling'
  if (conditionStatus(status, 'Ready') === 'True') return 'Ready'
  return 'Degraded'
}
