// OADP's Velero, reduced to the status a caller can watch: Backup and Restore walk New → InProgress →
// Completed over a few steps, counting the objects of the included namespaces as items. Objects are
// counted, not copied: a Restore does not recreate anything. The annotation
// sim.hcp-gateway.io/velero-outcome (PartiallyFailed | Failed) makes the run end that way instead.
import { KubernetesObjectApi } from '@kubernetes/client-node'
import { ignoreNotFound, isConflict } from './kube-client.ts'
import type { KubeClients } from './kube-client.ts'
import type { ReconcileResult } from './hostedcluster-controller.ts'

export const VELERO = { group: 'velero.io', version: 'v1' }
export const ANNOTATION_OUTCOME = 'sim.hcp-gateway.io/velero-outcome'
const STEPS = 3

type Kind = 'backups' | 'restores'
interface VeleroObject {
  metadata: { name: string, namespace: string, annotations?: Record<string, string>, deletionTimestamp?: string }
  spec?: { includedNamespaces?: string[], includedResources?: string[], excludedResources?: string[], storageLocation?: string, ttl?: string, backupName?: string }
  status?: Record<string, unknown> & { phase?: string, progress?: { totalItems?: number, itemsBackedUp?: number, itemsRestored?: number } }
}

// the resources Velero would find in a namespace, by the names a Backup may list them under
const COUNTED: Array<{ names: string[], apiVersion: string, kind: string }> = [
  { names: ['pods', 'pod', 'po'], apiVersion: 'v1', kind: 'Pod' },
  { names: ['secrets', 'secret'], apiVersion: 'v1', kind: 'Secret' },
  { names: ['configmaps', 'configmap', 'cm'], apiVersion: 'v1', kind: 'ConfigMap' },
  { names: ['services', 'service', 'svc'], apiVersion: 'v1', kind: 'Service' },
  { names: ['deployments', 'deployment', 'deploy'], apiVersion: 'apps/v1', kind: 'Deployment' },
  { names: ['statefulsets', 'statefulset', 'sts'], apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { names: ['hostedclusters', 'hostedcluster', 'hc'], apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster' },
  { names: ['nodepools', 'nodepool', 'np'], apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'NodePool' }
]

function parseTtl (ttl: string | undefined): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(ttl ?? '')
  if (ttl === undefined || ttl === '' || m === null) return 720 * 3600_000
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000
}

const matches = (names: string[], list: string[] | undefined) => list?.some(r => r === '*' || names.includes(r.split('.')[0].toLowerCase())) ?? false

export function createVeleroController (clients: KubeClients) {
  const { custom } = clients
  const objects = KubernetesObjectApi.makeApiClient(clients.kc)

  async function countItems (spec: VeleroObject['spec']): Promise<number> {
    let total = 0
    for (const ns of spec?.includedNamespaces ?? []) {
      for (const c of COUNTED) {
        if (spec?.includedResources !== undefined && spec.includedResources.length > 0 && !matches(c.names, spec.includedResources)) continue
        if (matches(c.names, spec?.excludedResources)) continue
        const list = await objects.list(c.apiVersion, c.kind, ns).catch(() => ({ items: [] }))
        total += list.items.length
      }
    }
    return total
  }

  async function writeStatus (kind: Kind, obj: VeleroObject, status: VeleroObject['status']): Promise<void> {
    try {
      await custom.replaceNamespacedCustomObjectStatus({ ...VELERO, plural: kind, namespace: obj.metadata.namespace, name: obj.metadata.name, body: { ...obj, status } })
    } catch (err) {
      if (!isConflict(err)) throw err
    }
  }

  function finish (obj: VeleroObject, status: NonNullable<VeleroObject['status']>): NonNullable<VeleroObject['status']> {
    const outcome = obj.metadata.annotations?.[ANNOTATION_OUTCOME]
    const phase = outcome === 'PartiallyFailed' || outcome === 'Failed' ? outcome : 'Completed'
    const out: NonNullable<VeleroObject['status']> = { ...status, phase, completionTimestamp: new Date().toISOString() }
    if (phase === 'PartiallyFailed') out.errors = 1
    if (phase === 'Failed') out.failureReason = 'simulated failure (annotation sim.hcp-gateway.io/velero-outcome)'
    return out
  }

  async function reconcileBackup (obj: VeleroObject): Promise<ReconcileResult> {
    const s = obj.status ?? {}
    const now = new Date().toISOString()
    if (s.phase === undefined || s.phase === '') {
      await writeStatus('backups', obj, { ...s, phase: 'New' })
      return { requeueAfterMs: 0 }
    }
    if (s.phase === 'New') {
      const bsl = obj.spec?.storageLocation ?? 'default'
      if (bsl !== 'default') {
        await writeStatus('backups', obj, {
          ...s,
          phase: 'FailedValidation',
          validationErrors: [`an existing backup storage location was not specified at backup creation time and the server default 'default' does not exist. Please address this issue (see 'velero backup-location -h' for options) and create a new backup. Error: backupstoragelocations.velero.io "${bsl}" not found`]
        })
        return {}
      }
      const totalItems = await countItems(obj.spec)
      await writeStatus('backups', obj, {
        ...s,
        phase: 'InProgress',
        version: 1,
        formatVersion: '1.1.0',
        startTimestamp: now,
        expiration: new Date(Date.now() + parseTtl(obj.spec?.ttl)).toISOString(),
        progress: { totalItems, itemsBackedUp: 0 }
      })
      return { requeueAfterMs: 0 }
    }
    if (s.phase !== 'InProgress') return {}
    const total = s.progress?.totalItems ?? 0
    const done = Math.min(total, (s.progress?.itemsBackedUp ?? 0) + Math.max(1, Math.ceil(total / STEPS)))
    const progress = { totalItems: total, itemsBackedUp: done }
    await writeStatus('backups', obj, done >= total ? finish(obj, { ...s, progress }) : { ...s, progress })
    return done >= total ? {} : { requeueAfterMs: 0 }
  }

  async function reconcileRestore (obj: VeleroObject): Promise<ReconcileResult> {
    const s = obj.status ?? {}
    if (s.phase === undefined || s.phase === '') {
      await writeStatus('restores', obj, { ...s, phase: 'New' })
      return { requeueAfterMs: 0 }
    }
    if (s.phase === 'New') {
      const name = obj.spec?.backupName ?? ''
      const backup = name === '' ? undefined : await ignoreNotFound(custom.getNamespacedCustomObject({ ...VELERO, plural: 'backups', namespace: obj.metadata.namespace, name })) as VeleroObject | undefined
      const usable = backup?.status?.phase === 'Completed' || backup?.status?.phase === 'PartiallyFailed'
      if (!usable) {
        const why = name === ''
          ? 'Either a backup or schedule must be specified as a source for the restore, but not both'
          : backup === undefined ? `Error retrieving backup: backups.velero.io "${name}" not found` : `backup ${name} is not in a restorable phase (${backup.status?.phase ?? 'New'})`
        await writeStatus('restores', obj, { ...s, phase: 'FailedValidation', validationErrors: [why] })
        return {}
      }
      await writeStatus('restores', obj, {
        ...s,
        phase: 'InProgress',
        startTimestamp: new Date().toISOString(),
        progress: { totalItems: backup.status?.progress?.totalItems ?? 0, itemsRestored: 0 }
      })
      return { requeueAfterMs: 0 }
    }
    if (s.phase !== 'InProgress') return {}
    const total = s.progress?.totalItems ?? 0
    const done = Math.min(total, (s.progress?.itemsRestored ?? 0) + Math.max(1, Math.ceil(total / STEPS)))
    const progress = { totalItems: total, itemsRestored: done }
    await writeStatus('restores', obj, done >= total ? finish(obj, { ...s, progress }) : { ...s, progress })
    return done >= total ? {} : { requeueAfterMs: 0 }
  }

  async function reconcile (kind: Kind, namespace: string, name: string): Promise<ReconcileResult> {
    const obj = await ignoreNotFound(custom.getNamespacedCustomObject({ ...VELERO, plural: kind, namespace, name })) as VeleroObject | undefined
    if (obj === undefined || obj.metadata.deletionTimestamp !== undefined) return {}
    return kind === 'backups' ? await reconcileBackup(obj) : await reconcileRestore(obj)
  }

  return { reconcile }
}
