import { Writable } from 'node:stream'
import type { KubeConfig, V1Status } from '@kubernetes/client-node'
// Exec alone: the package's index loads every generated API model (~70 MB), which the copy child
// process (copy-child.ts) must not pay for.
import { Exec } from '@kubernetes/client-node/dist/exec.js'
import { GatewayError } from '../errors.ts'

export interface PodRef {
  namespace: string
  pod: string
  container: string
}

// What Exec needs of a KubeConfig: a KubeConfig, or the connection copy-child.ts rebuilds from one.
export type ExecConfig = Pick<KubeConfig, 'getCurrentCluster' | 'applyToHTTPSOptions'>

export interface ExecOptions {
  signal?: AbortSignal
  // Bound on the whole command; 0 = none (the signal still applies).
  timeoutMs?: number
}

export interface ExecOutcome {
  exitCode: number
  stderr: string
}

const STDERR_LIMIT = 64 * 1024
const CAPTURE_LIMIT = 4 * 1024 * 1024

// Exit code from the status frame: Success, or Failure with an ExitCode cause (NonZeroExitCode).
export function exitCodeOf (status: V1Status): number {
  if (status.status === 'Success') return 0
  const cause = status.details?.causes?.find(c => c.reason === 'ExitCode')
  const code = Number(cause?.message)
  return Number.isInteger(code) ? code : -1
}

function boundedSink (limit: number): { stream: Writable, text: () => string, overflowed: () => boolean } {
  const chunks: Buffer[] = []
  let size = 0
  let over = false
  const stream = new Writable({
    write (chunk: Buffer, _enc, cb) {
      if (size + chunk.length <= limit) {
        chunks.push(chunk)
        size += chunk.length
      } else {
        over = true
      }
      cb()
    }
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), overflowed: () => over }
}

// Runs one command in a container and resolves when it has finished, not when the socket opens (client-node
// resolves exec() on open, #704): on the status frame, or fails when the socket closes without one (#714).
// stdout is ended by client-node on the status frame; a stream given here is awaited until it has finished.
export async function execToStream (kc: ExecConfig, ref: PodRef, command: string[], stdout: Writable, opts: ExecOptions = {}): Promise<ExecOutcome> {
  const stderr = boundedSink(STDERR_LIMIT)
  const what = `${command.slice(0, 4).join(' ')} in ${ref.namespace}/${ref.pod}`
  opts.signal?.throwIfAborted()
  let settleStatus!: (s: V1Status) => void
  const statusSeen = new Promise<V1Status>(resolve => { settleStatus = resolve })
  const finished = new Promise<void>((resolve, reject) => {
    stdout.once('finish', resolve)
    stdout.once('error', reject)
  })
  // Awaited only after the status frame; an early stream error must not go unhandled meanwhile.
  finished.catch(() => {})
  // client-node writes every frame and ignores write()'s answer; this gate pauses the socket while the
  // sink is full, so TCP flow control reaches the sender and nothing piles up in memory.
  let socket: { pause (): void, resume (): void } | undefined
  let paused = false
  const gate = new Writable({
    highWaterMark: 1024 * 1024,
    write (chunk: Buffer, _enc, cb) {
      if (!stdout.write(chunk) && !paused && socket) {
        paused = true
        socket.pause()
        stdout.once('drain', () => { paused = false; socket?.resume() })
      }
      cb()
    },
    final (cb) {
      stdout.end()
      cb()
    }
  })
  gate.on('error', err => stdout.destroy(err))
  let ws: Awaited<ReturnType<Exec['exec']>>
  try {
    ws = await new Exec(kc as KubeConfig).exec(ref.namespace, ref.pod, ref.container, command, gate, stderr.stream, null, false, s => settleStatus(s))
    socket = ws as unknown as { pause (): void, resume (): void }
  } catch (err) {
    gate.destroy()
    stdout.destroy()
    const message = (err as { message?: string }).message ?? String(err)
    throw new GatewayError('GW_ERR_UPSTREAM', `could not exec ${what}: ${message}`, { cause: err })
  }
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  try {
    const status = await new Promise<V1Status>((resolve, reject) => {
      statusSeen.then(resolve, reject)
      ws.on('close', () => {
        // The status frame is handled before close; give it the current tick to land.
        setImmediate(() => reject(new GatewayError('GW_ERR_UPSTREAM', `exec of ${what} ended without an exit status`)))
      })
      ws.on('error', err => reject(new GatewayError('GW_ERR_UPSTREAM', `exec of ${what} failed: ${err.message}`, { cause: err })))
      onAbort = () => reject(opts.signal!.reason ?? new Error('aborted'))
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      if (opts.timeoutMs) {
        timer = setTimeout(() => reject(new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', `exec of ${what} did not finish within ${opts.timeoutMs} ms`)), opts.timeoutMs)
      }
    })
    await finished
    return { exitCode: exitCodeOf(status), stderr: stderr.text() }
  } catch (err) {
    gate.destroy()
    stdout.destroy()
    // A close handshake could wait on a socket paused mid-stream for ws's 30 s timeout: cut it.
    ws.terminate()
    throw err
  } finally {
    if (timer) clearTimeout(timer)
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort)
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close()
  }
}

export interface Captured extends ExecOutcome {
  stdout: string
}

// For commands with short output (etcdctl status, sha256sum, stat).
export async function execCapture (kc: KubeConfig, ref: PodRef, command: string[], opts: ExecOptions = {}): Promise<Captured> {
  const out = boundedSink(CAPTURE_LIMIT)
  const outcome = await execToStream(kc, ref, command, out.stream, opts)
  if (out.overflowed()) throw new GatewayError('GW_ERR_UPSTREAM', `${command.join(' ')} printed more than ${CAPTURE_LIMIT} bytes`)
  return { ...outcome, stdout: out.text() }
}

// execCapture that treats a non-zero exit as an error naming the command and its stderr.
export async function execOk (kc: KubeConfig, ref: PodRef, command: string[], opts: ExecOptions = {}): Promise<string> {
  const r = await execCapture(kc, ref, command, opts)
  if (r.exitCode !== 0) {
    const shown = command.filter(a => !a.startsWith('--') && !a.startsWith('/etc/etcd/tls')).slice(0, 6).join(' ')
    // etcdctl logs JSON lines on stderr before the line that says what went wrong.
    const said = (r.stderr.trim() || r.stdout.trim()).split('\n').filter(l => !l.startsWith('{')).join(' ').slice(0, 500)
    throw new GatewayError('GW_ERR_UPSTREAM', `${shown} in ${ref.namespace}/${ref.pod} exited ${r.exitCode}: ${said}`, {
      extensions: { exitCode: r.exitCode }
    })
  }
  return r.stdout
}
