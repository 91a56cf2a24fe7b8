import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node'
import { GatewayError } from '../errors.ts'
import { isKubeNotFound, kubeStatusCode } from '../kube/kube-errors.ts'
import { BACKUP_LABEL, CLUSTER_LABEL, CLUSTER_NAMESPACE_LABEL, fromConfigMap, toConfigMap, type BackupEntry } from './catalogue.ts'
import { SCHEDULE_CONFIGMAP_LABEL, scheduleFromConfigMap, scheduleToConfigMap, type ScheduleDefinition } from './schedule.ts'

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

export interface ClusterRef { namespace: string, name: string }

// The durable records (backup catalogue, schedules): ConfigMaps in GATEWAY_NAMESPACE, so Kubernetes and
// not Redis is their truth.
export function createBackupRecords (kc: KubeConfig, gatewayNamespace: string) {
  const core = kc.makeApiClient(CoreV1Api)
  let namespaceReady = false

  async function ensureNamespace (): Promise<void> {
    if (namespaceReady) return
    try {
      await core.createNamespace({ body: { metadata: { name: gatewayNamespace } } })
    } catch (err) {
      if (kubeStatusCode(err) !== 409) throw err
    }
    namespaceReady = true
  }

  async function read (name: string): Promise<V1ConfigMap | undefined> {
    try {
      return await core.readNamespacedConfigMap({ namespace: gatewayNamespace, name })
    } catch (err) {
      if (isKubeNotFound(err)) return undefined
      throw err
    }
  }

  async function list (labelSelector: string): Promise<V1ConfigMap[]> {
    try {
      return (await core.listNamespacedConfigMap({ namespace: gatewayNamespace, labelSelector })).items
    } catch (err) {
      if (isKubeNotFound(err)) return []
      throw err
    }
  }

  async function remove (name: string): Promise<boolean> {
    try {
      await core.deleteNamespacedConfigMap({ namespace: gatewayNamespace, name })
      return true
    } catch (err) {
      if (isKubeNotFound(err)) return false
      throw err
    }
  }

  const selector = (label: string, cluster?: ClusterRef) =>
    [`${label}=true`, ...(cluster ? [`${CLUSTER_LABEL}=${cluster.name}`, `${CLUSTER_NAMESPACE_LABEL}=${cluster.namespace}`] : [])].join(',')

  return {
    // Re-entrant: recording the same backup again (a resumed job) finds the entry it wrote.
    async putBackup (entry: BackupEntry): Promise<BackupEntry> {
      await ensureNamespace()
      try {
        await core.createNamespacedConfigMap({ namespace: gatewayNamespace, body: toConfigMap(entry, gatewayNamespace) as V1ConfigMap })
        return entry
      } catch (err) {
        if (kubeStatusCode(err) !== 409) throw err
        const existing = fromConfigMap(await read(entry.id) ?? {})
        if (existing?.jobId === entry.jobId) return existing
        throw new GatewayError('GW_ERR_CONFLICT', `backup ${entry.id} is already recorded by another job`)
      }
    },

    async getBackup (id: string): Promise<BackupEntry | undefined> {
      const cm = await read(id)
      if (!cm || cm.metadata?.labels?.[BACKUP_LABEL] !== 'true') return undefined
      return fromConfigMap(cm)
    },

    async listBackups (cluster?: ClusterRef): Promise<BackupEntry[]> {
      return (await list(selector(BACKUP_LABEL, cluster))).flatMap(cm => fromConfigMap(cm) ?? [])
    },

    removeBackup: remove,

    async createSchedule (def: ScheduleDefinition): Promise<ScheduleDefinition> {
      await ensureNamespace()
      await core.createNamespacedConfigMap({ namespace: gatewayNamespace, body: scheduleToConfigMap(def, gatewayNamespace) as V1ConfigMap })
      return def
    },

    async getSchedule (id: string): Promise<ScheduleDefinition | undefined> {
      const cm = await read(id)
      if (!cm || cm.metadata?.labels?.[SCHEDULE_CONFIGMAP_LABEL] !== 'true') return undefined
      return scheduleFromConfigMap(cm)
    },

    async listSchedules (cluster?: ClusterRef): Promise<ScheduleDefinition[]> {
      return (await list(selector(SCHEDULE_CONFIGMAP_LABEL, cluster))).flatMap(cm => scheduleFromConfigMap(cm) ?? [])
    },

    // A run's outcome; a schedule deleted meanwhile stays deleted.
    async recordRun (id: string, run: Pick<ScheduleDefinition, 'lastRunAt' | 'lastResult' | 'lastError' | 'lastBackupId'>): Promise<void> {
      const data = { lastRunAt: run.lastRunAt ?? null, lastResult: run.lastResult ?? null, lastError: run.lastError ?? null, lastBackupId: run.lastBackupId ?? null }
      try {
        await core.patchNamespacedConfigMap({ namespace: gatewayNamespace, name: id, body: { data } }, MERGE)
      } catch (err) {
        if (!isKubeNotFound(err)) throw err
      }
    },

    removeSchedule: remove
  }
}

export type BackupRecords = ReturnType<typeof createBackupRecords>
