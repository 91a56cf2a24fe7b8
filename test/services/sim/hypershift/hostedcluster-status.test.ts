import t from 'tap'
import { computeHostedClusterStatus, etcdCondition, pausedUntil, quorum } from '../../../../services/sim/hypershift/hostedcluster-status.ts'
import type { HostedClusterObservation, WorkloadObservation } from '../../../../services/sim/hypershift/hostedcluster-status.ts'
import { lookupReleaseImage, releaseImageFor } from '../../../../services/sim/hypershift/release-catalog.ts'
import type { HostedCluster } from '../../../../services/sim/hypershift/types.ts'

const w = (desired: number, ready: number): WorkloadObservation => ({ desired, replicas: ready, ready, updated: ready })

function obs (hc: HostedCluster, workloads: HostedClusterObservation['workloads'] = {}, releaseError: string | null = null): HostedClusterObservation {
  return {
    now: new Date().toISOString(),
    release: lookupReleaseImage(hc.spec.release.image),
    releaseError,
    workloads,
    kubeconfigPublished: false,
    endpoint: { host: 'api.x.example.com', port: 6443 },
    ignitionHost: 'ignition'
  }
}

const cluster = (): HostedCluster => ({
  apiVersion: 'hypershift.openshift.io/v1beta1',
  kind: 'HostedCluster',
  metadata: { name: 'x', namespace: 'clusters', generation: 1 },
  spec: { release: { image: releaseImageFor('4.19.3') }, platform: { type: 'AWS' } }
})
const cond = (hc: HostedCluster, type: string) => hc.status?.conditions?.find((c) => c.type === type)

t.test('pausedUntil forms', async (t) => {
  const now = Date.parse('2025-01-01T00:00:00Z')
  t.same(pausedUntil(undefined, now), { paused: false, untilMs: null })
  t.same(pausedUntil('true', now), { paused: true, untilMs: null })
  t.same(pausedUntil('True', now), { paused: true, untilMs: null })
  t.same(pausedUntil('false', now), { paused: false, untilMs: null })
  t.same(pausedUntil('2025-01-01T01:00:00Z', now), { paused: true, untilMs: now + 3600_000 })
  t.same(pausedUntil('2024-12-31T23:00:00Z', now), { paused: false, untilMs: null })
})

t.test('etcd quorum', async (t) => {
  t.equal(quorum(3), 2)
  t.equal(quorum(1), 1)
  t.match(etcdCondition(undefined), { status: 'False', reason: 'StatefulSetNotFound' })
  t.match(etcdCondition(w(3, 1)), { status: 'False', reason: 'EtcdWaitingForQuorum' })
  t.match(etcdCondition(w(3, 2)), { status: 'True', reason: 'QuorumAvailable' })
  t.match(etcdCondition({ desired: 3, replicas: 0, ready: 0, updated: 0 }), { status: 'False' })
})

t.test('walks the stages one call at a time', async (t) => {
  const hc = cluster()
  hc.status = computeHostedClusterStatus(hc, obs(hc))
  t.match(cond(hc, 'ValidReleaseImage'), { status: 'True' })
  t.match(cond(hc, 'InfrastructureReady'), { status: 'False' })
  t.match(cond(hc, 'Progressing'), { status: 'True' })
  t.match(hc.status.version, { desired: { version: '4.19.3' }, history: [{ state: 'Partial', completionTime: null, verified: false }], availableUpdates: null })
  hc.status = computeHostedClusterStatus(hc, obs(hc))
  t.match(cond(hc, 'InfrastructureReady'), { status: 'True' })
  t.match(hc.status.controlPlaneEndpoint, { host: 'api.x.example.com', port: 6443 })
  const up = { etcd: w(3, 3), 'kube-apiserver': w(3, 3), 'ignition-server': w(3, 3) }
  hc.status = computeHostedClusterStatus(hc, obs(hc, up))
  t.match(cond(hc, 'Available'), { status: 'True', reason: 'AsExpected', message: 'The hosted control plane is available' })
  t.equal(hc.status.version?.history?.[0].state, 'Partial', 'Completed comes one step after Available')
  hc.status = computeHostedClusterStatus(hc, obs(hc, up))
  t.equal(hc.status.version?.history?.[0].state, 'Completed')
  t.match(cond(hc, 'Progressing'), { status: 'False' })
  t.match(cond(hc, 'ClusterVersionAvailable'), { status: 'True', message: 'Done applying 4.19.3' })
  t.equal(hc.status.payloadArch, 'AMD64')
  const down = { ...up, etcd: w(3, 0) }
  hc.status = computeHostedClusterStatus(hc, obs(hc, down))
  t.match(cond(hc, 'EtcdAvailable'), { status: 'False', reason: 'EtcdWaitingForQuorum' })
  t.match(cond(hc, 'Available'), { status: 'False' })
  t.match(cond(hc, 'Degraded'), { status: 'True', reason: 'UnavailableReplicas', message: 'etcd statefulset has 3 unavailable replicas' })
})

t.test('invalid release blocks progress', async (t) => {
  const hc = cluster()
  hc.spec.release.image = releaseImageFor('4.20.1')
  hc.status = computeHostedClusterStatus(hc, obs(hc, {}, 'the latest version supported is: "4.19.0". Attempting to use: "4.20.1"'))
  t.match(cond(hc, 'ValidReleaseImage'), { status: 'False', reason: 'InvalidImage' })
  t.match(cond(hc, 'Progressing'), { status: 'False', reason: 'Blocked' })
  t.match(cond(hc, 'Available'), { status: 'False' })
  t.same(hc.status.version?.history, [])
})
