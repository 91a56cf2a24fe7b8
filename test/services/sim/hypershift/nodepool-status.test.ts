import t from 'tap'
import { computeNodePoolStatus, desiredNodeCount, rolloutBatch, stepNodes } from '../../../../services/sim/hypershift/nodepool-status.ts'
import { releaseImageFor } from '../../../../services/sim/hypershift/release-catalog.ts'
import type { HostedCluster, NodePool } from '../../../../services/sim/hypershift/types.ts'

function pool (spec: Partial<NodePool['spec']> = {}, status?: NodePool['status']): NodePool {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name: 'np', namespace: 'clusters', generation: 1 },
    spec: { clusterName: 'hc', release: { image: releaseImageFor('4.19.3') }, management: { upgradeType: 'Replace' }, platform: { type: 'Agent' }, replicas: 2, ...spec },
    status
  }
}

const hc = (version = '4.19.3', available = true): HostedCluster => ({
  apiVersion: 'hypershift.openshift.io/v1beta1',
  kind: 'HostedCluster',
  metadata: { name: 'hc', namespace: 'clusters' },
  spec: { release: { image: releaseImageFor(version) }, platform: { type: 'Agent' } },
  status: {
    conditions: [
      { type: 'Available', status: available ? 'True' : 'False', reason: 'AsExpected', message: '', lastTransitionTime: 'x' },
      { type: 'IgnitionEndpointAvailable', status: 'True', reason: 'AsExpected', message: '', lastTransitionTime: 'x' }
    ]
  }
})

const obs = (cluster: HostedCluster | null) => ({
  now: new Date().toISOString(), nowMs: Date.now(), stepMs: 10, hostedCluster: cluster, platformImage: null, configHash: 'h', appliedConfigHash: 'h'
})

const cond = (np: NodePool['status'], type: string) => np?.conditions?.find((c) => c.type === type)

t.test('scale up: replicas rise one per step until Ready', async (t) => {
  let np = pool({ replicas: 3 })
  const seen: number[] = []
  for (let i = 0; i < 8; i++) {
    const r = computeNodePoolStatus(np, obs(hc()))
    np = { ...np, status: r.status }
    seen.push(r.status.replicas ?? 0)
    if (r.settled) break
  }
  t.same(seen, [0, 1, 2, 3])
  t.match(cond(np.status, 'Ready'), { status: 'True', message: 'All replicas are available' })
  t.equal(np.status?.version, '4.19.3')
  t.match(cond(np.status, 'AllMachinesReady'), { status: 'True' })
  t.match(np.status?.nodesInfo?.nodeVersions, [{ ocpVersion: '4.19.3', kubeletVersion: 'v1.32.0', readyNodeCount: 3, unreadyNodeCount: 0 }])
})

t.test('while scaling the Ready message reports minimum availability', async (t) => {
  const r = computeNodePoolStatus(pool({ replicas: 2 }), obs(hc()))
  t.match(cond(r.status, 'Ready'), { status: 'False', reason: 'WaitingForAvailableMachines', message: 'Minimum availability requires 2 replicas, current 0 available' })
  t.match(cond(r.status, 'AllMachinesReady'), { status: 'False' })
})

t.test('missing cluster and unavailable control plane', async (t) => {
  const missing = computeNodePoolStatus(pool(), obs(null))
  t.match(cond(missing.status, 'Ready'), { status: 'False', reason: 'NotFound', message: 'HostedCluster clusters/hc not found' })
  t.equal(missing.status.replicas, 0)
  const waiting = computeNodePoolStatus(pool(), obs(hc('4.19.3', false)))
  t.match(cond(waiting.status, 'Ready'), { status: 'False', reason: 'WaitingForAvailable' })
  t.equal(waiting.status.nodesInfo, undefined, 'no machines before the control plane is up')
})

t.test('autoscaling targets min and reports AutoscalingEnabled', async (t) => {
  const np = pool({ replicas: undefined, autoScaling: { min: 2, max: 5 } })
  t.equal(desiredNodeCount(np, 0), 2)
  t.equal(desiredNodeCount(np, 7), 5)
  t.equal(desiredNodeCount(np, 3), 3)
  const r = computeNodePoolStatus(np, obs(hc()))
  t.match(cond(r.status, 'AutoscalingEnabled'), { status: 'True' })
  t.match(cond(computeNodePoolStatus(pool(), obs(hc())).status, 'AutoscalingEnabled'), { status: 'False' })
})

t.test('release validation and skew', async (t) => {
  const newer = computeNodePoolStatus(pool({ release: { image: releaseImageFor('4.19.5') } }), obs(hc('4.19.3')))
  t.match(cond(newer.status, 'ValidReleaseImage'), { status: 'False', reason: 'ValidationFailed', message: /newer than the HostedCluster/ })
  const skewed = computeNodePoolStatus(pool({ release: { image: releaseImageFor('4.17.9') } }), obs(hc('4.19.3')))
  t.match(cond(skewed.status, 'SupportedVersionSkew'), { status: 'False', reason: 'UnsupportedSkew' })
  t.match(cond(skewed.status, 'ValidReleaseImage'), { status: 'True' })
  const even = computeNodePoolStatus(pool({ release: { image: releaseImageFor('4.16.20') } }), obs(hc('4.18.10')))
  t.match(cond(even.status, 'SupportedVersionSkew'), { status: 'True' })
})

t.test('Replace rollout surges then removes old nodes', async (t) => {
  const np = pool({ replicas: 2 })
  t.same(rolloutBatch(np, 2), { batch: 1, unavailable: 0 })
  const nodes = new Map([['4.18.10', { ready: 2, unready: 0 }]])
  const trace: string[] = []
  for (let i = 0; i < 6 && nodes.has('4.18.10'); i++) {
    stepNodes(np, nodes, '4.19.3', true)
    trace.push(JSON.stringify(Object.fromEntries(nodes)))
  }
  t.same(trace, [
    '{"4.18.10":{"ready":2,"unready":0},"4.19.3":{"ready":0,"unready":1}}',
    '{"4.18.10":{"ready":1,"unready":0},"4.19.3":{"ready":1,"unready":0}}',
    '{"4.18.10":{"ready":1,"unready":0},"4.19.3":{"ready":1,"unready":1}}',
    '{"4.19.3":{"ready":2,"unready":0}}'
  ])
})

t.test('InPlace rollout takes maxUnavailable nodes down at a time', async (t) => {
  const np = pool({ replicas: 3, management: { upgradeType: 'InPlace', inPlace: { maxUnavailable: 2 } } })
  const nodes = new Map([['4.18.10', { ready: 3, unready: 0 }]])
  stepNodes(np, nodes, '4.19.3', true)
  t.same(Object.fromEntries(nodes), { '4.18.10': { ready: 1, unready: 0 }, '4.19.3': { ready: 0, unready: 2 } })
  stepNodes(np, nodes, '4.19.3', true)
  stepNodes(np, nodes, '4.19.3', true)
  stepNodes(np, nodes, '4.19.3', true)
  t.same(Object.fromEntries(nodes), { '4.19.3': { ready: 3, unready: 0 } })
})

t.test('UpdatingVersion during an upgrade', async (t) => {
  const np = pool({ replicas: 1 }, { replicas: 1, version: '4.18.10', nodesInfo: { nodeVersions: [{ ocpVersion: '4.18.10', kubeletVersion: 'v1.31.0', readyNodeCount: 1, unreadyNodeCount: 0 }] } })
  const r = computeNodePoolStatus(np, obs(hc()))
  t.match(cond(r.status, 'UpdatingVersion'), { status: 'True', message: 'Updating version in progress. Target version: 4.19.3' })
  t.equal(r.status.version, '4.18.10')
  t.notOk(r.settled)
})
