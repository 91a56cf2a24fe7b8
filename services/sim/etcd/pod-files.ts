// Files inside the etcd pods. Snapshots are kept as descriptors (their bytes are regenerated on read);
// anything else (a curl download that is not a snapshot) as its bytes, bounded. /var/lib is the
// member's PVC (data-etcd-N) and survives pod restarts; every other path belongs to one pod instance.
import { snapshotStream } from './snapshot-format.ts'
import type { SnapshotDesc } from './snapshot-format.ts'
import { Readable } from 'node:stream'

export const MAX_BLOB = 4 * 1024 * 1024

export type FileEntry =
  | { kind: 'snapshot', desc: SnapshotDesc, mtime: Date }
  | { kind: 'blob', data: Buffer, mtime: Date }

export interface PodRef { name: string, uid: string }

export interface PodFiles {
  get (pod: PodRef, path: string): FileEntry | undefined
  put (pod: PodRef, path: string, entry: FileEntry): void
  remove (pod: PodRef, path: string, recursive: boolean): number
  list (pod: PodRef, dir: string): Array<{ path: string, entry: FileEntry }>
  isDir (pod: PodRef, path: string): boolean
}

export function normalize (path: string): string {
  const out: string[] = []
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return '/' + out.join('/')
}

export function entrySize (e: FileEntry): number {
  return e.kind === 'snapshot' ? e.desc.size : e.data.length
}

export function entryStream (e: FileEntry): Readable {
  return e.kind === 'snapshot' ? snapshotStream(e.desc) : Readable.from([e.data])
}

// the member's live bbolt file, which a raw copy (seed 002 §1.4 option c) reads without a snapshot hash
export const RAW_DB = '/var/lib/data/member/snap/db'

export function createPodFiles (live: () => SnapshotDesc): PodFiles {
  const volumes = new Map<string, Map<string, FileEntry>>()
  const volumeOf = (pod: PodRef, path: string): Map<string, FileEntry> => {
    const key = path === '/var/lib' || path.startsWith('/var/lib/') ? `pvc:data-${pod.name}` : `pod:${pod.uid}`
    let v = volumes.get(key)
    if (v === undefined) volumes.set(key, v = new Map())
    return v
  }
  const under = (dir: string) => (p: string) => p.startsWith(dir === '/' ? '/' : dir + '/')
  return {
    get: (pod, path) => normalize(path) === RAW_DB
      ? { kind: 'snapshot', desc: live(), mtime: new Date() }
      : volumeOf(pod, normalize(path)).get(normalize(path)),
    put (pod, path, entry) { volumeOf(pod, normalize(path)).set(normalize(path), entry) },
    remove (pod, path, recursive) {
      const p = normalize(path)
      const v = volumeOf(pod, p)
      let n = v.delete(p) ? 1 : 0
      if (recursive) for (const k of [...v.keys()].filter(under(p))) { v.delete(k); n++ }
      return n
    },
    list (pod, dir) {
      const d = normalize(dir)
      const v = volumeOf(pod, d)
      return [...v.entries()].filter(([k]) => under(d)(k) && !k.slice(d.length + (d === '/' ? 0 : 1)).includes('/'))
        .sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, entry]) => ({ path, entry }))
    },
    isDir (pod, path) {
      const p = normalize(path)
      return [...volumeOf(pod, p).keys()].some(under(p))
    }
  }
}
