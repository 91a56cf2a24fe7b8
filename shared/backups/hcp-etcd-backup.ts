import type { KubeObject } from '../kube/kube-object.ts'

// HyperShift's own etcd backup (api-anchors §3.8, seed §1.7): a one-shot HCPEtcdBackup in the hosted
// control plane namespace; its controller runs the snapshot Job and uploads to S3 itself.
export const HCP_ETCD_BACKUP = { group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hcpetcdbackups' } as const
export const BACKUP_COMPLETED = 'BackupCompleted'

export interface HcpEtcdBackupSpec {
  name: string
  controlPlaneNamespace: string
  bucket: string
  region: string
  keyPrefix: string
  credentialsSecret: string
  kmsKeyARN?: string
  labels?: Record<string, string>
}

export function hcpEtcdBackupManifest (s: HcpEtcdBackupSpec): KubeObject {
  return {
    apiVersion: `${HCP_ETCD_BACKUP.group}/${HCP_ETCD_BACKUP.version}`,
    kind: 'HCPEtcdBackup',
    metadata: { name: s.name, namespace: s.controlPlaneNamespace, ...(s.labels ? { labels: s.labels } : {}) },
    spec: {
      storage: {
        storageType: 'S3',
        s3: {
          bucket: s.bucket,
          region: s.region,
          keyPrefix: s.keyPrefix,
          credentials: { name: s.credentialsSecret },
          ...(s.kmsKeyARN ? { kmsKeyARN: s.kmsKeyARN } : {})
        }
      }
    }
  }
}

export type HcpEtcdBackupState =
  | { state: 'pending', message: string }
  | { state: 'in-progress', message: string }
  | { state: 'etcd-unhealthy', message: string }
  | { state: 'succeeded', snapshotURL: string, message: string }
  | { state: 'failed' | 'rejected', message: string }

interface Condition { type?: string, status?: string, reason?: string, message?: string }

// Reasons of the BackupCompleted condition: BackupInProgress, BackupSucceeded, BackupFailed and
// BackupRejected (both terminal), EtcdUnhealthy (the controller requeues until etcd is ready).
export function hcpEtcdBackupState (obj: KubeObject): HcpEtcdBackupState {
  const conditions = (obj.status?.conditions ?? []) as Condition[]
  const c = conditions.find(x => x.type === BACKUP_COMPLETED)
  const message = c?.message ?? ''
  if (!c) return { state: 'pending', message: 'waiting for the HCPEtcdBackup controller' }
  if (c.status === 'True') {
    const url = obj.status?.snapshotURL
    return typeof url === 'string' && url !== ''
      ? { state: 'succeeded', snapshotURL: url, message }
      : { state: 'in-progress', message: 'completed; waiting for status.snapshotURL' }
  }
  switch (c.reason) {
    case 'BackupFailed': return { state: 'failed', message: message || 'the backup Job failed' }
    case 'BackupRejected': return { state: 'rejected', message: message || 'another etcd backup is running for this control plane' }
    case 'EtcdUnhealthy': return { state: 'etcd-unhealthy', message: message || 'etcd is not healthy' }
    default: return { state: 'in-progress', message }
  }
}

// status.snapshotURL is s3://bucket/key or an https URL (virtual-hosted or path style).
export function objectFromSnapshotURL (url: string, bucket: string): { bucket: string, key: string } {
  const u = new URL(url)
  if (u.protocol === 's3:') return { bucket: u.hostname, key: decodeURIComponent(u.pathname.replace(/^\//, '')) }
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''))
  if (u.hostname.startsWith(`${bucket}.`)) return { bucket, key: path }
  if (path.startsWith(`${bucket}/`)) return { bucket, key: path.slice(bucket.length + 1) }
  throw new Error(`snapshot URL ${u.protocol}//${u.host}${u.pathname} is not in bucket ${bucket}`)
}
