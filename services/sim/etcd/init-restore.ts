// The etcd init container of a HostedCluster created with spec.etcd.managed.storage.restoreSnapshotURL
// (upstream control-plane-operator etcd-init.sh): download the snapshot, check it, restore it into the
// member's data dir. The twin runs the same three steps as exec calls into etcd-0, through the API.
import type { KubeConfig } from '@kubernetes/client-node'
import { execInPod } from './exec-client.ts'
import type { ExecResult } from './exec-client.ts'

export interface RestoreOutcome { ok: boolean, message: string }

const DOWNLOAD = '/tmp/snapshot'

function failure (step: string, r: ExecResult): string {
  const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').filter(l => l.trim() !== '' && !l.startsWith('{') && !l.startsWith('Deprecated')).join(' ')
  return `${step} failed (exit code ${r.exitCode ?? 'unknown'}): ${detail || (r.status?.message ?? 'stream dropped')}`
}

export function redactUrl (url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return '<invalid URL>'
  }
}

export async function restoreFromSnapshotURL (kc: KubeConfig, namespace: string, url: string): Promise<RestoreOutcome> {
  const target = { namespace, pod: 'etcd-0', container: 'etcd' }
  const steps: Array<[string, string[]]> = [
    ['download', ['curl', '-sS', '-f', '-o', DOWNLOAD, url]],
    ['snapshot status', ['env', 'ETCDCTL_API=3', '/usr/bin/etcdctl', '-w', 'table', 'snapshot', 'status', DOWNLOAD]],
    ['snapshot restore', ['env', 'ETCDCTL_API=3', '/usr/bin/etcdctl', 'snapshot', 'restore', DOWNLOAD, '--data-dir=/var/lib/data']]
  ]
  for (const [step, command] of steps) {
    const r = await execInPod(kc, target, command, { timeoutMs: 10 * 60_000 })
    if (r.exitCode !== 0) return { ok: false, message: failure(step, r) }
  }
  await execInPod(kc, target, ['rm', '-f', DOWNLOAD], { timeoutMs: 60_000 })
  return { ok: true, message: `etcd restored from snapshot ${redactUrl(url)}` }
}
