// Every kind of long work runs on its own BullMQ queue, so a slow kind (ISO downloads) never starves another.
export const JobKinds = {
  clusterDestroy: 'cluster-destroy',
  etcdSnapshot: 'etcd-snapshot',
  etcdRestore: 'etcd-restore',
  oadpBackup: 'oadp-backup',
  oadpRestore: 'oadp-restore',
  backupPrune: 'backup-prune',
  isoDownload: 'iso-download',
  bootImageCopy: 'boot-image-copy',
  webhookDelivery: 'webhook-delivery'
} as const

export type JobKind = typeof JobKinds[keyof typeof JobKinds]

export const allJobKinds: JobKind[] = Object.values(JobKinds)

export function queueName (kind: JobKind): string {
  return `hcpgw-${kind}`
}
