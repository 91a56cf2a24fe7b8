import { setTimeout as sleep } from 'node:timers/promises'
import { AppsV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Deployment, type V1StatefulSet } from '@kubernetes/client-node'
import { GatewayError } from '../errors.ts'
import { ignoreNotFound, kubeStatusCode } from '../kube/kube-errors.ts'
import type { KubeObject } from '../kube/kube-object.ts'

const HS = { group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters' }
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

// Markers written in the same request as the change they undo. A job killed between the change and the
// end of its stage (when the stage output is stored) still finds what to put back.
export const PAUSE_MARKER = 'hcp-gateway.io/paused-until-before'
export const REPLICAS_MARKER = 'hcp-gateway.io/replicas-before'
export const RESTART_ANNOTATION = 'hypershift.openshift.io/restart-date'

export interface PauseRecord {
  // null = the field was absent.
  pausedUntil: string | null
}

export type ReplicaRecord = Record<string, number | null>

function readMarker (annotations: Record<string, string> | undefined, key: string): { value: string | null } | undefined {
  const raw = annotations?.[key]
  if (raw === undefined) return undefined
  try {
    const parsed = JSON.parse(raw) as { value?: unknown }
    return { value: typeof parsed.value === 'string' ? parsed.value : null }
  } catch {
    return undefined
  }
}

export function controlPlaneNamespace (namespace: string, name: string): string {
  return `${namespace}-${name}`
}

export function createControlPlane (kc: KubeConfig, cluster: { namespace: string, name: string }) {
  const custom = kc.makeApiClient(CustomObjectsApi)
  const apps = kc.makeApiClient(AppsV1Api)
  const cpns = controlPlaneNamespace(cluster.namespace, cluster.name)

  async function hostedCluster (): Promise<KubeObject | undefined> {
    return await ignoreNotFound(custom.getNamespacedCustomObject({ ...HS, namespace: cluster.namespace, name: cluster.name })) as KubeObject | undefined
  }

  async function patchCluster (body: object): Promise<void> {
    await custom.patchNamespacedCustomObject({ ...HS, namespace: cluster.namespace, name: cluster.name, body }, MERGE)
  }

  async function scaleTo (kind: 'Deployment' | 'StatefulSet', name: string, replicas: number): Promise<void> {
    const body = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace: cpns }, spec: { replicas } }
    if (kind === 'Deployment') await apps.replaceNamespacedDeploymentScale({ namespace: cpns, name, body })
    else await apps.replaceNamespacedStatefulSetScale({ namespace: cpns, name, body })
  }

  async function read (kind: 'Deployment' | 'StatefulSet', name: string): Promise<V1Deployment | V1StatefulSet | undefined> {
    return kind === 'Deployment'
      ? await ignoreNotFound(apps.readNamespacedDeployment({ namespace: cpns, name }))
      : await ignoreNotFound(apps.readNamespacedStatefulSet({ namespace: cpns, name }))
  }

  async function annotate (kind: 'Deployment' | 'StatefulSet', name: string, value: string | null): Promise<void> {
    const body = { metadata: { annotations: { [REPLICAS_MARKER]: value } } }
    if (kind === 'Deployment') await apps.patchNamespacedDeployment({ namespace: cpns, name, body }, MERGE)
    else await apps.patchNamespacedStatefulSet({ namespace: cpns, name, body }, MERGE)
  }

  return {
    controlPlaneNamespace: cpns,
    hostedCluster,

    // Step B / §1.5 step 1: spec.pausedUntil = "true", remembering what was there. The patch carries the
    // resourceVersion it read (the marker must describe the value it replaces), so a write by the
    // operator in between is a 409: read again and retry.
    async pause (): Promise<PauseRecord> {
      for (let attempt = 1; ; attempt++) {
        const hc = await hostedCluster()
        if (!hc) throw new GatewayError('GW_ERR_NOT_FOUND', `hosted cluster ${cluster.namespace}/${cluster.name} not found`)
        const earlier = readMarker(hc.metadata.annotations, PAUSE_MARKER)
        const current = typeof hc.spec?.pausedUntil === 'string' ? hc.spec.pausedUntil as string : null
        const record: PauseRecord = { pausedUntil: earlier ? earlier.value : current }
        if (earlier && current === 'true') return record
        try {
          await patchCluster({
            metadata: { resourceVersion: hc.metadata.resourceVersion, annotations: { [PAUSE_MARKER]: JSON.stringify({ value: record.pausedUntil }) } },
            spec: { pausedUntil: 'true' }
          })
          return record
        } catch (err) {
          if (kubeStatusCode(err) !== 409 || attempt >= 5) throw err
        }
      }
    },

    // Puts spec.pausedUntil back as it was (absent = removed, not the doc's "null" string). The marker on
    // the object wins over the job's record: it was written atomically with the pause.
    async unpause (recorded?: PauseRecord): Promise<boolean> {
      const hc = await hostedCluster()
      if (!hc) return false
      const marker = readMarker(hc.metadata.annotations, PAUSE_MARKER)
      const original = marker ? marker.value : recorded?.pausedUntil
      if (original === undefined) return false
      await patchCluster({ metadata: { annotations: { [PAUSE_MARKER]: null } }, spec: { pausedUntil: original } })
      return true
    },

    // Records each workload's replicas on the object itself, then scales it through /scale.
    async scaleDown (kind: 'Deployment' | 'StatefulSet', names: readonly string[]): Promise<ReplicaRecord> {
      const record: ReplicaRecord = {}
      for (const name of names) {
        const w = await read(kind, name)
        if (!w) {
          record[name] = null
          continue
        }
        const marker = readMarker(w.metadata?.annotations, REPLICAS_MARKER)
        const original = marker?.value != null ? Number(marker.value) : (w.spec?.replicas ?? 1)
        if (!marker) await annotate(kind, name, JSON.stringify({ value: String(original) }))
        record[name] = original
        if ((w.spec?.replicas ?? 1) !== 0) await scaleTo(kind, name, 0)
      }
      return record
    },

    async scaleBack (kind: 'Deployment' | 'StatefulSet', names: readonly string[], recorded?: ReplicaRecord): Promise<ReplicaRecord> {
      const restored: ReplicaRecord = {}
      for (const name of names) {
        const w = await read(kind, name)
        if (!w) continue
        const marker = readMarker(w.metadata?.annotations, REPLICAS_MARKER)
        const fromRecord = recorded?.[name]
        const original = marker?.value != null ? Number(marker.value) : fromRecord ?? undefined
        if (original === undefined || !Number.isInteger(original)) continue
        if (w.spec?.replicas !== original) await scaleTo(kind, name, original)
        if (marker) await annotate(kind, name, null)
        restored[name] = original
      }
      return restored
    },

    async waitReplicas (kind: 'Deployment' | 'StatefulSet', names: readonly string[], ready: (w: V1Deployment | V1StatefulSet) => boolean, opts: { signal: AbortSignal, timeoutMs: number, pollMs?: number, onWait?: (left: string[]) => void }): Promise<void> {
      const deadline = Date.now() + opts.timeoutMs
      while (true) {
        const left: string[] = []
        for (const name of names) {
          const w = await read(kind, name)
          if (w && !ready(w)) left.push(name)
        }
        if (left.length === 0) return
        opts.onWait?.(left)
        if (Date.now() > deadline) {
          throw new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', `${kind}s ${left.join(', ')} in ${cpns} did not settle within ${Math.round(opts.timeoutMs / 1000)} s`)
        }
        await sleep(opts.pollMs ?? 250, undefined, { signal: opts.signal })
      }
    },

    // §5.2: the control plane restarts whenever the annotation's value changes.
    async restart (at: Date): Promise<void> {
      await patchCluster({ metadata: { annotations: { [RESTART_ANNOTATION]: at.toISOString() } } })
    }
  }
}

export type ControlPlane = ReturnType<typeof createControlPlane>

export const noneReady = (w: V1Deployment | V1StatefulSet) => (w.spec?.replicas ?? 0) === 0 && (w.status?.readyReplicas ?? 0) === 0
export const allReady = (w: V1Deployment | V1StatefulSet) => (w.status?.readyReplicas ?? 0) >= (w.spec?.replicas ?? 0) && (w.status?.observedGeneration ?? 0) >= (w.metadata?.generation ?? 0)
