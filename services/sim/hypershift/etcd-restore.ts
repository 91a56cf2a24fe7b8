// HostedCluster condition HostedClusterRestoredFromBackup for clusters created with
// spec.etcd.managed.storage.restoreSnapshotURL: once etcd-0 exists, its init step restores the
// snapshot (services/sim/etcd/init-restore.ts); the outcome is recorded once and never retried.
import { restoreFromSnapshotURL } from '../etcd/init-restore.ts'
import { findCondition } from './conditions.ts'
import type { ConditionInput } from './conditions.ts'
import { ignoreNotFound } from './kube-client.ts'
import type { KubeClients } from './kube-client.ts'
import type { HostedCluster } from './types.ts'

export const RESTORED_FROM_BACKUP = 'HostedClusterRestoredFromBackup'

export function restoreSnapshotURL (hc: HostedCluster): string | undefined {
  const etcd = hc.spec.etcd as { managed?: { storage?: { restoreSnapshotURL?: string[] } } } | undefined
  return etcd?.managed?.storage?.restoreSnapshotURL?.[0]
}

export async function restoreCondition (clients: KubeClients, hc: HostedCluster, cpns: string): Promise<ConditionInput | undefined> {
  const url = restoreSnapshotURL(hc)
  if (url === undefined || findCondition(hc.status?.conditions, RESTORED_FROM_BACKUP) !== undefined) return undefined
  const pod = await ignoreNotFound(clients.core.readNamespacedPod({ namespace: cpns, name: 'etcd-0' }))
  if (pod === undefined || pod.metadata?.deletionTimestamp !== undefined) return undefined
  const r = await restoreFromSnapshotURL(clients.kc, cpns, url).catch((err: unknown) => ({ ok: false, message: `restore failed: ${(err as Error).message}` }))
  return r.ok
    ? { type: RESTORED_FROM_BACKUP, status: 'True', reason: 'RecoveryFinished', message: r.message }
    : { type: RESTORED_FROM_BACKUP, status: 'False', reason: 'EtcdSnapshotRestoreFailed', message: r.message }
}
