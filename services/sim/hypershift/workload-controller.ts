import { createHash, randomBytes } from 'node:crypto'
import type { V1Deployment, V1OwnerReference, V1Pod, V1StatefulSet } from '@kubernetes/client-node'
import { ignoreNotFound, isNotFound } from './kube-client.ts'
import type { KubeClients } from './kube-client.ts'
import { MANAGED_BY, MANAGER } from './control-plane.ts'

// Plays the kube-controller-manager's StatefulSet and Deployment controllers (and the kubelet) for the
// hosted control plane workloads only: pods appear, become Ready one per step, roll on template
// changes, and status.readyReplicas follows spec.replicas — so `oc scale --replicas=0` and back, as the
// etcd backup procedure does, is observable.

export type WorkloadKind = 'StatefulSet' | 'Deployment'
type Workload = V1StatefulSet | V1Deployment

// API servers only turn Ready once etcd has quorum; the ignition server does not need etcd.
const NEEDS_ETCD = new Set(['kube-apiserver', 'openshift-apiserver', 'openshift-oauth-apiserver'])

export interface WorkloadController {
  reconcile (kind: WorkloadKind, namespace: string, name: string): Promise<boolean>
}

function revisionOf (w: Workload): string {
  return createHash('sha256').update(JSON.stringify(w.spec?.template ?? {})).digest('hex').slice(0, 10)
}

function isReady (pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

function podStatus (pod: V1Pod, ready: boolean, now: Date) {
  const containers = pod.spec?.containers ?? []
  const flag = ready ? 'True' : 'False'
  const ip = createHash('sha256').update(`${pod.metadata?.namespace}/${pod.metadata?.name}`).digest()
  return {
    phase: ready ? 'Running' : 'Pending',
    podIP: `10.128.${ip[0]}.${ip[1] % 254 + 1}`,
    hostIP: `10.0.${ip[2]}.${ip[3] % 254 + 1}`,
    startTime: pod.status?.startTime ?? now,
    qosClass: 'Burstable',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: flag, lastTransitionTime: now },
      { type: 'Ready', status: flag, lastTransitionTime: now }
    ],
    containerStatuses: containers.map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: c.image ?? '',
      ready,
      started: ready,
      restartCount: 0,
      state: ready ? { running: { startedAt: now } } : { waiting: { reason: 'ContainerCreating' } }
    }))
  }
}

export function createWorkloadController (clients: KubeClients, stepMs: number): WorkloadController {
  const { apps, core } = clients
  // pod name → creation time in this process; a pod becomes Ready no earlier than one step later
  const createdAt = new Map<string, number>()

  async function read (kind: WorkloadKind, namespace: string, name: string): Promise<Workload | undefined> {
    return kind === 'StatefulSet'
      ? await ignoreNotFound(apps.readNamespacedStatefulSet({ namespace, name }))
      : await ignoreNotFound(apps.readNamespacedDeployment({ namespace, name }))
  }

  async function etcdHasQuorum (namespace: string): Promise<boolean> {
    const sts = await ignoreNotFound(apps.readNamespacedStatefulSet({ namespace, name: 'etcd' }))
    const replicas = sts?.spec?.replicas ?? 0
    const ready = sts?.status?.readyReplicas ?? 0
    return replicas > 0 && ready >= Math.floor(replicas / 2) + 1
  }

  async function createPod (w: Workload, kind: WorkloadKind, podName: string, revision: string): Promise<void> {
    const namespace = w.metadata?.namespace ?? ''
    const owner: V1OwnerReference = {
      apiVersion: 'apps/v1', kind, name: w.metadata?.name ?? '', uid: w.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true
    }
    const revisionLabel = kind === 'StatefulSet' ? 'controller-revision-hash' : 'pod-template-hash'
    const tpl = w.spec?.template
    const pod: V1Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        namespace,
        labels: { ...(tpl?.metadata?.labels ?? {}), [revisionLabel]: revision },
        annotations: { ...(tpl?.metadata?.annotations ?? {}) },
        ownerReferences: [owner]
      },
      spec: {
        ...(tpl?.spec ?? { containers: [] }),
        ...(kind === 'StatefulSet' ? { hostname: podName, subdomain: (w as V1StatefulSet).spec?.serviceName } : {})
      }
    }
    try {
      const created = await core.createNamespacedPod({ namespace, body: pod })
      createdAt.set(`${namespace}/${podName}`, Date.now())
      created.status = podStatus(created, false, new Date()) as V1Pod['status']
      await core.replaceNamespacedPodStatus({ namespace, name: podName, body: created })
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err
    }
  }

  async function setReady (pod: V1Pod, ready: boolean): Promise<void> {
    const namespace = pod.metadata?.namespace ?? ''
    const name = pod.metadata?.name ?? ''
    pod.status = podStatus(pod, ready, new Date()) as V1Pod['status']
    await ignoreNotFound(core.replaceNamespacedPodStatus({ namespace, name, body: pod }))
  }

  async function deletePod (pod: V1Pod): Promise<void> {
    const namespace = pod.metadata?.namespace ?? ''
    const name = pod.metadata?.name ?? ''
    createdAt.delete(`${namespace}/${name}`)
    await ignoreNotFound(core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 }))
  }

  const oldEnough = (pod: V1Pod): boolean => {
    const t = createdAt.get(`${pod.metadata?.namespace}/${pod.metadata?.name}`)
    return t === undefined || Date.now() - t >= stepMs
  }

  // One simulated controller pass; returns true when the workload has converged.
  async function reconcile (kind: WorkloadKind, namespace: string, name: string): Promise<boolean> {
    const w = await read(kind, namespace, name)
    if (w === undefined || w.metadata?.labels?.[MANAGED_BY] !== MANAGER) return true
    if (w.metadata.deletionTimestamp !== undefined) return true
    const uid = w.metadata.uid
    const revision = revisionOf(w)
    const replicas = w.spec?.replicas ?? 1
    const revisionLabel = kind === 'StatefulSet' ? 'controller-revision-hash' : 'pod-template-hash'
    const list = await core.listNamespacedPod({ namespace, labelSelector: `app=${name}` })
    const pods = list.items.filter((p) => p.metadata?.deletionTimestamp === undefined &&
      (p.metadata?.ownerReferences ?? []).some((o) => o.uid === uid))
    const current = pods.filter((p) => p.metadata?.labels?.[revisionLabel] === revision)
    const outdated = pods.filter((p) => p.metadata?.labels?.[revisionLabel] !== revision)
    const gateOpen = !NEEDS_ETCD.has(name) || await etcdHasQuorum(namespace)

    if (kind === 'StatefulSet') {
      const ordinal = (p: V1Pod): number => Number((p.metadata?.name ?? '').slice(name.length + 1))
      for (const p of pods.filter((p) => ordinal(p) >= replicas)) await deletePod(p)
      const kept = pods.filter((p) => ordinal(p) < replicas)
      const keptOutdated = kept.filter((p) => p.metadata?.labels?.[revisionLabel] !== revision)
      // RollingUpdate replaces the highest ordinal first, once every other member is Ready
      if (keptOutdated.length > 0 && kept.length === replicas && kept.every(isReady)) {
        await deletePod(keptOutdated.sort((a, b) => ordinal(b) - ordinal(a))[0])
      }
      const present = new Set(kept.map(ordinal))
      for (let i = 0; i < replicas; i++) if (!present.has(i)) await createPod(w, kind, `${name}-${i}`, revision)
    } else {
      const need = replicas - current.length
      if (outdated.length === 0 && need > 0) {
        for (let i = 0; i < need; i++) await createPod(w, kind, `${name}-${revision}-${randomBytes(3).toString('hex').slice(0, 5)}`, revision)
      } else if (need > 0 && pods.length < replicas + 1) {
        await createPod(w, kind, `${name}-${revision}-${randomBytes(3).toString('hex').slice(0, 5)}`, revision)
      }
      const readyCount = pods.filter(isReady).length
      if (outdated.length > 0 && (readyCount > replicas || current.filter(isReady).length >= replicas || replicas === 0)) {
        await deletePod(outdated.find((p) => !isReady(p)) ?? outdated[0])
      }
      if (current.length > replicas) {
        const extra = [...current].sort((a, b) => Number(isReady(a)) - Number(isReady(b))).slice(0, current.length - replicas)
        for (const p of extra) await deletePod(p)
      }
    }

    // kubelet: one pending pod turns Ready per step; without etcd the API servers fail readiness
    const live = await core.listNamespacedPod({ namespace, labelSelector: `app=${name}` })
    const owned = live.items.filter((p) => p.metadata?.deletionTimestamp === undefined &&
      (p.metadata?.ownerReferences ?? []).some((o) => o.uid === uid))
    if (!gateOpen) {
      for (const p of owned.filter(isReady)) await setReady(p, false)
    } else {
      const pending = owned.filter((p) => !isReady(p) && oldEnough(p))
      if (pending.length > 0) await setReady(pending[0], true)
    }

    const after = (await core.listNamespacedPod({ namespace, labelSelector: `app=${name}` })).items
      .filter((p) => p.metadata?.deletionTimestamp === undefined && (p.metadata?.ownerReferences ?? []).some((o) => o.uid === uid))
    const ready = after.filter(isReady).length
    const updated = after.filter((p) => p.metadata?.labels?.[revisionLabel] === revision).length
    await writeStatus(kind, w, { total: after.length, ready, updated, revision, replicas })
    return after.length === replicas && ready === replicas && updated === replicas
  }

  async function writeStatus (kind: WorkloadKind, w: Workload, s: { total: number, ready: number, updated: number, revision: string, replicas: number }): Promise<void> {
    const namespace = w.metadata?.namespace ?? ''
    const name = w.metadata?.name ?? ''
    const prev = w.status as Record<string, unknown> | undefined
    const base = { observedGeneration: w.metadata?.generation ?? 1, replicas: s.total, readyReplicas: s.ready, availableReplicas: s.ready, updatedReplicas: s.updated }
    const unchanged = prev !== undefined && Object.entries(base).every(([k, v]) => (prev[k] ?? 0) === v) &&
      (kind === 'Deployment' || prev.updateRevision === `${name}-${s.revision}`)
    if (unchanged) return
    try {
      if (kind === 'StatefulSet') {
        const sts = w as V1StatefulSet
        sts.status = {
          ...base,
          currentReplicas: s.updated,
          currentRevision: s.updated === s.total ? `${name}-${s.revision}` : (sts.status?.currentRevision ?? `${name}-${s.revision}`),
          updateRevision: `${name}-${s.revision}`,
          collisionCount: 0
        }
        await apps.replaceNamespacedStatefulSetStatus({ namespace, name, body: sts })
      } else {
        const d = w as V1Deployment
        const available = s.ready >= s.replicas
        const now = new Date()
        d.status = {
          ...base,
          unavailableReplicas: Math.max(0, s.replicas - s.ready),
          conditions: [
            {
              type: 'Available',
              status: available ? 'True' : 'False',
              reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
              message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
              lastUpdateTime: now,
              lastTransitionTime: now
            },
            {
              type: 'Progressing',
              status: 'True',
              reason: s.updated === s.replicas && s.ready === s.replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
              message: `ReplicaSet "${name}-${s.revision}" ${s.updated === s.replicas && s.ready === s.replicas ? 'has successfully progressed' : 'is progressing'}.`,
              lastUpdateTime: now,
              lastTransitionTime: now
            }
          ]
        }
        await apps.replaceNamespacedDeploymentStatus({ namespace, name, body: d })
      }
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }

  return { reconcile }
}
