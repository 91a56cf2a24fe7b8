import { isTrue, setConditions } from './conditions.ts'
import type { ConditionInput } from './conditions.ts'
import { payloadArchFor } from './release-catalog.ts'
import type { ReleaseInfo } from './release-catalog.ts'
import type { HostedCluster, HostedClusterStatus, VersionHistoryEntry } from './types.ts'

// Pure part of the HostedCluster controller: from the object and what was observed in the control plane
// namespace, compute the next status. Condition types and reasons are upstream's
// (api/hypershift/v1beta1/hostedcluster_conditions.go). Each call advances at most one stage, and the
// queue runs a cluster at most once per step, so a fresh cluster walks
// ValidReleaseImage → InfrastructureReady → EtcdAvailable → KubeAPIServerAvailable → Available.

export interface WorkloadObservation { desired: number, replicas: number, ready: number, updated: number }

export interface HostedClusterObservation {
  now: string
  release: ReleaseInfo | null
  releaseError: string | null
  workloads: Record<string, WorkloadObservation | undefined>
  kubeconfigPublished: boolean
  endpoint: { host: string, port: number }
  ignitionHost: string
}

const ALL_IS_WELL = 'All is well'

export function quorum (replicas: number): number {
  return Math.floor(replicas / 2) + 1
}

export function etcdCondition (etcd: WorkloadObservation | undefined): ConditionInput {
  if (etcd === undefined) return { type: 'EtcdAvailable', status: 'False', reason: 'StatefulSetNotFound', message: 'Etcd StatefulSet not found' }
  if (etcd.desired > 0 && etcd.ready >= quorum(etcd.desired)) {
    return { type: 'EtcdAvailable', status: 'True', reason: 'QuorumAvailable', message: 'Etcd has quorum' }
  }
  return { type: 'EtcdAvailable', status: 'False', reason: 'EtcdWaitingForQuorum', message: `Waiting for etcd to reach quorum: ${etcd.ready} of ${etcd.desired} members ready` }
}

function deploymentAvailable (w: WorkloadObservation | undefined): boolean {
  return w !== undefined && w.ready >= 1
}

export function workloadsConverged (workloads: Record<string, WorkloadObservation | undefined>): boolean {
  return Object.values(workloads).every((w) => w !== undefined && w.replicas === w.desired && w.ready === w.desired && w.updated === w.desired)
}

function degradedMessage (workloads: Record<string, WorkloadObservation | undefined>): string | null {
  const problems: string[] = []
  for (const [name, w] of Object.entries(workloads)) {
    const kind = name === 'etcd' ? 'statefulset' : 'deployment'
    if (w === undefined) problems.push(`${name} ${kind} not found`)
    else if (w.ready < w.desired) problems.push(`${name} ${kind} has ${w.desired - w.ready} unavailable replicas`)
  }
  return problems.length === 0 ? null : problems.join(', ')
}

function nextHistory (prev: VersionHistoryEntry[], release: ReleaseInfo | null, valid: boolean, now: string): VersionHistoryEntry[] {
  if (!valid || release === null) return prev
  if (prev.length > 0 && prev[0].image === release.image) return prev
  // a superseded in-flight update keeps state Partial but gets a completion time, as the CVO records it
  const older = prev.map((h) => (h.state === 'Partial' && h.completionTime === null ? { ...h, completionTime: now } : h))
  return [{ state: 'Partial', version: release.version, image: release.image, startedTime: now, completionTime: null, verified: false }, ...older]
}

export function computeHostedClusterStatus (hc: HostedCluster, obs: HostedClusterObservation): HostedClusterStatus {
  const prev = hc.status ?? {}
  const prevConditions = prev.conditions ?? []
  const generation = hc.metadata.generation
  const valid = obs.release !== null && obs.releaseError === null
  const etcd = obs.workloads.etcd
  const kas = obs.workloads['kube-apiserver']
  const ignition = obs.workloads['ignition-server']

  const releaseCond: ConditionInput = valid
    ? { type: 'ValidReleaseImage', status: 'True', reason: 'AsExpected', message: 'Release image is valid' }
    : { type: 'ValidReleaseImage', status: 'False', reason: 'InvalidImage', message: obs.releaseError ?? `unknown release image "${hc.spec.release.image}"` }

  const infraReady = isTrue(prevConditions, 'InfrastructureReady') || isTrue(prevConditions, 'ValidReleaseImage')
  const infraCond: ConditionInput = infraReady
    ? { type: 'InfrastructureReady', status: 'True', reason: 'AsExpected', message: ALL_IS_WELL }
    : { type: 'InfrastructureReady', status: 'False', reason: 'WaitingOnInfrastructureReady', message: 'Cluster infrastructure is still provisioning' }

  const etcdCond = etcdCondition(etcd)
  const kasCond: ConditionInput = deploymentAvailable(kas)
    ? { type: 'KubeAPIServerAvailable', status: 'True', reason: 'AsExpected', message: 'Kube APIServer deployment is available' }
    : { type: 'KubeAPIServerAvailable', status: 'False', reason: 'WaitingForAvailable', message: 'Waiting for Kube APIServer deployment to become available' }
  const ignitionCond: ConditionInput = deploymentAvailable(ignition)
    ? { type: 'IgnitionEndpointAvailable', status: 'True', reason: 'AsExpected', message: 'Ignition server deployment is available' }
    : { type: 'IgnitionEndpointAvailable', status: 'False', reason: 'WaitingForAvailable', message: 'Ignition server deployment is not yet available' }

  const wasAvailable = isTrue(prevConditions, 'Available')
  const everCompleted = (prev.version?.history ?? []).some((h) => h.state === 'Completed')
  let availableCond: ConditionInput
  if (!everCompleted && !valid) {
    availableCond = { type: 'Available', status: 'False', reason: 'InvalidImage', message: releaseCond.message }
  } else if (!infraReady) {
    availableCond = { type: 'Available', status: 'False', reason: 'WaitingOnInfrastructureReady', message: infraCond.message }
  } else if (etcdCond.status !== 'True') {
    availableCond = { type: 'Available', status: 'False', reason: etcdCond.reason, message: etcdCond.message }
  } else if (kasCond.status !== 'True') {
    availableCond = { type: 'Available', status: 'False', reason: 'WaitingForAvailable', message: kasCond.message }
  } else {
    availableCond = { type: 'Available', status: 'True', reason: 'AsExpected', message: 'The hosted control plane is available' }
  }
  const available = availableCond.status === 'True'

  let history = nextHistory(prev.version?.history ?? [], obs.release, valid, obs.now)
  // the CVO reports Completed once the control plane was already available and every component rolled out
  if (history.length > 0 && history[0].state === 'Partial' && valid && wasAvailable && available && workloadsConverged(obs.workloads)) {
    history = [{ ...history[0], state: 'Completed', completionTime: obs.now }, ...history.slice(1)]
  }
  const head = history[0]
  const completed = head?.state === 'Completed'
  const desired = valid && obs.release !== null
    ? { image: obs.release.image, version: obs.release.version }
    : (prev.version?.desired ?? { image: hc.spec.release.image, version: '' })

  const progressingCond: ConditionInput = !valid
    ? { type: 'Progressing', status: 'False', reason: 'Blocked', message: releaseCond.message }
    : completed
      ? { type: 'Progressing', status: 'False', reason: 'AsExpected', message: 'HostedCluster is at expected version' }
      : { type: 'Progressing', status: 'True', reason: 'AsExpected', message: 'HostedCluster is deploying, upgrading, or reconfiguring' }

  const degradedText = everCompleted || completed ? degradedMessage(obs.workloads) : null
  const degradedCond: ConditionInput = degradedText === null
    ? { type: 'Degraded', status: 'False', reason: 'AsExpected', message: 'The hosted cluster is not degraded' }
    : { type: 'Degraded', status: 'True', reason: 'UnavailableReplicas', message: degradedText }

  const cvo = clusterVersionConditions(available, head, obs)

  const conditions = setConditions(prevConditions, [
    { type: 'ValidConfiguration', status: 'True', reason: 'AsExpected', message: 'Configuration passes validation' },
    { type: 'SupportedHostedCluster', status: 'True', reason: 'AsExpected', message: 'HostedCluster is supported by operator configuration' },
    releaseCond,
    { type: 'ValidHostedControlPlaneConfiguration', status: 'True', reason: 'AsExpected', message: 'Configuration passes validation' },
    { type: 'ReconciliationActive', status: 'True', reason: 'AsExpected', message: 'Reconciliation active on resource' },
    { type: 'ReconciliationSucceeded', status: 'True', reason: 'AsExpected', message: 'Reconciliation completed successfully' },
    infraCond,
    etcdCond,
    kasCond,
    ignitionCond,
    availableCond,
    progressingCond,
    degradedCond,
    ...cvo
  ], generation, obs.now)

  const status: HostedClusterStatus = { ...prev, conditions }
  status.version = { availableUpdates: null, desired, history, observedGeneration: generation ?? 0 }
  if (history.length > 0) {
    status.controlPlaneVersion = {
      desired,
      history: history.map((h) => ({
        state: h.state,
        version: h.version,
        image: h.image,
        startedTime: h.startedTime,
        ...(h.completionTime !== null ? { completionTime: h.completionTime } : {})
      })),
      observedGeneration: Math.max(1, generation ?? 1)
    }
  }
  if (obs.release !== null && valid) status.payloadArch = payloadArchFor(obs.release.arch)
  if (infraReady) status.controlPlaneEndpoint = obs.endpoint
  if (obs.kubeconfigPublished) {
    status.kubeconfig = { name: `${hc.metadata.name}-admin-kubeconfig` }
    status.kubeadminPassword = { name: `${hc.metadata.name}-kubeadmin-password` }
  }
  if (ignitionCond.status === 'True') status.ignitionEndpoint = obs.ignitionHost
  return status
}

function clusterVersionConditions (available: boolean, head: VersionHistoryEntry | undefined, obs: HostedClusterObservation): ConditionInput[] {
  const types = ['ClusterVersionSucceeding', 'ClusterVersionAvailable', 'ClusterVersionProgressing', 'ClusterVersionReleaseAccepted', 'ClusterVersionUpgradeable']
  if (!available || head === undefined) {
    return types.map((type) => ({ type, status: 'Unknown', reason: 'StatusUnknown', message: 'Condition not found in the CVO.' }))
  }
  const lastCompleted = head.state === 'Completed' ? head : undefined
  const arch = obs.release === null ? 'amd64' : { x86_64: 'amd64', aarch64: 'arm64', ppc64le: 'ppc64le', s390x: 's390x', multi: 'Multi' }[obs.release.arch]
  return [
    { type: 'ClusterVersionSucceeding', status: 'True', reason: 'FromClusterVersion', message: '' },
    lastCompleted !== undefined
      ? { type: 'ClusterVersionAvailable', status: 'True', reason: 'FromClusterVersion', message: `Done applying ${lastCompleted.version}` }
      : { type: 'ClusterVersionAvailable', status: 'False', reason: 'FromClusterVersion', message: `Working towards ${head.version}` },
    lastCompleted !== undefined
      ? { type: 'ClusterVersionProgressing', status: 'False', reason: 'FromClusterVersion', message: `Cluster version is ${lastCompleted.version}` }
      : { type: 'ClusterVersionProgressing', status: 'True', reason: 'FromClusterVersion', message: `Working towards ${head.version}` },
    { type: 'ClusterVersionReleaseAccepted', status: 'True', reason: 'FromClusterVersion', message: `Payload loaded version="${head.version}" image="${head.image}" architecture="${arch}"` },
    { type: 'ClusterVersionUpgradeable', status: 'True', reason: 'FromClusterVersion', message: '' }
  ]
}

export function pausedUntil (value: string | undefined, nowMs: number): { paused: boolean, untilMs: number | null } {
  if (value === undefined) return { paused: false, untilMs: null }
  if (value === 'true' || value === 'True') return { paused: true, untilMs: null }
  if (value === 'false' || value === 'False') return { paused: false, untilMs: null }
  const t = Date.parse(value)
  if (Number.isNaN(t) || t <= nowMs) return { paused: false, untilMs: null }
  return { paused: true, untilMs: t }
}

export function pausedCondition (value: string): ConditionInput {
  return { type: 'ReconciliationActive', status: 'False', reason: 'ReconciliationPaused', message: `Reconciliation paused until: ${value}` }
}
