// Offline snapshot verbs shared by etcdutl and the deprecated etcdctl forms: `snapshot status` and
// `snapshot restore`. Restoring into the member's data dir (/var/lib/data) replaces the live keyspace.
import { restoreInto } from './database.ts'
import { flag, isTrue, parseFlags } from './etcdctl-flags.ts'
import type { Parsed } from './etcdctl-flags.ts'
import { humanBytes, logLine, table } from './output.ts'
import { normalize } from './pod-files.ts'
import type { PodRef } from './pod-files.ts'
import type { ProcessIO } from './process.ts'
import type { EtcdCluster } from './registry.ts'
import { snapshotHash } from './snapshot-format.ts'
import type { SnapshotDesc } from './snapshot-format.ts'

export const DATA_DIR = '/var/lib/data'
type Tool = 'etcdctl' | 'etcdutl'

async function deprecated (io: ProcessIO, tool: Tool, verb: string): Promise<void> {
  if (tool === 'etcdctl') await io.stderr(`Deprecated: Use \`etcdutl snapshot ${verb}\` instead.\n\n`)
}

async function readSnapshot (path: string | undefined, io: ProcessIO, cluster: EtcdCluster, pod: PodRef): Promise<SnapshotDesc | null> {
  if (path === undefined) {
    await io.stderr('Error: snapshot status requires exactly one argument\n')
    return null
  }
  const e = cluster.files.get(pod, path)
  if (e === undefined) {
    await io.stderr(`Error: stat ${path}: no such file or directory\n`)
    return null
  }
  if (e.kind !== 'snapshot') {
    await io.stderr('Error: invalid database\n')
    return null
  }
  return e.desc
}

export async function snapshotStatus (p: Parsed, io: ProcessIO, cluster: EtcdCluster, pod: PodRef, tool: Tool): Promise<number> {
  await deprecated(io, tool, 'status')
  if (p.args.length !== 3) {
    await io.stderr('Error: snapshot status requires exactly one argument\n')
    return 1
  }
  const desc = await readSnapshot(p.args[2], io, cluster, pod)
  if (desc === null) return 1
  const s = { hash: snapshotHash(desc), revision: desc.revision, totalKey: desc.totalKey, totalSize: desc.size }
  const fmt = flag(p, io.env, 'write-out') ?? 'simple'
  const row = [s.hash.toString(16), String(s.revision), String(s.totalKey), humanBytes(s.totalSize)]
  if (fmt === 'json') await io.stdout(JSON.stringify(s) + '\n')
  else if (fmt === 'table') await io.stdout(table(['HASH', 'REVISION', 'TOTAL KEYS', 'TOTAL SIZE'], [row]))
  else await io.stdout(row.join(', ') + '\n')
  return 0
}

export async function snapshotRestore (p: Parsed, io: ProcessIO, cluster: EtcdCluster, pod: PodRef, tool: Tool): Promise<number> {
  await deprecated(io, tool, 'restore')
  if (p.args.length !== 3) {
    await io.stderr('Error: snapshot restore requires exactly one argument\n')
    return 1
  }
  const path = p.args[2]
  const desc = await readSnapshot(path, io, cluster, pod)
  if (desc === null) return 1
  if (!desc.hashed && !isTrue(p, io.env, 'skip-hash-check')) {
    await io.stderr('Error: snapshot missing hash but --skip-hash-check=false\n')
    return 1
  }
  const name = flag(p, io.env, 'name') ?? 'default'
  const dataDir = flag(p, io.env, 'data-dir') ?? `${name}.etcd`
  const bumpBy = Number(flag(p, io.env, 'bump-revision') ?? '0')
  if (!Number.isInteger(bumpBy) || bumpBy < 0) {
    await io.stderr(`Error: invalid argument "${flag(p, io.env, 'bump-revision') ?? ''}" for "--bump-revision" flag\n`)
    return 1
  }
  const caller = 'snapshot/v3_snapshot.go'
  const dirs = { 'wal-dir': `${dataDir}/member/wal`, 'data-dir': dataDir, 'snap-dir': `${dataDir}/member/snap` }
  await io.stderr(logLine('info', `${caller}:260`, 'restoring snapshot', { path, ...dirs, stack: '' }))
  // only the member's own data dir is the keyspace the pod serves; any other dir is a copy on the side
  if (normalize(dataDir) === DATA_DIR) restoreInto(cluster.db, { ...desc, revision: desc.revision + bumpBy })
  await io.stderr(logLine('info', 'membership/store.go:141', 'Trimming membership information from the backend...'))
  await io.stderr(logLine('info', `${caller}:287`, 'restored snapshot', { path, ...dirs }))
  return 0
}

export async function etcdutl (argv: string[], io: ProcessIO, cluster: EtcdCluster, pod: PodRef): Promise<number> {
  const parsed = parseFlags(argv)
  if (!parsed.ok) {
    await io.stderr(parsed.error + '\n')
    return 1
  }
  const p = parsed.parsed
  const verb = p.args.slice(0, 2).join(' ')
  if (verb === 'snapshot status') return await snapshotStatus(p, io, cluster, pod, 'etcdutl')
  if (verb === 'snapshot restore') return await snapshotRestore(p, io, cluster, pod, 'etcdutl')
  if (p.args[0] === 'version') {
    await io.stdout('etcdutl version: 3.5.18\nAPI version: 3.5\n')
    return 0
  }
  await io.stderr(`Error: unknown command "${p.args.join(' ')}" for "etcdutl"\n`)
  return 1
}
