// The process that moves a snapshot's bytes (fork()ed by copy-process.ts). It loads only exec, the S3
// client and the copy itself, so its memory is the copy's, and the worker's event loop stays free for
// lock renewals and other jobs while a large snapshot is hashed and uploaded.
import type { ClientRequestArgs } from 'node:http'
import { createS3Client } from '../storage/s3-client.ts'
import { copyPodFileToStore } from './pod-to-store.ts'
import type { ChildMessage, ParentMessage, StartMessage } from './copy-messages.ts'

const send = (m: ChildMessage) => new Promise<void>(resolve => process.connected ? process.send!(m, undefined, undefined, () => resolve()) : resolve())
const abort = new AbortController()

async function run (start: StartMessage): Promise<void> {
  // A KubeConfig as far as Exec is concerned: the server and the TLS/auth options the parent resolved.
  const connection = {
    getCurrentCluster: () => ({ name: 'target', server: start.server, skipTLSVerify: false }),
    applyToHTTPSOptions: async (o: ClientRequestArgs) => { Object.assign(o, start.tls) }
  }
  // Parts stream from the exec: a failed part cannot be re-sent, the job retries the copy instead.
  const client = createS3Client({ ...start.store, maxAttempts: 1 })
  let reported = 0
  try {
    const copied = await copyPodFileToStore(connection, start.ref, start.path, client, start.target, start.settings, {
      signal: abort.signal,
      ...(start.timeoutMs ? { timeoutMs: start.timeoutMs } : {}),
      // A message per MiB at most: progress, not a flood over IPC.
      onBytes: n => {
        if (n - reported >= 1024 * 1024) {
          reported = n
          // A worker that has gone answers EPIPE here: the 'disconnect' handler aborts, this must not throw.
          if (process.connected) process.send!({ type: 'progress', bytes: n } satisfies ChildMessage, undefined, undefined, () => {})
        }
      }
    })
    await send({ type: 'done', copied, maxRssBytes: process.resourceUsage().maxRSS * 1024 })
  } catch (err) {
    const e = err as Error & { code?: string }
    await send({ type: 'failed', error: { code: typeof e.code === 'string' && e.code.startsWith('GW_ERR_') ? e.code : 'GW_ERR_UPSTREAM', message: e.message ?? String(err) } })
  } finally {
    client.destroy()
    if (process.connected) process.disconnect()
  }
}

process.on('message', (m: ParentMessage) => {
  if (m.type === 'start') run(m).catch(() => { process.exitCode = 1 })
  else if (m.type === 'abort') abort.abort(new Error('cancelled'))
})
// The worker died (even by SIGKILL): abort the multipart upload rather than leave parts behind.
process.on('disconnect', () => abort.abort(new Error('the worker went away')))
process.send!({ type: 'ready' } satisfies ChildMessage)
