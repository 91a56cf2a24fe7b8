// etcdctl 3.5 against the twin's etcd: endpoint health/status, member list, put, version and the
// snapshot verbs. Output formats (simple, table, json) and error texts follow etcdctl's printers.
import { bump, snapshotOf } from './database.ts'
import { dial, flag, isTrue, parseFlags } from './etcdctl-flags.ts'
import type { Endpoint, Parsed } from './etcdctl-flags.ts'
import { humanBytes, logLine, table, tookMs } from './output.ts'
import type { PodRef } from './pod-files.ts'
import type { ProcessIO } from './process.ts'
import { ANNOTATION_FAIL_SNAPSHOT } from './registry.ts'
import type { EtcdCluster, EtcdMember } from './registry.ts'
import { snapshotRestore, snapshotStatus } from './snapshot-commands.ts'

export const ETCD_VERSION = '3.5.18'
const DEADLINE = 'Error: context deadline exceeded\n'

interface Ctx { p: Parsed, io: ProcessIO, cluster: EtcdCluster, pod: PodRef }

const hex = (n: number) => n.toString(16)

async function connect (ctx: Ctx, health: boolean): Promise<Endpoint[] | null> {
  const d = dial(ctx.p, ctx.io.env, ctx.cluster, ctx.pod)
  if (d.ok) return d.endpoints
  if (d.fatal !== undefined) {
    await ctx.io.stderr(d.fatal + '\n')
    return null
  }
  if (health) {
    // endpoint health reports per endpoint instead of failing the dial
    for (const e of d.endpoints) await ctx.io.stderr(`${e.text} is unhealthy: failed to commit proposal: context deadline exceeded\n`)
    await ctx.io.stderr('Error: unhealthy cluster\n')
    return null
  }
  await ctx.io.stderr(logLine('warn', 'v3@v3.5.18/retry_interceptor.go:62', 'retrying of unary invoker failed', {
    target: `etcd-endpoints://0xc0001d2000/${d.endpoints[0]?.text ?? ''}`,
    attempt: 0,
    error: `rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: ${d.transport ?? ''}`
  }) + DEADLINE)
  return null
}

function writeOut (ctx: Ctx): string {
  return flag(ctx.p, ctx.io.env, 'write-out') ?? 'simple'
}

function leaderOf (cluster: EtcdCluster): EtcdMember | undefined {
  return cluster.hasQuorum() ? cluster.members().find(m => m.ready) : undefined
}

function header (cluster: EtcdCluster, member: EtcdMember, withRevision: boolean) {
  const h: Record<string, number> = { cluster_id: cluster.db.clusterId, member_id: member.id }
  if (withRevision) h.revision = cluster.db.revision
  h.raft_term = cluster.db.raftTerm
  return h
}

// --cluster: the client asks the first endpoint for the member list and then talks to every member
function targets (ctx: Ctx, endpoints: Endpoint[]): Endpoint[] {
  if (!isTrue(ctx.p, ctx.io.env, 'cluster')) return endpoints
  return ctx.cluster.members().map(m => ({ text: m.clientURL, member: m, tls: true }))
}

async function endpointHealth (ctx: Ctx, endpoints: Endpoint[]): Promise<number> {
  const quorum = ctx.cluster.hasQuorum()
  const results = targets(ctx, endpoints).map(e => {
    const started = process.hrtime.bigint()
    const healthy = e.member?.ready === true && quorum
    return { endpoint: e.text, health: healthy, took: healthy ? tookMs(started) : '5.000713s', error: healthy ? undefined : 'failed to commit proposal: context deadline exceeded' }
  })
  const fmt = writeOut(ctx)
  if (fmt === 'json') await ctx.io.stdout(JSON.stringify(results) + '\n')
  else if (fmt === 'table') await ctx.io.stdout(table(['ENDPOINT', 'HEALTH', 'TOOK', 'ERROR'], results.map(r => [r.endpoint, String(r.health), r.took, r.error ?? ''])))
  else {
    for (const r of results) {
      if (r.health) await ctx.io.stdout(`${r.endpoint} is healthy: successfully committed proposal: took = ${r.took}\n`)
      else await ctx.io.stderr(`${r.endpoint} is unhealthy: ${r.error ?? ''}\n`)
    }
  }
  if (results.some(r => !r.health)) {
    await ctx.io.stderr('Error: unhealthy cluster\n')
    return 1
  }
  return 0
}

async function endpointStatus (ctx: Ctx, endpoints: Endpoint[]): Promise<number> {
  const db = ctx.cluster.db
  const leader = leaderOf(ctx.cluster)
  const list = targets(ctx, endpoints)
  const down = list.filter(e => e.member?.ready !== true)
  for (const e of down) await ctx.io.stderr(`Failed to get the status of endpoint ${e.text} (context deadline exceeded)\n`)
  const up = list.filter(e => e.member?.ready === true)
  const statuses = up.map(e => ({
    Endpoint: e.text,
    Status: {
      header: header(ctx.cluster, e.member!, true),
      version: ETCD_VERSION,
      dbSize: db.size,
      leader: leader?.id ?? 0,
      raftIndex: db.raftIndex,
      raftTerm: db.raftTerm,
      raftAppliedIndex: db.raftIndex,
      dbSizeInUse: db.size
    }
  }))
  const fmt = writeOut(ctx)
  const row = (s: typeof statuses[number]) => [s.Endpoint, hex(s.Status.header.member_id), ETCD_VERSION, humanBytes(db.size),
    String(s.Status.leader === s.Status.header.member_id), 'false', String(db.raftTerm), String(db.raftIndex), String(db.raftIndex), '']
  if (fmt === 'json') await ctx.io.stdout(JSON.stringify(statuses) + '\n')
  else if (fmt === 'table') {
    await ctx.io.stdout(table(['ENDPOINT', 'ID', 'VERSION', 'DB SIZE', 'IS LEADER', 'IS LEARNER', 'RAFT TERM', 'RAFT INDEX', 'RAFT APPLIED INDEX', 'ERRORS'], statuses.map(row)))
  } else await ctx.io.stdout(statuses.map(s => row(s).join(', ') + '\n').join(''))
  if (statuses.length === 0) {
    await ctx.io.stderr(DEADLINE)
    return 1
  }
  return 0
}

async function memberList (ctx: Ctx, endpoints: Endpoint[]): Promise<number> {
  const via = endpoints[0].member
  if (via?.ready !== true || !ctx.cluster.hasQuorum()) {
    await ctx.io.stderr(DEADLINE)
    return 1
  }
  const members = ctx.cluster.members()
  const fmt = writeOut(ctx)
  if (fmt === 'json') {
    await ctx.io.stdout(JSON.stringify({
      header: header(ctx.cluster, via, false),
      members: members.map(m => ({ ID: m.id, name: m.name, peerURLs: [m.peerURL], clientURLs: [m.clientURL] }))
    }) + '\n')
    return 0
  }
  const rows = members.map(m => [hex(m.id), 'started', m.name, m.peerURL, m.clientURL, 'false'])
  await ctx.io.stdout(fmt === 'table'
    ? table(['ID', 'STATUS', 'NAME', 'PEER ADDRS', 'CLIENT ADDRS', 'IS LEARNER'], rows)
    : rows.map(r => r.join(', ') + '\n').join(''))
  return 0
}

async function put (ctx: Ctx, endpoints: Endpoint[]): Promise<number> {
  if (ctx.p.args.length < 3) {
    await ctx.io.stderr('Error: put command needs 1 argument and input from stdin or 2 arguments\n')
    return 1
  }
  if (endpoints[0].member?.ready !== true || !ctx.cluster.hasQuorum()) {
    await ctx.io.stderr(DEADLINE)
    return 1
  }
  bump(ctx.cluster.db, null)
  await ctx.io.stdout('OK\n')
  return 0
}

async function snapshotSave (ctx: Ctx, endpoints: Endpoint[]): Promise<number> {
  const path = ctx.p.args[2]
  if (ctx.p.args.length !== 3) {
    await ctx.io.stderr('Error: snapshot save expects one argument\n')
    return 1
  }
  if (endpoints.length !== 1) {
    await ctx.io.stderr(`Error: snapshot must be requested to one selected node, not multiple [${endpoints.map(e => e.text).join(' ')}]\n`)
    return 1
  }
  const started = process.hrtime.bigint()
  const caller = 'snapshot/v3_snapshot.go'
  await ctx.io.stderr(logLine('info', `${caller}:65`, 'created temporary db file', { path: `${path}.part` }))
  const member = endpoints[0].member
  if (member?.ready !== true) {
    await ctx.io.stderr(DEADLINE)
    return 1
  }
  await ctx.io.stderr(logLine('info', 'v3@v3.5.18/maintenance.go:212', 'opened snapshot stream; downloading'))
  await ctx.io.stderr(logLine('info', `${caller}:73`, 'fetching snapshot', { endpoint: endpoints[0].text }))
  if (ctx.cluster.annotations()[ANNOTATION_FAIL_SNAPSHOT] === 'true') {
    await ctx.io.stderr('Error: rpc error: code = Unavailable desc = error reading from server: EOF\n')
    return 1
  }
  const desc = snapshotOf(ctx.cluster.db, true)
  ctx.cluster.files.put(ctx.pod, path, { kind: 'snapshot', desc, mtime: new Date() })
  await ctx.io.stderr(logLine('info', 'v3@v3.5.18/maintenance.go:220', 'completed snapshot read; closing'))
  await ctx.io.stderr(logLine('info', `${caller}:88`, 'fetched snapshot', { endpoint: endpoints[0].text, size: humanBytes(desc.size), took: tookMs(started) }))
  await ctx.io.stderr(logLine('info', `${caller}:97`, 'saved', { path }))
  await ctx.io.stdout(`Snapshot saved at ${path}\n`)
  return 0
}

export async function etcdctl (argv: string[], io: ProcessIO, cluster: EtcdCluster, pod: PodRef): Promise<number> {
  const parsed = parseFlags(argv)
  if (!parsed.ok) {
    await io.stderr(parsed.error + '\n')
    return 1
  }
  const p = parsed.parsed
  const ctx: Ctx = { p, io, cluster, pod }
  const verb = p.args.slice(0, 2).join(' ')
  if (p.args[0] === 'version') {
    await io.stdout(`etcdctl version: ${ETCD_VERSION}\nAPI version: 3.5\n`)
    return 0
  }
  if (verb === 'snapshot status') return await snapshotStatus(p, io, cluster, pod, 'etcdctl')
  if (verb === 'snapshot restore') return await snapshotRestore(p, io, cluster, pod, 'etcdctl')
  const handlers: Record<string, (ctx: Ctx, e: Endpoint[]) => Promise<number>> = {
    'endpoint health': endpointHealth,
    'endpoint status': endpointStatus,
    'member list': memberList,
    'snapshot save': snapshotSave
  }
  const handler = p.args[0] === 'put' ? put : handlers[verb]
  if (handler === undefined) {
    await io.stderr(p.args.length === 0
      ? 'Error: etcdctl needs a command (the twin knows: endpoint health|status, member list, put, snapshot save|status|restore, version)\n'
      : `Error: unknown command "${p.args.join(' ')}" for "etcdctl"\n`)
    return 1
  }
  const endpoints = await connect(ctx, verb === 'endpoint health')
  if (endpoints === null) return 1
  return await handler(ctx, endpoints)
}
