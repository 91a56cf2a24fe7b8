import t, { type Test } from 'tap'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'
import { GatewayError } from '../../../../shared/errors.ts'
import type { KubeObject } from '../../../../shared/kube/kube-object.ts'
import { planNodePoolPatch } from '../../../../shared/hypershift/day2/nodepool-patch.ts'
import type { NodePoolPatchBody } from '../../../../shared/hypershift/day2/nodepool-patch-schema.ts'
import type { PlanContext } from '../../../../shared/hypershift/day2/plan.ts'

const crdDir = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))
const IMG = 'quay.io/openshift-release-dev/ocp-release'
const NS = 'clusters'
const ctx: PlanContext = { supportedVersions: ['4.19', '4.18', '4.17', '4.16'], now: new Date('2026-05-01T10:00:00Z') }

function hostedCluster (version = '4.18.10', extra: { deleting?: boolean, status?: object } = {}): KubeObject {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name: 'demo', namespace: NS, ...(extra.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      release: { image: `${IMG}:${version}-x86_64` },
      pullSecret: { name: 'pull-secret' },
      dns: { baseDomain: 'example.com' },
      networking: { clusterNetwork: [{ cidr: '10.132.0.0/14' }], serviceNetwork: [{ cidr: '172.31.0.0/16' }], networkType: 'OVNKubernetes' },
      etcd: { managementType: 'Managed', managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } } },
      platform: { type: 'Agent', agent: { agentNamespace: 'agents' } },
      services: ['APIServer', 'OAuthServer', 'Konnectivity', 'Ignition'].map(service => ({ service, servicePublishingStrategy: { type: 'Route', route: {} } }))
    },
    ...(extra.status === undefined ? {} : { status: extra.status })
  }
}

function nodePool (opts: { version?: string, platform?: string, upgradeType?: string, spec?: object, deleting?: boolean } = {}): KubeObject {
  const platform = opts.platform ?? 'Agent'
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name: 'workers', namespace: NS, ...(opts.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      clusterName: 'demo',
      release: { image: `${IMG}:${opts.version ?? '4.18.10'}-x86_64` },
      arch: 'amd64',
      management: { autoRepair: false, upgradeType: opts.upgradeType ?? 'InPlace' },
      platform: platform === 'Agent' ? { type: 'Agent', agent: {} } : { type: platform },
      replicas: 2,
      ...opts.spec
    }
  }
}

function refusal (t: Test, fn: () => unknown, code: string, field: string, message: RegExp): void {
  const err = t.throws(fn) as GatewayError
  t.equal(err.code, code, `${field}: code`)
  const hit = (err.errors ?? []).find(e => e.field === field)
  t.ok(hit, `${field}: error present in ${JSON.stringify(err.errors)}`)
  t.match(hit?.message, message)
}

const plan = (np: KubeObject, body: NodePoolPatchBody, hc = hostedCluster()) => planNodePoolPatch(np, hc, body, ctx)

t.test('replicas and autoscaling switch in one merge patch', async t => {
  t.strictSame(plan(nodePool(), { autoscaling: { min: 1, max: 5 } }).patch, { spec: { autoScaling: { min: 1, max: 5 }, replicas: null } })
  const auto = nodePool({ spec: { replicas: undefined, autoScaling: { min: 1, max: 5 } } })
  t.strictSame(plan(auto, { replicas: 3 }).patch, { spec: { replicas: 3, autoScaling: null } })
  refusal(t, () => plan(nodePool(), { replicas: 1, autoscaling: { min: 1, max: 2 } }), 'GW_ERR_VALIDATION', 'body.autoscaling', /mutually exclusive/)
  refusal(t, () => plan(nodePool(), { autoscaling: { min: 4, max: 2 } }), 'GW_ERR_VALIDATION', 'body.autoscaling.max', /max must be equal or greater than min/)
  refusal(t, () => plan(nodePool(), { autoscaling: { min: 0, max: 2 } }), 'GW_ERR_UNPROCESSABLE', 'body.autoscaling.min', /only supported for AWS and Azure platforms, not Agent/)
  t.strictSame(plan(nodePool({ platform: 'AWS', upgradeType: 'Replace' }), { autoscaling: { min: 0, max: 2 } }).patch.spec?.autoScaling, { min: 0, max: 2 })
  t.match(plan(nodePool(), { autoscaling: { min: 1, max: 9 } }).warnings.join('\n'), /bounded by the number of available agents/)
  const down = plan(nodePool(), { replicas: 0 })
  t.match(down.warnings.join('\n'), /discovery image[\s\S]*scaling to 0[\s\S]*nodeDrainTimeout is 0s/)
})

t.test('node pool release: not newer than the control plane, within the skew, no y-stream downgrade', async t => {
  const np = nodePool({ version: '4.17.9' })
  const ok = plan(np, { release: { image: `${IMG}:4.18.10-x86_64` } })
  t.strictSame(ok.patch, { spec: { release: { image: `${IMG}:4.18.10-x86_64` } } })
  t.match(ok.warnings.join('\n'), /rolls its nodes \(InPlace upgrade\)/)
  refusal(t, () => plan(np, { release: { image: `${IMG}:4.18.11-x86_64` } }), 'GW_ERR_UNPROCESSABLE', 'body.release.image', /cannot be higher than the control plane version 4.18.10/)
  refusal(t, () => plan(np, { release: { image: `${IMG}:4.16.20-x86_64` } }), 'GW_ERR_UNPROCESSABLE', 'body.release.image', /y-stream downgrade from 4.17.9 to 4.16.20/)
  refusal(t, () => plan(nodePool({ version: '4.15.36' }), { release: { image: `${IMG}:4.15.37-x86_64` } }), 'GW_ERR_UNPROCESSABLE', 'body.release.image', /more than 2 minor versions older/)
  refusal(t, () => plan(np, { release: { image: 'x' } }), 'GW_ERR_VALIDATION', 'body.release.image', /pull spec/)
  t.match(plan(np, { release: { image: np.spec.release.image } }).warnings.join('\n'), /already uses/)
  t.match(plan(nodePool({ version: '4.18.10' }), { release: { image: `${IMG}:4.18.2-x86_64` } }).warnings.join('\n'), /z-stream downgrades/)
  // while the control plane is still rolling to 4.18.10 the nodes may not pass the completed 4.17.9
  const rolling = hostedCluster('4.18.10', { status: { version: { history: [{ state: 'Partial', version: '4.18.10' }, { state: 'Completed', version: '4.17.9' }] } } })
  refusal(t, () => plan(np, { release: { image: `${IMG}:4.18.10-x86_64` } }, rolling), 'GW_ERR_UNPROCESSABLE', 'body.release.image', /control plane version 4.17.9/)
  const digest = `${IMG}@sha256:${'d'.repeat(64)}`
  t.match(plan(np, { release: { image: digest } }).warnings.join('\n'), /skew was not checked/)
})

t.test('autoRepair needs nodeDrainTimeout above 0s', async t => {
  refusal(t, () => plan(nodePool(), { autoRepair: true }), 'GW_ERR_UNPROCESSABLE', 'body.autoRepair', /nodeDrainTimeout greater than 0s/)
  t.strictSame(plan(nodePool(), { autoRepair: true, nodeDrainTimeout: '30m' }).patch, { spec: { nodeDrainTimeout: '30m0s', management: { autoRepair: true } } })
  const repairing = nodePool({ spec: { nodeDrainTimeout: '30m', management: { autoRepair: true, upgradeType: 'InPlace' } } })
  t.strictSame(plan(repairing, { autoRepair: true }).patch, { spec: { management: { autoRepair: true } } })
  refusal(t, () => plan(repairing, { nodeDrainTimeout: '0s' }), 'GW_ERR_UNPROCESSABLE', 'body.nodeDrainTimeout', /autoRepair requires/)
  refusal(t, () => plan(repairing, { nodeDrainTimeout: null }), 'GW_ERR_UNPROCESSABLE', 'body.nodeDrainTimeout', /autoRepair requires/)
  t.strictSame(plan(repairing, { autoRepair: false, nodeDrainTimeout: null }).patch, { spec: { nodeDrainTimeout: null, management: { autoRepair: false } } })
  refusal(t, () => plan(nodePool(), { nodeDrainTimeout: '10 minutes' }), 'GW_ERR_VALIDATION', 'body.nodeDrainTimeout', /is not a duration/)
  refusal(t, () => plan(nodePool(), { nodeVolumeDetachTimeout: '-1s' }), 'GW_ERR_VALIDATION', 'body.nodeVolumeDetachTimeout', /must not be negative/)
  t.strictSame(plan(nodePool(), { nodeVolumeDetachTimeout: '5m' }).patch, { spec: { nodeVolumeDetachTimeout: '5m0s' } })
})

t.test('labels, taints and config references', async t => {
  const p = plan(nodePool(), { nodeLabels: { role: 'infra', old: null }, taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }], tuningConfig: ['perf'], config: ['kubelet'] })
  t.strictSame(p.patch, {
    spec: { nodeLabels: { role: 'infra', old: null }, taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }], tuningConfig: [{ name: 'perf' }], config: [{ name: 'kubelet' }] }
  })
  t.match(p.warnings.join('\n'), /nodeLabels are applied to nodes created from now on[\s\S]*taints[\s\S]*"tuning"[\s\S]*"config"/)
  refusal(t, () => plan(nodePool(), { nodeLabels: { 'a/b/c': 'x' } }), 'GW_ERR_VALIDATION', 'body.nodeLabels.a/b/c', /the name must be 1-63 characters/)
  refusal(t, () => plan(nodePool(), { taints: [{ key: 'k', value: '-bad', effect: 'NoExecute' }] }), 'GW_ERR_VALIDATION', 'body.taints[0].value', /alphanumeric/)
  refusal(t, () => plan(nodePool(), { taints: [{ key: 'k', effect: 'NoExecute' }, { key: 'k', effect: 'NoExecute' }] }), 'GW_ERR_VALIDATION', 'body.taints[1]', /duplicate taint/)
  refusal(t, () => plan(nodePool(), { taints: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, effect: 'NoSchedule' as const })) }), 'GW_ERR_VALIDATION', 'body.taints', /at most 50/)
  refusal(t, () => plan(nodePool(), { config: Array.from({ length: 11 }, (_, i) => `c${i}`) }), 'GW_ERR_VALIDATION', 'body.config', /at most 10/)
})

t.test('management: rolling update bounds, OnDelete, inPlace only for InPlace pools', async t => {
  const replace = nodePool({ platform: 'None', upgradeType: 'Replace', spec: { management: { autoRepair: false, upgradeType: 'Replace', replace: { strategy: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } } })
  t.strictSame(plan(replace, { management: { replace: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } }).patch,
    { spec: { management: { replace: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } } })
  refusal(t, () => plan(replace, { management: { replace: { rollingUpdate: { maxSurge: 0 } } } }), 'GW_ERR_UNPROCESSABLE', 'body.management.replace.rollingUpdate', /cannot both be 0/)
  t.strictSame(plan(replace, { management: { replace: { strategy: 'OnDelete' } } }).patch, { spec: { management: { replace: { strategy: 'OnDelete', rollingUpdate: null } } } })
  refusal(t, () => plan(replace, { management: { replace: { strategy: 'OnDelete', rollingUpdate: { maxSurge: 2 } } } }), 'GW_ERR_VALIDATION', 'body.management.replace.rollingUpdate', /only be set when 'strategy' is 'RollingUpdate'/)
  const onDelete = nodePool({ platform: 'None', upgradeType: 'Replace', spec: { management: { autoRepair: false, upgradeType: 'Replace', replace: { strategy: 'OnDelete' } } } })
  refusal(t, () => plan(onDelete, { management: { replace: { rollingUpdate: { maxSurge: 2 } } } }), 'GW_ERR_UNPROCESSABLE', 'body.management.replace.rollingUpdate', /only be set when 'strategy' is 'RollingUpdate'/)
  refusal(t, () => plan(replace, { management: { inPlace: { maxUnavailable: 2 } } }), 'GW_ERR_UNPROCESSABLE', 'body.management.inPlace', /only be set when 'upgradeType' is 'InPlace'/)
  t.strictSame(plan(nodePool(), { management: { inPlace: { maxUnavailable: '50%' } } }).patch, { spec: { management: { inPlace: { maxUnavailable: '50%' } } } })
  t.match(plan(nodePool(), { management: { replace: { strategy: 'RollingUpdate' } } }).warnings.join('\n'), /upgrades InPlace/)
})

t.test('immutable fields, pause and deletion', async t => {
  refusal(t, () => plan(nodePool(), { upgradeType: 'Replace' }), 'GW_ERR_UNPROCESSABLE', 'body.upgradeType', /UpgradeType is immutable; create a new NodePool/)
  refusal(t, () => plan(nodePool(), { arch: 'arm64' }), 'GW_ERR_UNPROCESSABLE', 'body.arch', /Arch is immutable/)
  refusal(t, () => plan(nodePool(), { clusterName: 'other' }), 'GW_ERR_UNPROCESSABLE', 'body.clusterName', /ClusterName is immutable/)
  const same = plan(nodePool(), { upgradeType: 'InPlace', replicas: 3 })
  t.strictSame(same.patch, { spec: { replicas: 3, autoScaling: null } })
  t.match(same.warnings.join('\n'), /upgradeType is unchanged/)
  t.strictSame(plan(nodePool(), { pausedUntil: 'true' }).patch, { spec: { pausedUntil: 'true' } })
  t.strictSame(plan(nodePool(), { pausedUntil: null }).patch, { spec: { pausedUntil: null } })
  refusal(t, () => plan(nodePool(), { pausedUntil: 'True!' }), 'GW_ERR_VALIDATION', 'body.pausedUntil', /RFC3339/)
  refusal(t, () => plan(nodePool(), {} as NodePoolPatchBody), 'GW_ERR_VALIDATION', 'body', /at least one change/)
  const npDeleting = t.throws(() => plan(nodePool({ deleting: true }), { replicas: 1 })) as GatewayError
  t.equal(npDeleting.code, 'GW_ERR_CONFLICT')
  t.match(npDeleting.message, /NodePool workers is being deleted/)
  const hcDeleting = t.throws(() => plan(nodePool(), { replicas: 1 }, hostedCluster('4.18.10', { deleting: true }))) as GatewayError
  t.equal(hcDeleting.code, 'GW_ERR_CONFLICT')
  t.match(hcDeleting.message, /HostedCluster demo is being deleted .*; changing NodePool workers refused/)
})

t.test('the twin accepts the planned merge patches', { skip: existsSync(crdDir) ? false : `no CRDs at ${crdDir}` }, async t => {
  const kube = await startKubeServer({ port: 0, crdDir, log: () => {} })
  t.teardown(() => kube.close())
  const kc = new KubeConfig()
  kc.loadFromString(kube.kubeconfig())
  const custom = kc.makeApiClient(CustomObjectsApi)
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } })
  const G = { group: 'hypershift.openshift.io', version: 'v1beta1', namespace: NS }
  const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
  const hc = hostedCluster('4.18.10')
  await custom.createNamespacedCustomObject({ ...G, plural: 'hostedclusters', body: hc })
  await custom.createNamespacedCustomObject({ ...G, plural: 'nodepools', body: nodePool({ version: '4.17.9', platform: 'AWS', upgradeType: 'Replace', spec: { platform: { type: 'AWS', aws: { instanceType: 'm5.large', subnet: { id: 'subnet-1' } } } } }) })
  const apply = async (body: NodePoolPatchBody): Promise<KubeObject> => {
    const live = await custom.getNamespacedCustomObject({ ...G, plural: 'nodepools', name: 'workers' }) as KubeObject
    const { patch } = planNodePoolPatch(live, hc, body, ctx)
    return await custom.patchNamespacedCustomObject({ ...G, plural: 'nodepools', name: 'workers', body: patch }, MERGE) as KubeObject
  }

  let live = await apply({ autoscaling: { min: 0, max: 4 } })
  t.same(live.spec.autoScaling, { min: 0, max: 4 }, 'replicas → autoscaling in one patch')
  t.equal(live.spec.replicas, undefined)
  live = await apply({ replicas: 3 })
  t.equal(live.spec.replicas, 3, 'autoscaling → replicas in one patch')
  t.equal(live.spec.autoScaling, undefined)

  live = await apply({
    release: { image: `${IMG}:4.18.10-x86_64` },
    autoRepair: true,
    nodeDrainTimeout: '30m',
    nodeVolumeDetachTimeout: '5m',
    nodeLabels: { role: 'infra' },
    taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }],
    tuningConfig: ['perf'],
    management: { replace: { rollingUpdate: { maxSurge: '50%', maxUnavailable: 1 } } },
    pausedUntil: '2030-01-01T00:00:00Z'
  })
  t.match(live.spec, {
    release: { image: `${IMG}:4.18.10-x86_64` },
    management: { autoRepair: true, upgradeType: 'Replace', replace: { strategy: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 1 } } },
    nodeDrainTimeout: '30m0s',
    nodeVolumeDetachTimeout: '5m0s',
    nodeLabels: { role: 'infra' },
    taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }],
    tuningConfig: [{ name: 'perf' }],
    pausedUntil: '2030-01-01T00:00:00Z'
  })

  live = await apply({ management: { replace: { strategy: 'OnDelete' } }, pausedUntil: null, nodeLabels: { role: null } })
  t.same(live.spec.management.replace, { strategy: 'OnDelete' }, 'OnDelete drops rollingUpdate, as the CRD requires')
  t.equal(live.spec.pausedUntil, undefined)
  t.same(live.spec.nodeLabels ?? {}, {})

  // the twin enforces the CRD rules the planner cites
  await t.rejects(custom.patchNamespacedCustomObject({ ...G, plural: 'nodepools', name: 'workers', body: { spec: { autoScaling: { min: 1, max: 2 } } } }, MERGE), { code: 422 }, 'both replicas and autoScaling')
  await t.rejects(custom.patchNamespacedCustomObject({ ...G, plural: 'nodepools', name: 'workers', body: { spec: { management: { upgradeType: 'InPlace' } } } }, MERGE), { code: 422 }, 'upgradeType is immutable')
})
