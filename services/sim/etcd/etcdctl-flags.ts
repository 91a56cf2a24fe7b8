// etcdctl 3.5 command line: global flags anywhere on the line (--flag value or --flag=value), the
// ETCDCTL_* environment, and the client's view of the connection it would open.
import { fileExists } from './file-commands.ts'
import { normalize } from './pod-files.ts'
import type { PodRef } from './pod-files.ts'
import type { EtcdCluster, EtcdMember } from './registry.ts'

const VALUE_FLAGS = new Set(['cacert', 'cert', 'key', 'endpoints', 'write-out', 'w', 'dial-timeout', 'command-timeout',
  'keepalive-time', 'keepalive-timeout', 'user', 'password', 'discovery-srv', 'discovery-srv-name', 'data-dir', 'name',
  'initial-cluster', 'initial-cluster-token', 'initial-advertise-peer-urls', 'wal-dir', 'bump-revision', 'max-txn-ops',
  'max-request-bytes', 'prefix-flag'])
const BOOL_FLAGS = new Set(['cluster', 'insecure-skip-tls-verify', 'insecure-transport', 'insecure-discovery', 'hex',
  'debug', 'skip-hash-check', 'mark-compacted', 'prefix', 'keys-only', 'print-value-only', 'h', 'help'])

export const CA_FILE = '/etc/etcd/tls/etcd-ca/ca.crt'
export const CLIENT_CERT = '/etc/etcd/tls/client/etcd-client.crt'
export const CLIENT_KEY = '/etc/etcd/tls/client/etcd-client.key'

export interface Parsed {
  args: string[]
  flags: Map<string, string>
}

export type ParseResult = { ok: true, parsed: Parsed } | { ok: false, error: string }

export function parseFlags (argv: string[]): ParseResult {
  const args: string[] = []
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      args.push(...argv.slice(i + 1))
      break
    }
    if (!a.startsWith('-') || a === '-') {
      args.push(a)
      continue
    }
    const body = a.replace(/^--?/, '')
    const eq = body.indexOf('=')
    const name = eq >= 0 ? body.slice(0, eq) : body
    if (BOOL_FLAGS.has(name)) {
      flags.set(name, eq >= 0 ? body.slice(eq + 1) : 'true')
    } else if (VALUE_FLAGS.has(name)) {
      const value = eq >= 0 ? body.slice(eq + 1) : argv[++i]
      if (value === undefined) return { ok: false, error: `Error: flag needs an argument: ${a}` }
      flags.set(name === 'w' ? 'write-out' : name, value)
    } else {
      return { ok: false, error: `Error: unknown flag: ${a.startsWith('--') ? `--${name}` : `-${name}`}` }
    }
  }
  return { ok: true, parsed: { args, flags } }
}

export function flag (p: Parsed, env: Record<string, string>, name: string): string | undefined {
  return p.flags.get(name) ?? env[`ETCDCTL_${name.toUpperCase().replaceAll('-', '_')}`]
}

export function isTrue (p: Parsed, env: Record<string, string>, name: string): boolean {
  const v = flag(p, env, name)
  return v !== undefined && v !== 'false'
}

export interface Endpoint { text: string, member: EtcdMember | undefined, tls: boolean }

// The first reason the client cannot talk to the server, as the gRPC layer would report it
// (the caller prints "Error: context deadline exceeded" after it, as etcdctl does).
export type Dial = { ok: true, endpoints: Endpoint[] } | { ok: false, fatal?: string, transport?: string, endpoints: Endpoint[] }

function resolveMember (host: string, cluster: EtcdCluster, self: PodRef): EtcdMember | undefined {
  const members = cluster.members()
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return members.find(m => m.name === self.name)
  const ns = cluster.namespace
  for (const m of members) {
    for (const svc of ['etcd-client', 'etcd-discovery']) {
      if (host === `${m.name}.${svc}.${ns}.svc` || host === `${m.name}.${svc}.${ns}.svc.cluster.local` || host === `${m.name}.${svc}`) return m
    }
  }
  // the etcd-client Service picks any ready member
  if (host === 'etcd-client' || host === `etcd-client.${ns}.svc` || host === `etcd-client.${ns}.svc.cluster.local`) return members.find(m => m.ready)
  return undefined
}

export function dial (p: Parsed, env: Record<string, string>, cluster: EtcdCluster, self: PodRef): Dial {
  const raw = (flag(p, env, 'endpoints') ?? '127.0.0.1:2379').split(',').map(s => s.trim()).filter(s => s !== '')
  const cacert = flag(p, env, 'cacert')
  const cert = flag(p, env, 'cert')
  const key = flag(p, env, 'key')
  const endpoints: Endpoint[] = raw.map(text => {
    const m = /^(?:(https?|unix|unixs):\/\/)?([^/]+?)(?::(\d+))?\/?$/.exec(text)
    const scheme = m?.[1]
    const port = m?.[3] ?? '2379'
    const member = m !== null && port === '2379' && scheme !== 'unix' ? resolveMember(m[2], cluster, self) : undefined
    // etcdctl switches to TLS for https:// or as soon as any TLS file is given
    const tls = scheme === 'https' || (scheme === undefined && (cacert !== undefined || cert !== undefined || key !== undefined))
    return { text, member, tls }
  })
  for (const [name, path] of [['cacert', cacert], ['cert', cert], ['key', key]] as const) {
    if (path !== undefined && !fileExists(cluster.files, self, path)) return { ok: false, fatal: `Error: open ${path}: no such file or directory`, endpoints }
    if (name === 'cert' && path !== undefined && key === undefined) return { ok: false, fatal: 'Error: KeyFile and CertFile must both be present[key: , cert: ' + path + ']', endpoints }
  }
  if (endpoints.some(e => !e.tls)) {
    return { ok: false, transport: 'connection error: desc = "error reading server preface: EOF"', endpoints }
  }
  const skipVerify = isTrue(p, env, 'insecure-skip-tls-verify')
  if (!skipVerify && (cacert === undefined || normalize(cacert) !== CA_FILE)) {
    return { ok: false, transport: 'connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"', endpoints }
  }
  if (cert === undefined || key === undefined || normalize(cert) !== CLIENT_CERT || normalize(key) !== CLIENT_KEY) {
    return { ok: false, transport: 'connection error: desc = "error reading server preface: remote error: tls: certificate required"', endpoints }
  }
  if (endpoints.some(e => e.member === undefined)) {
    return { ok: false, transport: 'connection error: desc = "transport: Error while dialing: dial tcp: lookup: no such host"', endpoints }
  }
  return { ok: true, endpoints }
}
