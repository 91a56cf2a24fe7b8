import t from 'tap'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'
import { startHypershiftSim } from '../../../../services/sim/hypershift/index.ts'
import { releaseImageFor } from '../../../../services/sim/hypershift/release-catalog.ts'
import { waitFor } from '../../../helpers/wait.ts'

const crdPath = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))
const crdDir = existsSync(crdPath) ? crdPath : null
const G = { group: 'hypershift.openshift.io', version: 'v1beta1' }
const NS = 'clusters'
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
type Obj = { metadata: { name: string, finalizers?: string[] }, spec: Record<string, unknown>, status?: any }

const kube = await startKubeServer({ crdDir, port: 0, log: () => {} })
const sim = await startHypershiftSim({ kubeconfig: kube.kubeconfig(), timing: { stepMs: 15 }, log: () => {} })
t.teardown(async () => { await sim.close(); await kube.close() })

const kc = new KubeConfig()
kc.loadFromString(kube.kubeconfig())
kc.loadFromOptions({ clusters: kc.clusters.map((c) => ({ ...c, skipTLSVerify: true })), users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext })
const custom = kc.makeApiClient(CustomObjectsApi)
const core = kc.makeApiClient(CoreV1Api)
const apps = kc.makeApiClient(AppsV1Api)
await core.createNamespace({ body: { metadata: { name: NS } } })

const get = async (plural: string, name: string): Promise<Obj> => await custom.getNamespacedCustomObject({ ...G, plural, namespace: NS, name }) as Obj
const patch = async (plural: string, name: string, body: object) => await custom.patchNamespacedCustomObject({ ...G, plural, namespace: NS, name, body }, MERGE)
const cond = (o: Obj, type: string) => (o.status?.conditions ?? []).find((c: { type: string }) => c.type === type)

function hostedCluster (name: string, version: string, policy = 'SingleReplica') {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name, namespace: NS },
    spec: {
      release: { image: releaseImageFor(version) },
      pullSecret: { name: 'pull-secret' },
      dns: { baseDomain: 'example.com' },
      controllerAvailabilityPolicy: policy,
      networking: { clusterNetwork: [{ cidr: '10.132.0.0/14' }], serviceNetwork: [{ cidr: '172.31.0.0/16' }], networkType: 'OVNKubernetes' },
      etcd: { managementType: 'Managed', managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } } },
      platform: { type: 'Agent', agent: { agentNamespace: 'agents' } },
      services: ['APIServer', 'OAuthServer', 'Konnectivity', 'Ignition'].map((service) => ({ service, servicePublishingStrategy: { type: 'Route', route: {} } }))
    }
  }
}

function nodePool (name: string, cluster: string, version: string, extra: Record<string, unknown> = { replicas: 2 }, upgradeType = 'Replace') {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name, namespace: NS },
    spec: { clusterName: cluster, release: { image: releaseImageFor(version) }, arch: 'amd64', management: { autoRepair: false, upgradeType }, platform: { type: 'Agent', agent: {} }, ...extra }
  }
}

const create = async (plural: string, body: object) => await custom.createNamespacedCustomObject({ ...G, plural, namespace: NS, body })

t.test('bootstrap objects', async (t) => {
  const sv = await waitFor('supported-versions', async () => await core.readNamespacedConfigMap({ namespace: 'hypershift', name: 'supported-versions' }))
  t.same(JSON.parse(sv.data?.['supported-versions'] ?? '{}').versions, ['4.19', '4.18', '4.17', '4.16', '4.15', '4.14'])
  t.ok(sv.data?.['server-version'])
  const boot = await core.readNamespacedConfigMap({ namespace: 'openshift-machine-config-operator', name: 'coreos-bootimages' })
  const stream = JSON.parse(boot.data?.stream ?? '{}')
  t.match(stream.architectures.x86_64.images.aws.regions['us-east-1'].image, /^ami-/)
  t.ok(boot.data?.releaseVersion)
})

t.test('HostedCluster + NodePool reach Available and Ready', async (t) => {
  await create('hostedclusters', hostedCluster('alpha', '4.19.3', 'HighlyAvailable'))
  await create('nodepools', nodePool('alpha-workers', 'alpha', '4.19.3', { replicas: 2 }))
  const hc = await waitFor('alpha available', async () => {
    const o = await get('hostedclusters', 'alpha')
    return cond(o, 'Available')?.status === 'True' && o.status.version?.history?.[0]?.state === 'Completed' ? o : undefined
  })
  t.ok(hc.metadata.finalizers?.includes('hypershift.openshift.io/finalizer'))
  t.match(cond(hc, 'EtcdAvailable'), { status: 'True', reason: 'QuorumAvailable' })
  t.match(cond(hc, 'Progressing'), { status: 'False' })
  t.match(hc.status, { kubeconfig: { name: 'alpha-admin-kubeconfig' }, kubeadminPassword: { name: 'alpha-kubeadmin-password' }, controlPlaneEndpoint: { port: 443 } })
  const secret = await core.readNamespacedSecret({ namespace: NS, name: 'alpha-admin-kubeconfig' })
  t.ok(secret.data?.kubeconfig)
  const ns = await core.readNamespace({ name: 'clusters-alpha' })
  t.equal(ns.metadata?.labels?.['hypershift.openshift.io/hosted-control-plane'], 'true')
  const etcd = await apps.readNamespacedStatefulSet({ namespace: 'clusters-alpha', name: 'etcd' })
  t.equal(etcd.spec?.replicas, 3)
  const pods = await core.listNamespacedPod({ namespace: 'clusters-alpha', labelSelector: 'app=etcd' })
  t.same(pods.items.map((p) => p.metadata?.name).sort(), ['etcd-0', 'etcd-1', 'etcd-2'])
  const np = await waitFor('pool ready', async () => {
    const o = await get('nodepools', 'alpha-workers')
    return cond(o, 'Ready')?.status === 'True' ? o : undefined
  })
  t.equal(np.status.replicas, 2)
  t.equal(np.status.version, '4.19.3')
  t.match(cond(np, 'SupportedVersionSkew'), { status: 'True' })
})

t.test('etcd scaled to zero makes the cluster unavailable until restored', async (t) => {
  await apps.patchNamespacedStatefulSet({ namespace: 'clusters-alpha', name: 'etcd', body: { spec: { replicas: 0 } } }, MERGE)
  await waitFor('etcd unavailable', async () => {
    const o = await get('hostedclusters', 'alpha')
    return cond(o, 'EtcdAvailable')?.status === 'False' && cond(o, 'Available')?.status === 'False'
  })
  const back = await waitFor('etcd restored', async () => {
    const o = await get('hostedclusters', 'alpha')
    return cond(o, 'Available')?.status === 'True' && cond(o, 'Degraded')?.status === 'False' ? o : undefined
  })
  t.match(cond(back, 'EtcdAvailable'), { status: 'True' })
  t.equal((await apps.readNamespacedStatefulSet({ namespace: 'clusters-alpha', name: 'etcd' })).spec?.replicas, 3, 'operator restored replicas')
})

t.test('pause stops reconciliation; resume restores it', async (t) => {
  await patch('hostedclusters', 'alpha', { spec: { pausedUntil: 'true' } })
  await waitFor('paused', async () => cond(await get('hostedclusters', 'alpha'), 'ReconciliationActive')?.reason === 'ReconciliationPaused')
  // the backup procedure: scale the API server down while paused — the operator must not undo it
  await apps.patchNamespacedDeployment({ namespace: 'clusters-alpha', name: 'kube-apiserver', body: { spec: { replicas: 0 } } }, MERGE)
  await waitFor('kas at zero', async () => (await apps.readNamespacedDeployment({ namespace: 'clusters-alpha', name: 'kube-apiserver' })).status?.readyReplicas === 0)
  await sleep(100)
  t.equal((await apps.readNamespacedDeployment({ namespace: 'clusters-alpha', name: 'kube-apiserver' })).spec?.replicas, 0)
  t.match(cond(await get('hostedclusters', 'alpha'), 'Available'), { status: 'True' }, 'status frozen while paused')
  await patch('hostedclusters', 'alpha', { spec: { pausedUntil: null } })
  await waitFor('resumed and scaled back', async () => {
    const d = await apps.readNamespacedDeployment({ namespace: 'clusters-alpha', name: 'kube-apiserver' })
    const o = await get('hostedclusters', 'alpha')
    return d.status?.readyReplicas === 3 && cond(o, 'ReconciliationActive')?.status === 'True' && cond(o, 'Available')?.status === 'True'
  })
  t.pass('resumed')
})

t.test('control plane and node pool upgrades', async (t) => {
  await patch('hostedclusters', 'alpha', { spec: { release: { image: releaseImageFor('4.19.5') } } })
  const partial = await waitFor('upgrade starts', async () => {
    const o = await get('hostedclusters', 'alpha')
    return o.status.version?.history?.[0]?.version === '4.19.5' ? o : undefined
  })
  t.equal(partial.status.version.history[0].state, 'Partial')
  t.equal(partial.status.version.history[1].state, 'Completed')
  const done = await waitFor('upgrade completes', async () => {
    const o = await get('hostedclusters', 'alpha')
    return o.status.version?.history?.[0]?.state === 'Completed' && o.status.version.history[0].version === '4.19.5' ? o : undefined
  })
  t.equal(done.status.version.desired.version, '4.19.5')
  t.match(cond(done, 'Progressing'), { status: 'False' })

  await patch('nodepools', 'alpha-workers', { spec: { release: { image: releaseImageFor('4.19.5') } } })
  await waitFor('pool updating', async () => cond(await get('nodepools', 'alpha-workers'), 'UpdatingVersion')?.status === 'True')
  const np = await waitFor('pool upgraded', async () => {
    const o = await get('nodepools', 'alpha-workers')
    return o.status.version === '4.19.5' && cond(o, 'UpdatingVersion')?.status === 'False' ? o : undefined
  })
  t.equal(np.status.replicas, 2)
})

t.test('unsupported release is rejected with ValidReleaseImage False', async (t) => {
  await create('hostedclusters', hostedCluster('future', '4.20.1'))
  const o = await waitFor('invalid release', async () => {
    const o = await get('hostedclusters', 'future')
    return cond(o, 'ValidReleaseImage')?.status === 'False' ? o : undefined
  })
  t.match(cond(o, 'ValidReleaseImage'), { reason: 'InvalidImage', message: /latest version supported is: "4.19.0"/ })
})

t.test('scale and autoscaling', async (t) => {
  await custom.patchNamespacedCustomObjectScale({ ...G, plural: 'nodepools', namespace: NS, name: 'alpha-workers', body: { spec: { replicas: 4 } } }, MERGE)
  await waitFor('scaled to 4', async () => (await get('nodepools', 'alpha-workers')).status?.replicas === 4)
  await create('nodepools', nodePool('alpha-auto', 'alpha', '4.19.5', { autoScaling: { min: 2, max: 4 } }, 'InPlace'))
  const auto = await waitFor('autoscaled pool ready', async () => {
    const o = await get('nodepools', 'alpha-auto')
    return cond(o, 'Ready')?.status === 'True' ? o : undefined
  })
  t.equal(auto.status.replicas, 2)
  t.match(cond(auto, 'AutoscalingEnabled'), { status: 'True' })
})

t.test('node pool of a missing cluster stays not Ready', async (t) => {
  await create('nodepools', nodePool('orphan', 'nope', '4.19.3'))
  const o = await waitFor('orphan condition', async () => {
    const o = await get('nodepools', 'orphan')
    return cond(o, 'Ready') !== undefined ? o : undefined
  })
  t.match(cond(o, 'Ready'), { status: 'False', reason: 'NotFound' })
})

t.test('deletion cleans up node pools and the control plane namespace', async (t) => {
  await custom.deleteNamespacedCustomObject({ ...G, plural: 'hostedclusters', namespace: NS, name: 'alpha' })
  await waitFor('cluster gone', async () => {
    try {
      await get('hostedclusters', 'alpha')
      return false
    } catch (err) { return (err as { code?: number }).code === 404 }
  }, 10000)
  const pools = await custom.listNamespacedCustomObject({ ...G, plural: 'nodepools', namespace: NS }) as { items: Obj[] }
  t.same(pools.items.map((p) => p.metadata.name), ['orphan'])
  await t.rejects(core.readNamespace({ name: 'clusters-alpha' }), { code: 404 })
  await t.rejects(core.readNamespacedSecret({ namespace: NS, name: 'alpha-admin-kubeconfig' }), { code: 404 })
})
