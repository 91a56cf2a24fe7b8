// One hosted cluster's etcd keyspace, reduced to what a backup can observe: a revision, a size and a
// seed from which the content is generated (see snapshot-format.ts). Writes move the revision and
// re-derive the seed, so two snapshots hold the same bytes exactly when nothing was written between them.
import { createHash } from 'node:crypto'
import { HEADER_SIZE } from './snapshot-format.ts'
import type { SnapshotDesc } from './snapshot-format.ts'

export const ANNOTATION_DB_SIZE = 'sim.hcp-gateway.io/etcd-db-size'
export const DEFAULT_DB_SIZE = 256 * 1024
// what a freshly initialised etcd holds before anything is written (bbolt pre-allocates ~20 KiB)
export const EMPTY_DB_SIZE = 20 * 1024

export interface EtcdDatabase {
  clusterUid: string
  clusterId: number
  seed: Buffer
  revision: number
  size: number
  raftTerm: number
  raftIndex: number
  // snapshot revision this keyspace was last restored from
  restoredRevision?: number
}

// uint64 ids as etcd prints them, kept below 2^53 so JSON clients read them back exactly
export function id53 (text: string): number {
  const h = createHash('sha256').update(text).digest()
  return Number(h.readBigUInt64BE(0) >> 11n)
}

function seedFor (base: string): Buffer {
  return createHash('sha256').update(base).digest().subarray(0, 16)
}

const UNITS: Record<string, number> = {
  '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4
}

// Kubernetes quantity style ("64Mi", "1Gi", "500k", "1048576"); null when unreadable.
export function parseSize (text: string | undefined): number | null {
  if (text === undefined) return null
  const m = /^\s*(\d+(?:\.\d+)?)\s*(Ki|Mi|Gi|Ti|k|K|M|G|T)?i?B?\s*$/.exec(text)
  if (m === null) return null
  const n = Math.floor(Number(m[1]) * UNITS[m[2] ?? ''])
  return Number.isFinite(n) ? Math.max(n, HEADER_SIZE) : null
}

export function newDatabase (clusterUid: string, size: number, empty: boolean): EtcdDatabase {
  const h = createHash('sha256').update(clusterUid).digest()
  const revision = empty ? 1 : 100 + (h.readUInt16BE(0) % 900)
  return {
    clusterUid,
    clusterId: id53(`cluster:${clusterUid}`),
    seed: seedFor(`${clusterUid}:${revision}`),
    revision,
    size: empty ? EMPTY_DB_SIZE : Math.max(size, HEADER_SIZE),
    raftTerm: 2,
    raftIndex: revision + 7
  }
}

// A write to the keyspace: one more revision, new content; the size follows the annotation when set.
export function bump (db: EtcdDatabase, size: number | null): void {
  db.revision += 1
  db.raftIndex += 1
  db.seed = createHash('sha256').update(db.seed).update(String(db.revision)).digest().subarray(0, 16)
  if (size !== null) db.size = size
}

export function totalKeys (size: number): number {
  return Math.max(1, Math.floor(size / 1536))
}

export function snapshotOf (db: EtcdDatabase, hashed: boolean): SnapshotDesc {
  return { seed: Buffer.from(db.seed), size: db.size, revision: db.revision, clusterId: db.clusterId, totalKey: totalKeys(db.size), hashed }
}

// etcdutl snapshot restore: the keyspace becomes the snapshot's, at the snapshot's revision.
export function restoreInto (db: EtcdDatabase, snap: SnapshotDesc): void {
  db.seed = Buffer.from(snap.seed)
  db.size = snap.size
  db.revision = snap.revision
  db.raftTerm += 1
  db.raftIndex = snap.revision + 1
  db.restoredRevision = snap.revision
}
