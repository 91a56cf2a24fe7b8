import { createHash } from 'node:crypto'
import { amiId, streamArchFor } from './coreos-stream.ts'
import { setConditions } from './conditions.ts'
import { pausedCondition, pausedUntil } from './hostedcluster-status.ts'
import { FINALIZER } from './hostedcluster-controller.ts'
import type { ReconcileResult } from './hostedcluster-controller.ts'
import { HYPERSHIFT_GROUP, HYPERSHIFT_VERSION, JSON_PATCH, ignoreNotFound } from './kube-client.ts'
import type { KubeClients } from './kube-client.ts'
import { computeNodePoolStatus } from './nodepool-status.ts'
import type { HostedCluster, NodePool } from './types.ts'

const HC = { group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'hostedclusters' }
const NP = { group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'nodepools' }
// Upstream records the config the machines were built from in this annotation.
export const ANNOTATION_CURRENT_CONFIG = 'hypershift.openshift.io/nodePoolCurrentConfig'

export function configHash (np: NodePool): string {
  return createHash('sha256').update(JSON.stringify(np.spec.config ?? [])).digest('hex').slice(0, 8)
}

export function createNodePoolController (clients: KubeClients, stepMs: number) {
  const { custom } = clients

  async function patch (np: NodePool, ops: object[]): Promise<void> {
    await custom.patchNamespacedCustomObject({
      ...NP,
      namespace: np.metadata.namespace ?? '',
      name: np.metadata.name,
      body: [{ op: 'test', path: '/metadata/resourceVersion', value: np.metadata.resourceVersion }, ...ops]
    }, JSON_PATCH)
  }

  async function writeStatus (np: NodePool, status: NodePool['status']): Promise<boolean> {
    if (JSON.stringify(status) === JSON.stringify(np.status)) return false
    await custom.replaceNamespacedCustomObjectStatus({
      ...NP,
      namespace: np.metadata.namespace ?? '',
      name: np.metadata.name,
      body: { ...np, status }
    })
    return true
  }

  async function reconcile (namespace: string, name: string): Promise<ReconcileResult> {
    const np = await ignoreNotFound(custom.getNamespacedCustomObject({ ...NP, namespace, name })) as NodePool | undefined
    if (np === undefined) return {}
    const finalizers = np.metadata.finalizers ?? []
    if (np.metadata.deletionTimestamp !== undefined) {
      // machines are drained and deleted; the twin gives that one step
      if (!finalizers.includes(FINALIZER)) return {}
      const age = Date.now() - Date.parse(np.metadata.deletionTimestamp)
      if ((np.status?.replicas ?? 0) > 0 && age < stepMs) return { requeueAfterMs: stepMs }
      await patch(np, [{ op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((f) => f !== FINALIZER) }])
      return {}
    }
    if (!finalizers.includes(FINALIZER)) {
      await patch(np, [{ op: 'add', path: '/metadata/finalizers', value: [...finalizers, FINALIZER] }])
      return { requeueAfterMs: 0 }
    }
    const now = new Date()
    const pause = pausedUntil(np.spec.pausedUntil, now.getTime())
    if (pause.paused) {
      const conditions = setConditions(np.status?.conditions, [pausedCondition(np.spec.pausedUntil ?? '')], np.metadata.generation, now.toISOString())
      await writeStatus(np, { ...(np.status ?? {}), conditions })
      return pause.untilMs === null ? {} : { requeueAfterMs: Math.max(stepMs, pause.untilMs - now.getTime()) }
    }
    const hc = await ignoreNotFound(custom.getNamespacedCustomObject({ ...HC, namespace, name: np.spec.clusterName })) as HostedCluster | undefined
    const platformImage = np.spec.platform.type === 'AWS' && hc !== undefined
      ? amiId(streamArchFor(np.spec.arch), hc.spec.platform.aws?.region ?? 'us-east-1')
      : null
    const hash = configHash(np)
    const applied = np.metadata.annotations?.[ANNOTATION_CURRENT_CONFIG]
    const result = computeNodePoolStatus(np, {
      now: now.toISOString(),
      nowMs: now.getTime(),
      stepMs,
      hostedCluster: hc ?? null,
      platformImage,
      configHash: hash,
      appliedConfigHash: applied
    })
    if (result.configApplied && applied !== hash) {
      const op = np.metadata.annotations === undefined
        ? { op: 'add', path: '/metadata/annotations', value: { [ANNOTATION_CURRENT_CONFIG]: hash } }
        : { op: 'add', path: `/metadata/annotations/${ANNOTATION_CURRENT_CONFIG.replace('/', '~1')}`, value: hash }
      await patch(np, [op])
      return { requeueAfterMs: 0 }
    }
    await writeStatus(np, result.status)
    return result.settled ? {} : { requeueAfterMs: stepMs }
  }

  return { reconcile }
}
