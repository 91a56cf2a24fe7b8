import { createHash, randomBytes } from 'node:crypto'
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node'
import {
  COMPONENTS, ANNOTATION_RELEASE, ANNOTATION_RESTART, LABEL_HCP, controlPlaneNamespace, desiredDeployment,
  desiredReplicas, desiredStatefulSet
} from './control-plane.ts'
import { findCondition, setConditions } from './conditions.ts'
import { computeHostedClusterStatus, pausedCondition, pausedUntil, workloadsConverged } from './hostedcluster-status.ts'
import type { WorkloadObservation } from './hostedcluster-status.ts'
import {
  HYPERSHIFT_GROUP, HYPERSHIFT_VERSION, JSON_PATCH, MERGE_PATCH, createIfMissing, ignoreNotFound
} from './kube-client.ts'
import type { KubeClients } from './kube-client.ts'
import { lookupReleaseImage } from './release-catalog.ts'
import { releaseVersionError } from './supported-versions.ts'
import type { HostedCluster, NodePool } from './types.ts'
import { kubeconfigYaml, kubeadminPassword } from './hosted-access.ts'
import { restoreCondition } from './etcd-restore.ts'

export const FINALIZER = 'hypershift.openshift.io/finalizer'
const HC = { group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'hostedclusters' }
const NP = { group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'nodepools' }

export interface ReconcileResult { requeueAfterMs?: number }

function stable (value: unknown): string {
  return JSON.stringify(value)
}

export function apiEndpoint (hc: HostedCluster): { host: string, port: number } {
  const base = hc.spec.dns?.baseDomain ?? 'example.com'
  const svc = hc.spec.services?.find((s) => s.service === 'APIServer')?.servicePublishingStrategy
  const fallbackHost = `api.${hc.metadata.name}.${base}`
  switch (svc?.type) {
    case 'Route':
      return { host: svc.route?.hostname ?? fallbackHost, port: 443 }
    case 'NodePort':
      return { host: svc.nodePort?.address ?? fallbackHost, port: svc.nodePort?.port ?? 6443 }
    case 'LoadBalancer': {
      if (svc.loadBalancer?.hostname !== undefined) return { host: svc.loadBalancer.hostname, port: 6443 }
      if (hc.spec.platform.type === 'AWS') {
        const h = createHash('sha256').update(`${hc.metadata.namespace}/${hc.metadata.name}`).digest('hex')
        return { host: `a${h.slice(0, 31)}-${parseInt(h.slice(31, 40), 16)}.elb.${hc.spec.platform.aws?.region ?? 'us-east-1'}.amazonaws.com`, port: 6443 }
      }
      return { host: fallbackHost, port: 6443 }
    }
    default:
      return { host: fallbackHost, port: 6443 }
  }
}

export function createHostedClusterController (clients: KubeClients, stepMs: number) {
  const { core, apps, custom } = clients

  async function patchFinalizers (hc: HostedCluster, finalizers: string[]): Promise<void> {
    await custom.patchNamespacedCustomObject({
      ...HC,
      namespace: hc.metadata.namespace ?? '',
      name: hc.metadata.name,
      body: [
        { op: 'test', path: '/metadata/resourceVersion', value: hc.metadata.resourceVersion },
        { op: 'add', path: '/metadata/finalizers', value: finalizers }
      ]
    }, JSON_PATCH)
  }

  async function observeWorkloads (hc: HostedCluster, ns: string): Promise<Record<string, WorkloadObservation | undefined>> {
    const out: Record<string, WorkloadObservation | undefined> = {}
    for (const c of COMPONENTS) {
      const w = c.kind === 'StatefulSet'
        ? await ignoreNotFound(apps.readNamespacedStatefulSet({ namespace: ns, name: c.name }))
        : await ignoreNotFound(apps.readNamespacedDeployment({ namespace: ns, name: c.name }))
      out[c.name] = w === undefined
        ? undefined
        : {
            desired: desiredReplicas(hc, c),
            replicas: w.status?.replicas ?? 0,
            ready: w.status?.readyReplicas ?? 0,
            updated: w.status?.updatedReplicas ?? 0
          }
    }
    return out
  }

  // Create missing workloads; while reconciling, put replicas and the pod template back to what the
  // release asks for, as the Control Plane Operator does (it does not while paused).
  async function ensureWorkloads (hc: HostedCluster, ns: string, releaseImage: string): Promise<void> {
    for (const c of COMPONENTS) {
      const want: V1StatefulSet | V1Deployment = c.kind === 'StatefulSet' ? desiredStatefulSet(hc, c, releaseImage) : desiredDeployment(hc, c, releaseImage)
      const live = c.kind === 'StatefulSet'
        ? await ignoreNotFound(apps.readNamespacedStatefulSet({ namespace: ns, name: c.name }))
        : await ignoreNotFound(apps.readNamespacedDeployment({ namespace: ns, name: c.name }))
      if (live === undefined) {
        if (c.kind === 'StatefulSet') await createIfMissing(apps.createNamespacedStatefulSet({ namespace: ns, body: want as V1StatefulSet }))
        else await createIfMissing(apps.createNamespacedDeployment({ namespace: ns, body: want as V1Deployment }))
        continue
      }
      const liveAnn = live.spec?.template?.metadata?.annotations ?? {}
      const wantAnn = want.spec?.template?.metadata?.annotations ?? {}
      const drift = live.spec?.replicas !== want.spec?.replicas ||
        liveAnn[ANNOTATION_RELEASE] !== wantAnn[ANNOTATION_RELEASE] || liveAnn[ANNOTATION_RESTART] !== wantAnn[ANNOTATION_RESTART]
      if (!drift) continue
      const body = { metadata: { resourceVersion: live.metadata?.resourceVersion }, spec: { replicas: want.spec?.replicas, template: want.spec?.template } }
      if (c.kind === 'StatefulSet') await apps.patchNamespacedStatefulSet({ namespace: ns, name: c.name, body }, MERGE_PATCH)
      else await apps.patchNamespacedDeployment({ namespace: ns, name: c.name, body }, MERGE_PATCH)
    }
  }

  async function ensureNamespace (hc: HostedCluster, ns: string): Promise<void> {
    await createIfMissing(core.createNamespace({
      body: {
        metadata: {
          name: ns,
          labels: {
            [LABEL_HCP]: 'true',
            'hypershift.openshift.io/monitoring': 'true',
            'security.openshift.io/scc.podSecurityLabelSync': 'false',
            'pod-security.kubernetes.io/enforce': 'privileged'
          },
          annotations: { 'hypershift.openshift.io/cluster': `${hc.metadata.namespace}/${hc.metadata.name}` }
        }
      }
    }))
  }

  async function ensureAccessSecrets (hc: HostedCluster, endpoint: { host: string, port: number }): Promise<void> {
    const namespace = hc.metadata.namespace ?? ''
    const ownerReferences = [{ apiVersion: hc.apiVersion, kind: hc.kind, name: hc.metadata.name, uid: hc.metadata.uid ?? '' }]
    const labels = { 'hypershift.openshift.io/hosted-cluster': hc.metadata.name }
    await createIfMissing(core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: `${hc.metadata.name}-admin-kubeconfig`, namespace, labels, ownerReferences },
        type: 'Opaque',
        data: { kubeconfig: Buffer.from(kubeconfigYaml(hc, endpoint)).toString('base64') }
      }
    }))
    await createIfMissing(core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: `${hc.metadata.name}-kubeadmin-password`, namespace, labels, ownerReferences },
        type: 'Opaque',
        data: { password: Buffer.from(kubeadminPassword(randomBytes(32))).toString('base64') }
      }
    }))
  }

  async function writeStatus (hc: HostedCluster, status: HostedCluster['status']): Promise<void> {
    if (stable(status) === stable(hc.status)) return
    await custom.replaceNamespacedCustomObjectStatus({
      ...HC,
      namespace: hc.metadata.namespace ?? '',
      name: hc.metadata.name,
      body: { ...hc, status }
    })
  }

  async function finalize (hc: HostedCluster): Promise<ReconcileResult> {
    const namespace = hc.metadata.namespace ?? ''
    if (!(hc.metadata.finalizers ?? []).includes(FINALIZER)) return {}
    const pools = (await custom.listNamespacedCustomObject({ ...NP, namespace })) as { items: NodePool[] }
    const mine = pools.items.filter((np) => np.spec.clusterName === hc.metadata.name)
    for (const np of mine) {
      if (np.metadata.deletionTimestamp === undefined) await ignoreNotFound(custom.deleteNamespacedCustomObject({ ...NP, namespace, name: np.metadata.name }))
    }
    if (mine.length > 0) return { requeueAfterMs: stepMs }
    for (const suffix of ['admin-kubeconfig', 'kubeadmin-password']) {
      await ignoreNotFound(core.deleteNamespacedSecret({ namespace, name: `${hc.metadata.name}-${suffix}` }))
    }
    const cpns = controlPlaneNamespace(hc)
    const ns = await ignoreNotFound(core.readNamespace({ name: cpns }))
    if (ns !== undefined) {
      if (ns.metadata?.deletionTimestamp === undefined) await ignoreNotFound(core.deleteNamespace({ name: cpns }))
      return { requeueAfterMs: stepMs }
    }
    await patchFinalizers(hc, (hc.metadata.finalizers ?? []).filter((f) => f !== FINALIZER))
    return {}
  }

  async function reconcile (namespace: string, name: string): Promise<ReconcileResult> {
    const hc = await ignoreNotFound(custom.getNamespacedCustomObject({ ...HC, namespace, name })) as HostedCluster | undefined
    if (hc === undefined) return {}
    if (hc.metadata.deletionTimestamp !== undefined) return await finalize(hc)
    if (!(hc.metadata.finalizers ?? []).includes(FINALIZER)) {
      await patchFinalizers(hc, [...(hc.metadata.finalizers ?? []), FINALIZER])
      return { requeueAfterMs: 0 }
    }
    const now = new Date().toISOString()
    const pause = pausedUntil(hc.spec.pausedUntil, Date.now())
    if (pause.paused) {
      const conditions = setConditions(hc.status?.conditions, [pausedCondition(hc.spec.pausedUntil ?? '')], hc.metadata.generation, now)
      await writeStatus(hc, { ...(hc.status ?? {}), conditions })
      return pause.untilMs === null ? {} : { requeueAfterMs: Math.max(stepMs, pause.untilMs - Date.now()) }
    }

    const cpns = controlPlaneNamespace(hc)
    await ensureNamespace(hc, cpns)
    const completed = (hc.status?.version?.history ?? []).find((h) => h.state === 'Completed')
    const current = completed === undefined ? null : lookupReleaseImage(completed.image)
    const release = lookupReleaseImage(hc.spec.release.image)
    const releaseError = release === null
      ? `failed to look up release image metadata for "${hc.spec.release.image}": image not found in release catalogue`
      : releaseVersionError(release, current, hc.spec.platform.type)
    const valid = release !== null && releaseError === null
    const infraReady = findCondition(hc.status?.conditions, 'InfrastructureReady')?.status === 'True'
    const targetImage = valid ? hc.spec.release.image : hc.status?.version?.desired?.image
    if (infraReady && targetImage !== undefined && targetImage !== '') await ensureWorkloads(hc, cpns, targetImage)

    const workloads = await observeWorkloads(hc, cpns)
    const endpoint = apiEndpoint(hc)
    const kasUp = (workloads['kube-apiserver']?.ready ?? 0) >= 1
    if (kasUp) await ensureAccessSecrets(hc, endpoint)
    const status = computeHostedClusterStatus(hc, {
      now,
      release,
      releaseError,
      workloads,
      kubeconfigPublished: kasUp || hc.status?.kubeconfig !== undefined,
      endpoint,
      ignitionHost: `ignition-server-${cpns}.apps.${hc.spec.dns?.baseDomain ?? 'example.com'}`
    })
    const restored = await restoreCondition(clients, hc, cpns)
    if (restored !== undefined) status.conditions = setConditions(status.conditions, [restored], hc.metadata.generation, now)
    await writeStatus(hc, status)
    const settled = findCondition(status.conditions, 'Available')?.status === 'True' &&
      status.version?.history?.[0]?.state === 'Completed' && workloadsConverged(workloads)
    if (settled || !valid) return {}
    return { requeueAfterMs: stepMs }
  }

  return { reconcile }
}
