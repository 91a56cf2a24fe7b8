// Views over objects carrying the status the twin's HyperShift controllers really write: the sim's pure
// status functions walk a cluster and a node pool through their lifecycle step by step.
import t from 'tap'
import { Value } from 'typebox/value'
import { computeHostedClusterStatus } from '../../../services/sim/hypershift/hostedcluster-status.ts'
import type { HostedClusterObservation } from '../../../services/sim/hypershift/hostedcluster-status.ts'
import { computeNodePoolStatus } from '../../../services/sim/hypershift/nodepool-status.ts'
import { lookupReleaseImage, releaseImageFor } from '../../../services/sim/hypershift/release-catalog.ts'
import type { HostedCluster, NodePool as SimNodePool } from '../../../services/sim/hypershift/types.ts'
import type { KubeObject } from '../../../shared/kube/kube-object.ts'
import { platformSummary } from '../../../shared/clusters/view.ts'
import {
  ClusterListSchema, ClusterSchema, NodePoolSchema, clusterPhase, nodePoolPhase, toClusterView, toNodePoolView
} from '../../../shared/clusters/view.ts'

const V1 = releaseImageFor('4.19.3', 'multi')
const V2 = releaseImageFor('4.19.4', 'multi')
const ready = { desired: 2, replicas: 2, ready: 2, updated: 2 }

function newCluster (): HostedCluster {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name: 'prod-1', namespace: 'clusters', uid: 'u-1', generation: 1, resourceVersion: '7', creationTimestamp: '2025-03-01T10:00:00Z', labels: { env: 'prod' }, annotations: { note: 'x' } },
    spec: {
      release: { image: V1 },
      platform: { type: 'AWS', aws: { region: 'us-east-1', endpointAccess: 'Public', cloudProviderConfig: { zone: 'us-east-1a' } } as never },
      dns: { baseDomain: 'example.com' },
      controllerAvailabilityPolicy: 'HighlyAvailable',
      infrastructureAvailabilityPolicy: 'SingleReplica'
    }
  }
}

let clock = Date.parse('2025-03-01T10:00:00Z')
function step (hc: HostedCluster, workloads: HostedClusterObservation['workloads'] = { etcd: { ...ready, desired: 3, replicas: 3, ready: 3, updated: 3 }, 'kube-apiserver': ready, 'ignition-server': ready }): HostedCluster {
  clock += 60_000
  const obs: HostedClusterObservation = {
    now: new Date(clock).toISOString(),
    release: lookupReleaseImage(hc.spec.release.image),
    releaseError: null,
    workloads,
    kubeconfigPublished: true,
    endpoint: { host: 'api.prod-1.example.com', port: 6443 },
    ignitionHost: 'ignition.prod-1.example.com'
  }
  return { ...hc, status: computeHostedClusterStatus(hc, obs) }
}

const asKube = (o: HostedCluster | SimNodePool) => o as unknown as KubeObject

t.test('a hosted cluster through its lifecycle', async t => {
  let hc = newCluster()
  const now = Date.parse('2025-03-02T00:00:00Z')
  t.equal(clusterPhase(asKube(hc), now), 'Pending', 'no status yet')
  hc = step(hc)
  t.equal(clusterPhase(asKube(hc), now), 'Provisioning', 'first install: infrastructure')
  hc = step(hc)
  t.equal(clusterPhase(asKube(hc), now), 'Provisioning', 'available but the version is not completed')
  hc = step(hc)
  const view = toClusterView(asKube(hc), [], now)
  t.equal(view.phase, 'Ready')
  t.ok(Value.Check(ClusterSchema, view), 'matches ClusterSchema')
  t.notOk(Value.Check(ClusterSchema, { ...view, uid: 5 }), 'and the schema does reject a wrong type')
  t.notOk(Value.Check(ClusterSchema, { ...view, phase: 'Happy' }))
  t.match(view, {
    name: 'prod-1',
    namespace: 'clusters',
    uid: 'u-1',
    resourceVersion: '7',
    generation: 1,
    platform: 'AWS',
    version: { current: '4.19.3', desired: '4.19.3', image: V1, history: [{ state: 'Completed', version: '4.19.3', image: V1 }] },
    controlPlaneEndpoint: { host: 'api.prod-1.example.com', port: 6443 },
    platformSummary: { type: 'AWS', region: 'us-east-1', zones: ['us-east-1a'], endpointAccess: 'Public' },
    baseDomain: 'example.com',
    controllerAvailabilityPolicy: 'HighlyAvailable',
    infrastructureAvailabilityPolicy: 'SingleReplica',
    payloadArch: 'Multi',
    nodePools: { count: 0, desiredReplicas: 0, readyReplicas: 0 },
    labels: { env: 'prod' },
    annotations: { note: 'x' },
    createdAt: '2025-03-01T10:00:00Z',
    deletionTimestamp: null,
    pausedUntil: null,
    kubeconfigSecret: 'prod-1-admin-kubeconfig',
    kubeadminPasswordSecret: 'prod-1-kubeadmin-password'
  })
  const available = view.conditions.find(c => c.type === 'Available')
  t.match(available, { status: 'True', reason: 'AsExpected', observedGeneration: 1, lastTransitionTime: /^2025-03-01T/ })
  t.equal(view.conditions.length, hc.status!.conditions!.length, 'every condition is shown')
  t.notOk(JSON.stringify(view).includes('password":"'), 'no secret content')

  // a version update: the patched spec shows Updating before the operator reacts, with the new target
  const patched = { ...hc, metadata: { ...hc.metadata, generation: 2 }, spec: { ...hc.spec, release: { image: V2 } } }
  const updating = toClusterView(asKube(patched), [], now)
  t.equal(updating.phase, 'Updating')
  t.same([updating.version.current, updating.version.desired], ['4.19.3', '4.19.4'])
  hc = step(patched, { etcd: { desired: 3, replicas: 3, ready: 3, updated: 3 }, 'kube-apiserver': { ...ready, updated: 1 }, 'ignition-server': ready })
  t.equal(clusterPhase(asKube(hc), now), 'Updating', 'a Partial history entry while components roll out')
  t.equal(toClusterView(asKube(hc), [], now).version.history.length, 2)

  hc = step(hc, { etcd: { desired: 3, replicas: 3, ready: 0, updated: 3 }, 'kube-apiserver': ready, 'ignition-server': ready })
  hc = step({ ...hc, status: { ...hc.status, version: { ...hc.status!.version!, history: hc.status!.version!.history!.map(h => ({ ...h, state: 'Completed' as const })) } } },
    { etcd: { desired: 3, replicas: 3, ready: 0, updated: 3 }, 'kube-apiserver': ready, 'ignition-server': ready })
  t.equal(clusterPhase(asKube(hc), now), 'Degraded', 'etcd lost quorum after the update')

  t.equal(clusterPhase(asKube({ ...hc, spec: { ...hc.spec, pausedUntil: 'true' } }), now), 'Paused')
  t.equal(clusterPhase(asKube({ ...hc, spec: { ...hc.spec, pausedUntil: '2025-03-03T00:00:00Z' } }), now), 'Paused', 'until a future time')
  t.equal(clusterPhase(asKube({ ...hc, spec: { ...hc.spec, pausedUntil: '2025-03-01T00:00:00Z' } }), now), 'Degraded', 'a past time is not paused')
  t.equal(clusterPhase(asKube({ ...hc, metadata: { ...hc.metadata, deletionTimestamp: '2025-03-02T00:00:00Z' }, spec: { ...hc.spec, pausedUntil: 'true' } }), now), 'Deleting', 'deleting wins')
})

t.test('an invalid release image keeps a new cluster Pending', async t => {
  const hc = newCluster()
  hc.spec.release.image = 'quay.io/nope/ocp-release:9.9.9-x86_64'
  const stepped = { ...hc, status: computeHostedClusterStatus(hc, { now: '2025-03-01T10:01:00Z', release: null, releaseError: 'unknown release image', workloads: {}, kubeconfigPublished: false, endpoint: { host: 'h', port: 6443 }, ignitionHost: 'i' }) }
  const view = toClusterView(asKube(stepped), [])
  t.equal(view.phase, 'Pending')
  t.same(view.version, { current: null, desired: '9.9.9', image: 'quay.io/nope/ocp-release:9.9.9-x86_64', history: [] }, 'desired from the tag')
  t.equal(view.controlPlaneEndpoint, null)
  t.equal(view.kubeconfigSecret, null)
  t.ok(Value.Check(ClusterSchema, view))
})

function newNodePool (replicas: number): SimNodePool {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name: 'prod-1-us-east-1a', namespace: 'clusters', generation: 1, creationTimestamp: '2025-03-01T11:00:00Z' },
    spec: {
      clusterName: 'prod-1',
      release: { image: V1 },
      replicas,
      arch: 'amd64',
      management: { upgradeType: 'Replace', autoRepair: true },
      platform: { type: 'AWS', aws: { instanceType: 'm6i.xlarge' } },
      nodeDrainTimeout: '5m'
    } as SimNodePool['spec']
  }
}

t.test('a node pool through its lifecycle, and the cluster summary', async t => {
  let hc = newCluster()
  for (let i = 0; i < 3; i++) hc = step(hc)
  let np = newNodePool(2)
  t.equal(nodePoolPhase(asKube(np)), 'Pending', 'no status yet')
  const advance = (pool: SimNodePool) => {
    clock += 60_000
    const r = computeNodePoolStatus(pool, { now: new Date(clock).toISOString(), nowMs: clock, stepMs: 1000, hostedCluster: hc, platformImage: 'ami-123', configHash: 'a', appliedConfigHash: 'a' })
    return { ...pool, status: r.status }
  }
  np = advance(np)
  t.equal(nodePoolPhase(asKube(np)), 'Provisioning', 'machines are being created')
  for (let i = 0; i < 4 && nodePoolPhase(asKube(np)) !== 'Ready'; i++) np = advance(np)
  const view = toNodePoolView(asKube(np))
  t.equal(view.phase, 'Ready')
  t.ok(Value.Check(NodePoolSchema, view), 'matches NodePoolSchema')
  t.match(view, {
    name: 'prod-1-us-east-1a',
    clusterName: 'prod-1',
    replicas: 2,
    autoscaling: null,
    desiredReplicas: 2,
    readyReplicas: 2,
    version: { current: '4.19.3', desired: '4.19.3', image: V1 },
    arch: 'amd64',
    platform: 'AWS',
    instanceType: 'm6i.xlarge',
    upgradeType: 'Replace',
    autoRepair: true,
    nodeDrainTimeout: '5m',
    nodeVolumeDetachTimeout: null
  })
  t.ok(view.conditions.some(c => c.type === 'ValidPlatformImage' && c.status === 'True'))

  const scaled = { ...np, spec: { ...np.spec, replicas: 4 } }
  t.equal(nodePoolPhase(asKube(scaled)), 'Scaling', 'ready replicas below the new count')
  const auto = { ...np, spec: { ...np.spec, replicas: undefined, autoScaling: { min: 1, max: 3 } } }
  t.match(toNodePoolView(asKube(auto)), { replicas: null, autoscaling: { min: 1, max: 3 }, desiredReplicas: 2, phase: 'Ready' })
  hc = step({ ...hc, spec: { ...hc.spec, release: { image: V2 } } })
  t.equal(clusterPhase(asKube(hc)), 'Ready', 'the control plane updated first')
  const upgrading = advance({ ...np, spec: { ...np.spec, release: { image: V2 } } })
  t.equal(nodePoolPhase(asKube(upgrading)), 'Updating', 'nodes roll to the new version')
  const invalid = advance({ ...np, spec: { ...np.spec, release: { image: 'quay.io/nope:1.0.0' } } })
  t.equal(nodePoolPhase(asKube(invalid)), 'Degraded', 'an invalid release image cannot converge')
  t.equal(nodePoolPhase(asKube({ ...np, metadata: { ...np.metadata, deletionTimestamp: '2025-03-02T00:00:00Z' } })), 'Deleting')

  const cluster = toClusterView(asKube(hc), [asKube(np), asKube(newNodePool(3))])
  t.same(cluster.nodePools, { count: 2, desiredReplicas: 5, readyReplicas: 2 })
  t.ok(Value.Check(ClusterListSchema, { items: [cluster], limit: 100, total: 1, cache: { synced: true, resourceVersion: '9', ageMs: 0 } }))
})

t.test('platform summaries', async t => {
  t.same(platformSummary({ type: 'Agent', agent: { agentNamespace: 'agents' } }), { type: 'Agent', agentNamespace: 'agents' })
  t.same(platformSummary({ type: 'KubeVirt', kubevirt: { baseDomainPassthrough: true, credentials: { infraNamespace: 'infra' } } }), { type: 'KubeVirt', infraNamespace: 'infra', baseDomainPassthrough: true })
  t.same(platformSummary({ type: 'AWS', aws: { region: 'eu-west-1' } }), { type: 'AWS', region: 'eu-west-1', zones: [] })
  t.same(platformSummary({ type: 'Azure', azure: { location: 'westeurope', resourceGroup: 'rg' } }), { type: 'Azure', location: 'westeurope', resourceGroup: 'rg' })
  t.same(platformSummary({ type: 'PowerVS', powervs: { region: 'us-south', zone: 'us-south-1' } }), { type: 'PowerVS', region: 'us-south', zone: 'us-south-1' })
  t.same(platformSummary({ type: 'IBMCloud', ibmcloud: { providerType: 'UPI' } }), { type: 'IBMCloud', providerType: 'UPI' })
  t.same(platformSummary({ type: 'OpenStack', openstack: { externalNetwork: { id: 'net-1' } } }), { type: 'OpenStack', externalNetwork: 'net-1' })
  t.same(platformSummary(undefined), { type: 'None' })
})
