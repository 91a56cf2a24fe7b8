// Runs one command in a pod through the Kubernetes exec API with client-node's Exec, and waits for
// the outcome: Exec resolves when the socket opens, so the result comes from the status frame — or
// from the socket closing without one (a dropped stream). Output written to `opts.stdout` pauses the
// socket while the sink is full, which client-node alone does not do.
import { Writable } from 'node:stream'
import { Exec } from '@kubernetes/client-node'
import type { KubeConfig, V1Status } from '@kubernetes/client-node'

// client-node does not export the type of Exec's socket seam
export type WebSocketInterface = NonNullable<ConstructorParameters<typeof Exec>[1]>

export interface ExecTargetRef { namespace: string, pod: string, container: string }

export interface ExecResult {
  // 'status': the server reported an outcome; 'dropped': the connection ended without one
  end: 'status' | 'dropped'
  status: V1Status | null
  exitCode: number | null
  stdout: string
  stderr: string
}

export interface ExecOptions {
  // receives stdout instead of the collected string; ended on success, destroyed on failure
  stdout?: Writable
  timeoutMs?: number
  // closes the session; the promise rejects with the signal's reason
  signal?: AbortSignal
  wsInterface?: WebSocketInterface
}

const MAX_COLLECT = 1024 * 1024
const PAUSE_AT = 1024 * 1024

interface PausableSocket { pause?: () => void, resume?: () => void, on?: (event: string, fn: (...a: unknown[]) => void) => void, close?: () => void }

export function exitCodeOf (status: V1Status | null): number | null {
  if (status === null) return null
  if (status.status === 'Success') return 0
  const cause = status.details?.causes?.find(c => c.reason === 'ExitCode')
  return cause?.message !== undefined ? Number(cause.message) : null
}

export async function execInPod (kc: KubeConfig, target: ExecTargetRef, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const exec = new Exec(kc, opts.wsInterface)
  let stdoutText = ''
  let stderrText = ''
  let socket: PausableSocket | undefined
  let paused = false
  const sink = opts.stdout
  const out = new Writable({
    write (chunk: Buffer, _enc, cb) {
      if (sink === undefined) {
        if (stdoutText.length < MAX_COLLECT) stdoutText += chunk.toString('utf8')
        cb()
        return
      }
      // pausing on every full buffer would stall the stream; stop reading only when a few MiB wait
      if (!sink.write(chunk) && sink.writableLength >= PAUSE_AT && !paused) {
        paused = true
        socket?.pause?.()
        sink.once('drain', () => {
          paused = false
          socket?.resume?.()
        })
      }
      cb()
    },
    final (cb) { cb() }
  })
  const err = new Writable({
    write (chunk: Buffer, _enc, cb) {
      if (stderrText.length < MAX_COLLECT) stderrText += chunk.toString('utf8')
      cb()
    }
  })
  return await new Promise<ExecResult>((resolve, reject) => {
    let settled = false
    const finish = (end: ExecResult['end'], status: V1Status | null): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      const exitCode = exitCodeOf(status)
      const done = (): void => resolve({ end, status, exitCode, stdout: stdoutText, stderr: stderrText })
      if (sink !== undefined && end === 'status' && exitCode === 0) {
        // the caller may read what the sink computed as soon as this resolves
        sink.once('finish', done)
        sink.once('error', done)
        sink.end()
        return
      }
      sink?.destroy(new Error(end === 'dropped' ? 'exec stream dropped before the command finished' : `command exited with ${exitCode ?? status?.message ?? 'an error'}`))
      // let the collectors flush what already arrived before the caller reads the texts
      setImmediate(done)
    }
    const timer = setTimeout(() => {
      socket?.close?.()
      if (!settled) {
        settled = true
        sink?.destroy(new Error('exec timed out'))
        reject(new Error(`exec ${command.join(' ')} timed out after ${opts.timeoutMs ?? 60_000} ms`))
      }
    }, opts.timeoutMs ?? 60_000)
    const onAbort = (): void => {
      socket?.close?.()
      if (settled) return
      settled = true
      clearTimeout(timer)
      const reason = opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('exec aborted')
      sink?.destroy(reason)
      reject(reason)
    }
    if (opts.signal?.aborted === true) {
      onAbort()
      return
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    exec.exec(target.namespace, target.pod, target.container, command, out, err, null, false, (status) => finish('status', status))
      .then((ws) => {
        socket = ws as unknown as PausableSocket
        if (settled) socket.close?.()
        socket.on?.('close', () => setImmediate(() => finish('dropped', null)))
      })
      .catch((e: unknown) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        sink?.destroy(e as Error)
        reject(e)
      })
  })
}
