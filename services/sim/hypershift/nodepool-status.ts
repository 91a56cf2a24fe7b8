import { findCondition, isTrue, setConditions } from './conditions.ts'
import type { ConditionInput } from './conditions.ts'
import { kubeletVersionFor, lookupReleaseImage, parseVersion } from './release-catalog.ts'
import { releaseVersionError } from './supported-versions.ts'
import { versionSkewError } from './version-skew.ts'
import type { HostedCluster, NodePool, NodeVersionInfo } from './types.ts'

// Pure part of the NodePool controller. There are no CAPI Machines in the twin: the machine set is
// carried in status.nodesInfo.nodeVersions (ready/unready counts per OCP version), which also makes a
// rollout visible and lets a restarted controller pick up where it stopped. One call = one step.

export interface NodePoolObservation {
  now: string
  nowMs: number
  stepMs: number
  hostedCluster: HostedCluster | null
  platformImage: string | null
  configHash: string
  appliedConfigHash: string | undefined
}

export interface NodePoolResult {
  status: NonNullable<NodePool['status']>
  settled: boolean
  configApplied: boolean
}

type Nodes = Map<string, { ready: number, unready: number }>

function toInt (value: number | string | undefined, total: number, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value === 'number') return value
  const pct = /^(\d+)%$/.exec(value)
  if (pct !== null) return Math.ceil((Number(pct[1]) / 100) * total)
  const n = Number(value)
  return Number.isFinite(n) ? n : fallback
}

export function desiredNodeCount (np: NodePool, current: number): number {
  if (np.spec.autoScaling !== undefined) return Math.min(Math.max(current, np.spec.autoScaling.min), np.spec.autoScaling.max)
  return np.spec.replicas ?? 0
}

// maxSurge/maxUnavailable for Replace (defaults 1/0) and maxUnavailable for InPlace (default 1).
export function rolloutBatch (np: NodePool, total: number): { batch: number, unavailable: number } {
  if (np.spec.management.upgradeType === 'InPlace') {
    const u = Math.max(1, toInt(np.spec.management.inPlace?.maxUnavailable, total, 1))
    return { batch: u, unavailable: u }
  }
  const ru = np.spec.management.replace?.rollingUpdate
  const surge = toInt(ru?.maxSurge, total, 1)
  const unavailable = toInt(ru?.maxUnavailable, total, 0)
  return { batch: Math.max(1, surge + unavailable), unavailable }
}

function readNodes (np: NodePool): Nodes {
  const nodes: Nodes = new Map()
  for (const v of np.status?.nodesInfo?.nodeVersions ?? []) nodes.set(v.ocpVersion, { ready: v.readyNodeCount, unready: v.unreadyNodeCount })
  if (nodes.size === 0 && (np.status?.replicas ?? 0) > 0 && np.status?.version !== undefined) {
    nodes.set(np.status.version, { ready: np.status.replicas ?? 0, unready: 0 })
  }
  return nodes
}

const sum = (nodes: Nodes, f: (n: { ready: number, unready: number }) => number): number =>
  [...nodes.values()].reduce((acc, n) => acc + f(n), 0)

function removeNodes (nodes: Nodes, count: number, order: string[]): void {
  let left = count
  for (const version of order) {
    const n = nodes.get(version)
    if (n === undefined) continue
    const fromUnready = Math.min(left, n.unready)
    n.unready -= fromUnready
    left -= fromUnready
    const fromReady = Math.min(left, n.ready)
    n.ready -= fromReady
    left -= fromReady
    if (n.ready + n.unready === 0) nodes.delete(version)
  }
}

// One step of the simulated machine controller.
export function stepNodes (np: NodePool, nodes: Nodes, target: string, canProvision: boolean): void {
  const total = sum(nodes, (n) => n.ready + n.unready)
  const desired = desiredNodeCount(np, total)
  const { batch, unavailable } = rolloutBatch(np, total)
  const old = [...nodes.keys()].filter((v) => v !== target)
  const oldCount = old.reduce((acc, v) => acc + (nodes.get(v)?.ready ?? 0) + (nodes.get(v)?.unready ?? 0), 0)
  const t = nodes.get(target) ?? { ready: 0, unready: 0 }
  nodes.set(target, t)
  const rolling = oldCount > 0

  if (t.unready > 0) {
    const n = rolling ? t.unready : 1
    t.unready -= n
    t.ready += n
    const excess = sum(nodes, (x) => x.ready + x.unready) - desired
    if (excess > 0 && rolling) removeNodes(nodes, Math.min(excess, oldCount), old)
  } else if (total > desired) {
    removeNodes(nodes, total - desired, [...old, target])
  } else if (rolling && canProvision) {
    const b = Math.min(batch, oldCount)
    if (np.spec.management.upgradeType === 'InPlace') {
      removeNodes(nodes, b, old)
    } else {
      removeNodes(nodes, Math.min(unavailable, b), old)
    }
    t.unready += b
  } else if (total < desired && canProvision) {
    t.unready += desired - total
  }
  if (t.ready + t.unready === 0) nodes.delete(target)
}

export function computeNodePoolStatus (np: NodePool, obs: NodePoolObservation): NodePoolResult {
  const prev = np.status ?? {}
  const hc = obs.hostedCluster
  const release = lookupReleaseImage(np.spec.release.image)
  const hcRelease = hc === null ? null : lookupReleaseImage(hc.spec.release.image)
  const hcVersion = hc?.status?.version?.desired?.version || hcRelease?.version || null
  let releaseError: string | null = release === null ? `failed to look up release image metadata for "${np.spec.release.image}"` : releaseVersionError(release, null, np.spec.platform.type)
  if (releaseError === null && release !== null && hcVersion !== null) {
    const np = parseVersion(release.version)
    const cp = parseVersion(hcVersion)
    if (np !== null && cp !== null && (np.minor > cp.minor || (np.minor === cp.minor && np.patch > cp.patch))) {
      releaseError = `NodePool version ${release.version} is newer than the HostedCluster version ${hcVersion}`
    }
  }
  const valid = release !== null && releaseError === null
  const hcAvailable = hc !== null && isTrue(hc.status?.conditions, 'Available')
  const canProvision = valid && hcAvailable

  const nodes = readNodes(np)
  const target = valid && release !== null ? release.version : (prev.version ?? release?.version ?? '')
  if (hc !== null && target !== '') stepNodes(np, nodes, target, canProvision)

  const total = sum(nodes, (n) => n.ready + n.unready)
  const ready = sum(nodes, (n) => n.ready)
  const unready = total - ready
  const desired = desiredNodeCount(np, total)
  const onlyTarget = [...nodes.keys()].every((v) => v === target)
  const version = valid && onlyTarget && unready === 0 && hc !== null ? target : prev.version
  const updatingVersion = valid && prev.version !== undefined && version !== target

  const firstConfig = obs.appliedConfigHash === undefined
  const configPending = !firstConfig && obs.appliedConfigHash !== obs.configHash
  const prevUpdatingConfig = findCondition(prev.conditions, 'UpdatingConfig')
  const { batch } = rolloutBatch(np, total)
  const configSteps = Math.max(1, Math.ceil(total / batch)) * 2
  const configDone = configPending && prevUpdatingConfig?.status === 'True' &&
    obs.nowMs - Date.parse(prevUpdatingConfig.lastTransitionTime) >= configSteps * obs.stepMs
  const updatingConfig = configPending && !configDone
  const configApplied = firstConfig || configDone

  const key = `${np.metadata.namespace}/${np.spec.clusterName}`
  let readyCond: ConditionInput
  if (hc === null) {
    readyCond = { type: 'Ready', status: 'False', reason: 'NotFound', message: `HostedCluster ${key} not found` }
  } else if (!valid) {
    readyCond = { type: 'Ready', status: 'False', reason: 'ValidationFailed', message: releaseError ?? 'invalid release image' }
  } else if (ready >= desired && unready === 0 && total === desired) {
    readyCond = { type: 'Ready', status: 'True', reason: 'AsExpected', message: 'All replicas are available' }
  } else if (!hcAvailable && ready < desired) {
    readyCond = { type: 'Ready', status: 'False', reason: 'WaitingForAvailable', message: `Waiting for the control plane of HostedCluster ${key} to become available` }
  } else {
    readyCond = { type: 'Ready', status: 'False', reason: 'WaitingForAvailableMachines', message: `Minimum availability requires ${desired} replicas, current ${ready} available` }
  }

  const skew = valid && release !== null && hcVersion !== null ? versionSkewError(hcVersion, release.version) : null
  const ignitionUp = hc !== null && isTrue(hc.status?.conditions, 'IgnitionEndpointAvailable')
  const inputs: ConditionInput[] = [
    { type: 'ReconciliationActive', status: 'True', reason: 'AsExpected', message: 'Reconciliation active on resource' },
    valid
      ? { type: 'ValidReleaseImage', status: 'True', reason: 'AsExpected', message: `Using release image: ${np.spec.release.image}` }
      : { type: 'ValidReleaseImage', status: 'False', reason: 'ValidationFailed', message: releaseError ?? '' },
    skew === null
      ? { type: 'SupportedVersionSkew', status: 'True', reason: 'AsExpected', message: 'Release image version is valid' }
      : { type: 'SupportedVersionSkew', status: 'False', reason: 'UnsupportedSkew', message: skew },
    { type: 'ValidMachineConfig', status: 'True', reason: 'AsExpected', message: '' },
    { type: 'ValidTuningConfig', status: 'True', reason: 'AsExpected', message: '' },
    { type: 'UpdateManagementEnabled', status: 'True', reason: 'AsExpected', message: '' },
    ignitionUp
      ? { type: 'ValidGeneratedPayload', status: 'True', reason: 'AsExpected', message: 'Payload generated successfully' }
      : { type: 'ValidGeneratedPayload', status: 'False', reason: 'IgnitionEndpointMissing', message: 'Ignition endpoint not available, waiting' },
    np.spec.autoScaling !== undefined
      ? { type: 'AutoscalingEnabled', status: 'True', reason: 'AsExpected', message: `Autoscaling enabled: min ${np.spec.autoScaling.min}, max ${np.spec.autoScaling.max}` }
      : { type: 'AutoscalingEnabled', status: 'False', reason: 'AsExpected', message: '' },
    np.spec.management.autoRepair === true
      ? { type: 'AutorepairEnabled', status: 'True', reason: 'AsExpected', message: '' }
      : { type: 'AutorepairEnabled', status: 'False', reason: 'AsExpected', message: '' },
    updatingVersion
      ? { type: 'UpdatingVersion', status: 'True', reason: 'AsExpected', message: `Updating version in progress. Target version: ${target}` }
      : { type: 'UpdatingVersion', status: 'False', reason: 'AsExpected', message: '' },
    updatingConfig
      ? { type: 'UpdatingConfig', status: 'True', reason: 'AsExpected', message: 'Updating config in progress' }
      : { type: 'UpdatingConfig', status: 'False', reason: 'AsExpected', message: '' },
    readyCond,
    unready === 0
      ? { type: 'AllMachinesReady', status: 'True', reason: 'AsExpected', message: 'All is well' }
      : { type: 'AllMachinesReady', status: 'False', reason: 'WaitingForInfrastructure', message: `${unready} of ${total} machines are not ready` },
    unready === 0
      ? { type: 'AllNodesHealthy', status: 'True', reason: 'AsExpected', message: 'All is well' }
      : { type: 'AllNodesHealthy', status: 'False', reason: 'NodeProvisioning', message: `${unready} of ${total} nodes are not ready yet` },
    ready > 0
      ? { type: 'ReachedIgnitionEndpoint', status: 'True', reason: 'AsExpected', message: '' }
      : { type: 'ReachedIgnitionEndpoint', status: 'False', reason: 'ignitionNotReached', message: 'No machine has reached the ignition endpoint yet' }
  ]
  if (obs.platformImage !== null) {
    inputs.push({ type: 'ValidPlatformImage', status: 'True', reason: 'AsExpected', message: `Bootstrap AMI is "${obs.platformImage}"` })
  }
  const conditions = setConditions(prev.conditions, inputs, np.metadata.generation, obs.now)
  const nodeVersions: NodeVersionInfo[] = [...nodes.entries()]
    .sort(([a], [b]) => b.localeCompare(a, undefined, { numeric: true }))
    .map(([v, n]) => ({ ocpVersion: v, kubeletVersion: kubeletVersionFor(v), readyNodeCount: n.ready, unreadyNodeCount: n.unready }))
  const status: NonNullable<NodePool['status']> = { ...prev, conditions, replicas: ready }
  if (version !== undefined) status.version = version
  if (nodeVersions.length > 0) status.nodesInfo = { nodeVersions }
  else delete status.nodesInfo
  const settled = hc !== null && (!canProvision || (total === desired && unready === 0 && onlyTarget)) && !updatingConfig && version === target
  return { status, settled: settled || (hc !== null && !valid), configApplied }
}
