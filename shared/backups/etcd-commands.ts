// The etcd commands of the documented procedures (seed 002_ch7-17 §1.2, §1.4, §1.5), as argv arrays for
// a pod exec. The TLS paths are those of OCP ≥ 4.12 (§1.2); the doc's `localhost:2379` endpoint gets its
// https:// scheme, as the newer on-prem module writes it.
export const ETCD_STATEFULSET = 'etcd'
export const ETCD_CONTAINER = 'etcd'
export const ETCD_SNAPSHOT_POD = 'etcd-0'
// AWS flow path (§1.5 step 3): inside the data volume, so a pod restart between save and copy keeps it.
export const SNAPSHOT_PATH = '/var/lib/data/snapshot.db'
// On-prem restore (§1.4 step F): the snapshot is copied in beside the data dir, then restored into it.
export const RESTORE_SNAPSHOT_PATH = '/var/lib/restored.snap.db'
export const ETCD_DATA_DIR = '/var/lib/data'
export const WRITER_DEPLOYMENTS = ['kube-apiserver', 'openshift-apiserver', 'openshift-oauth-apiserver'] as const

export const ETCDCTL_TLS = [
  '--cacert', '/etc/etcd/tls/etcd-ca/ca.crt',
  '--cert', '/etc/etcd/tls/client/etcd-client.crt',
  '--key', '/etc/etcd/tls/client/etcd-client.key',
  '--endpoints=https://localhost:2379'
] as const

const ETCDCTL = ['env', 'ETCDCTL_API=3', '/usr/bin/etcdctl'] as const

export function etcdctl (...args: string[]): string[] {
  return [...ETCDCTL, ...ETCDCTL_TLS, ...args]
}

export const commands = {
  endpointHealth: () => etcdctl('endpoint', 'health'),
  endpointStatus: () => etcdctl('endpoint', 'status', '-w', 'json'),
  snapshotSave: (path = SNAPSHOT_PATH) => etcdctl('snapshot', 'save', path),
  // Reads the file only: no TLS or endpoint needed (the docs run it bare).
  snapshotStatus: (path = SNAPSHOT_PATH) => [...ETCDCTL, 'snapshot', 'status', path, '-w', 'json'],
  cat: (path: string) => ['cat', path],
  sha256sum: (path: string) => ['sha256sum', path],
  size: (path: string) => ['stat', '-c', '%s', path],
  remove: (path: string) => ['rm', '-f', path],
  // §1.4 step F; etcdutl, not etcdctl. --skip-hash-check because the file may be a raw member/snap/db copy.
  restore: (member: string, controlPlaneNamespace: string, members: number, path = RESTORE_SNAPSHOT_PATH) => {
    const peer = (i: number) => `etcd-${i}=https://etcd-${i}.etcd-discovery.${controlPlaneNamespace}.svc:2380`
    return [
      'etcdutl', 'snapshot', 'restore', path,
      '--data-dir', ETCD_DATA_DIR,
      '--skip-hash-check',
      '--name', member,
      '--initial-cluster-token=etcd-cluster',
      '--initial-cluster', Array.from({ length: members }, (_, i) => peer(i)).join(','),
      '--initial-advertise-peer-urls', `https://${member}.etcd-discovery.${controlPlaneNamespace}.svc:2380`
    ]
  }
}

export interface SnapshotStatus {
  hash: number
  revision: number
  totalKey: number
  totalSize: number
}

function integer (value: unknown, field: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Error(`etcdctl snapshot status: ${field} is not a non-negative integer`)
  return n
}

// `etcdctl snapshot status -w json` prints {"hash":…,"revision":…,"totalKey":…,"totalSize":…}.
export function parseSnapshotStatus (text: string): SnapshotStatus {
  let raw: unknown
  try {
    raw = JSON.parse(text.trim())
  } catch {
    throw new Error(`etcdctl snapshot status printed no JSON: ${text.slice(0, 200)}`)
  }
  const o = (raw ?? {}) as Record<string, unknown>
  return { hash: integer(o.hash, 'hash'), revision: integer(o.revision, 'revision'), totalKey: integer(o.totalKey, 'totalKey'), totalSize: integer(o.totalSize, 'totalSize') }
}

export interface EndpointStatus {
  endpoint: string
  revision: number
  dbSize: number
  version?: string
}

// `etcdctl endpoint status -w json`: [{"Endpoint":…,"Status":{"header":{"revision":…},"version":…,"dbSize":…}}].
export function parseEndpointStatus (text: string): EndpointStatus[] {
  let raw: unknown
  try {
    raw = JSON.parse(text.trim())
  } catch {
    throw new Error(`etcdctl endpoint status printed no JSON: ${text.slice(0, 200)}`)
  }
  if (!Array.isArray(raw)) throw new Error('etcdctl endpoint status: expected a JSON array')
  return raw.map((e: Record<string, any>) => ({
    endpoint: String(e.Endpoint ?? ''),
    revision: integer(e.Status?.header?.revision, 'Status.header.revision'),
    dbSize: integer(e.Status?.dbSize ?? 0, 'Status.dbSize'),
    ...(typeof e.Status?.version === 'string' ? { version: e.Status.version } : {})
  }))
}

// `etcdctl endpoint health` exits non-zero when unhealthy; its line says "is healthy" or "is unhealthy".
export function isHealthyOutput (text: string): boolean {
  const lines = text.split('\n').map(l => l.trim()).filter(Boolean)
  return lines.length > 0 && lines.every(l => / is healthy/.test(l))
}

// `sha256sum <file>` prints "<hex>  <file>".
export function parseSha256sum (text: string): string {
  const hex = text.trim().split(/\s+/)[0] ?? ''
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`sha256sum printed no digest: ${text.slice(0, 200)}`)
  return hex
}

export function parseSize (text: string): number {
  return integer(text.trim(), 'size')
}
