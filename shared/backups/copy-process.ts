import { fork } from 'node:child_process'
import type { KubeConfig } from '@kubernetes/client-node'
import { ErrorCodes, GatewayError, type ErrorCode } from '../errors.ts'
import type { ObjectStoreSettings } from '../storage/s3-client.ts'
import type { ChildMessage, StartMessage } from './copy-messages.ts'
import type { UploadSettings } from './object-store.ts'
import type { PodRef } from './pod-exec.ts'
import type { Copied, CopyOptions, CopyTarget } from './pod-to-store.ts'

type Final = Extract<ChildMessage, { type: 'done' | 'failed' }>

const CHILD = new URL('./copy-child.ts', import.meta.url)
// The child aborts its multipart upload on 'abort'; this long, then it is killed.
const ABORT_GRACE_MS = 10_000
// The TLS and auth options a WebSocket needs; the agent (and any proxy) does not cross the process line.
const CONNECTION_KEYS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'headers', 'auth']

export interface CopyRequest {
  ref: PodRef
  path: string
  store: ObjectStoreSettings
  target: CopyTarget
  settings: UploadSettings
}

async function connectionOf (kc: KubeConfig): Promise<Pick<StartMessage, 'server' | 'tls'>> {
  const cluster = kc.getCurrentCluster()
  if (!cluster) throw new GatewayError('GW_ERR_UPSTREAM', 'the kubeconfig has no current cluster')
  const resolved: Record<string, unknown> = {}
  // Resolves tokens, exec plugins and client certificates here, once, where the full client is loaded.
  await kc.applyToHTTPSOptions(resolved)
  const tls = Object.fromEntries(CONNECTION_KEYS.filter(k => resolved[k] !== undefined).map(k => [k, resolved[k]]))
  return { server: cluster.server, tls }
}

// copyPodFileToStore in a child process; resolves with the copy and the child's peak RSS.
export async function copyInChildProcess (kc: KubeConfig, req: CopyRequest, opts: CopyOptions = {}): Promise<Copied & { peakRssBytes: number }> {
  opts.signal?.throwIfAborted()
  const start: StartMessage = { type: 'start', ...await connectionOf(kc), ...req, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }
  const child = fork(CHILD, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let killTimer: NodeJS.Timeout | undefined
  const onAbort = () => {
    if (child.connected) child.send({ type: 'abort' })
    killTimer = setTimeout(() => child.kill('SIGKILL'), ABORT_GRACE_MS)
  }
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const outcome = await new Promise<Final>((resolve, reject) => {
      let final: Final | undefined
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'ready') child.send(start)
        else if (m.type === 'progress') opts.onBytes?.(m.bytes)
        else final = m
      })
      child.once('error', err => reject(new GatewayError('GW_ERR_UPSTREAM', `could not start the copy process: ${err.message}`, { cause: err })))
      child.once('exit', (code, signal) => {
        if (final) resolve(final)
        else reject(new GatewayError('GW_ERR_UPSTREAM', `the copy process exited (${signal ?? `code ${code}`}) before it finished`))
      })
    })
    if (opts.signal?.aborted) throw opts.signal.reason
    if (outcome.type === 'failed') {
      const code = (outcome.error.code in ErrorCodes ? outcome.error.code : 'GW_ERR_UPSTREAM') as ErrorCode
      throw new GatewayError(code, outcome.error.message)
    }
    return { ...outcome.copied, peakRssBytes: outcome.maxRssBytes }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
    if (killTimer) clearTimeout(killTimer)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}
