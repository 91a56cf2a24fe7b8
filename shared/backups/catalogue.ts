import { randomBytes } from 'node:crypto'
import type { KubeObject } from '../kube/kube-object.ts'
import { CLUSTER_LABEL } from '../jobs/cluster-destroy.ts'

// The durable backup catalogue: one ConfigMap per backup in GATEWAY_NAMESPACE, so it survives a Redis
// flush; the object's metadata repeats the essentials, so the catalogue can be rebuilt from the bucket.
export const BACKUP_LABEL = 'hcp-gateway.io/backup'
// The label the create path and the destroy job use too: one definition.
export { CLUSTER_LABEL }
export const CLUSTER_NAMESPACE_LABEL = 'hcp-gateway.io/cluster-namespace'
export const SCHEDULE_LABEL = 'hcp-gateway.io/backup-schedule-id'
export const SNAPSHOT_PREFIX = 'etcd-snapshots'
export const ENCRYPTION_KEY_SUFFIX = '.encryption-key'

export const STRATEGIES = ['exec', 'hcpetcdbackup'] as const
export type Strategy = typeof STRATEGIES[number]

export interface BackupEntry {
  id: string
  cluster: string
  namespace: string
  bucket: string
  objectKey: string
  sha256: string
  size: number
  // Absent when HCPEtcdBackup took the snapshot: its Job does not report the revision.
  revision?: number
  etcdHash?: number
  jobId: string
  createdAt: string
  createdBy: string
  strategy: Strategy
  // Absent when the cluster encrypts with KMS instead of an AES-CBC key.
  encryptionKeyObject?: string
  note?: string
  scheduleId?: string
}

// 20261122T001633Z: sorts as time, safe in object keys and (lower-cased) in Kubernetes names.
export function compactTimestamp (at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

export function snapshotObjectKey (namespace: string, cluster: string, at: Date, revision: number | string): string {
  return `${SNAPSHOT_PREFIX}/${namespace}/${cluster}/${compactTimestamp(at)}-${revision}.db`
}

export function encryptionKeyObjectKey (objectKey: string): string {
  return `${objectKey}${ENCRYPTION_KEY_SUFFIX}`
}

// Also the ConfigMap name: DNS-1123, ≤ 63 + 1 + 16 + 1 + 6 characters.
export function backupId (cluster: string, at: Date, random: (n: number) => Buffer = randomBytes): string {
  return `${cluster}-${compactTimestamp(at).toLowerCase()}-${random(3).toString('hex')}`
}

export const BACKUP_ID_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'

// S3 user metadata (x-amz-meta-*): lower-case keys, ASCII values.
export function objectMetadata (e: Pick<BackupEntry, 'id' | 'cluster' | 'namespace' | 'sha256' | 'size' | 'revision' | 'createdBy' | 'strategy'>): Record<string, string> {
  return {
    'backup-id': e.id,
    cluster: e.cluster,
    namespace: e.namespace,
    sha256: e.sha256,
    size: String(e.size),
    ...(e.revision !== undefined ? { revision: String(e.revision) } : {}),
    'created-by': e.createdBy.replace(/[^\x20-\x7e]/g, '?'),
    strategy: e.strategy
  }
}

const optionalNumber = (v: string | undefined) => v === undefined || v === '' ? undefined : Number(v)

export function toConfigMap (e: BackupEntry, namespace: string): KubeObject {
  const data: Record<string, string> = {
    id: e.id,
    cluster: e.cluster,
    namespace: e.namespace,
    bucket: e.bucket,
    objectKey: e.objectKey,
    sha256: e.sha256,
    size: String(e.size),
    jobId: e.jobId,
    createdAt: e.createdAt,
    createdBy: e.createdBy,
    strategy: e.strategy
  }
  if (e.revision !== undefined) data.revision = String(e.revision)
  if (e.etcdHash !== undefined) data.etcdHash = String(e.etcdHash)
  if (e.encryptionKeyObject !== undefined) data.encryptionKeyObject = e.encryptionKeyObject
  if (e.note !== undefined) data.note = e.note
  if (e.scheduleId !== undefined) data.scheduleId = e.scheduleId
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: e.id,
      namespace,
      labels: {
        [BACKUP_LABEL]: 'true',
        [CLUSTER_LABEL]: e.cluster,
        [CLUSTER_NAMESPACE_LABEL]: e.namespace,
        ...(e.scheduleId !== undefined ? { [SCHEDULE_LABEL]: e.scheduleId } : {})
      }
    },
    data
  }
}

export function fromConfigMap (cm: { data?: Record<string, string> }): BackupEntry | undefined {
  const d = cm.data ?? {}
  const required = ['id', 'cluster', 'namespace', 'bucket', 'objectKey', 'sha256', 'size', 'jobId', 'createdAt', 'createdBy', 'strategy']
  if (!required.every(k => typeof d[k] === 'string')) return undefined
  if (!(STRATEGIES as readonly string[]).includes(d.strategy)) return undefined
  const entry: BackupEntry = {
    id: d.id,
    cluster: d.cluster,
    namespace: d.namespace,
    bucket: d.bucket,
    objectKey: d.objectKey,
    sha256: d.sha256,
    size: Number(d.size),
    jobId: d.jobId,
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    strategy: d.strategy as Strategy
  }
  const revision = optionalNumber(d.revision)
  const etcdHash = optionalNumber(d.etcdHash)
  if (revision !== undefined) entry.revision = revision
  if (etcdHash !== undefined) entry.etcdHash = etcdHash
  if (d.encryptionKeyObject) entry.encryptionKeyObject = d.encryptionKeyObject
  if (d.note !== undefined) entry.note = d.note
  if (d.scheduleId) entry.scheduleId = d.scheduleId
  return entry
}

// Newest first; the id breaks ties so the order is total (keyset paging needs that).
export function compareNewestFirst (a: BackupEntry, b: BackupEntry): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

export interface Page<T> { items: T[], continue?: string }

// Keyset paging over the newest-first order: the token is the (createdAt, id) of the last item served.
export function pageNewestFirst (entries: BackupEntry[], limit: number, token?: string): Page<BackupEntry> {
  const sorted = [...entries].sort(compareNewestFirst)
  let start = 0
  if (token) {
    let key: { c?: unknown, i?: unknown }
    try {
      key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { c?: unknown, i?: unknown }
    } catch {
      throw new RangeError('not a continue token issued by this list')
    }
    if (typeof key.c !== 'string' || typeof key.i !== 'string') throw new RangeError('not a continue token issued by this list')
    const last = { createdAt: key.c, id: key.i } as BackupEntry
    start = sorted.findIndex(e => compareNewestFirst(e, last) > 0)
    if (start < 0) start = sorted.length
  }
  const items = sorted.slice(start, start + limit)
  const more = start + limit < sorted.length
  const lastItem = items[items.length - 1]
  return more && lastItem
    ? { items, continue: Buffer.from(JSON.stringify({ c: lastItem.createdAt, i: lastItem.id })).toString('base64url') }
    : { items }
}
