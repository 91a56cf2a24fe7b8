import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { GatewayError } from '../errors.ts'
import { commands } from './etcd-commands.ts'
import { sseParams, type UploadSettings } from './object-store.ts'
import { execToStream, type ExecConfig, type PodRef } from './pod-exec.ts'
import { createStreamingUpload } from './streaming-upload.ts'

export interface CopyTarget {
  bucket: string
  key: string
  metadata: Record<string, string>
  // What the pod said of the file before the copy (stat, sha256sum): the copy must match both.
  expected: { size: number, sha256: string }
}

export interface Copied {
  size: number
  sha256: string
}

export interface CopyOptions {
  signal?: AbortSignal
  onBytes?: (bytes: number) => void
  timeoutMs?: number
}

// `cat` of a file in the pod straight into a multipart upload whose parts stream from the exec, hashing
// on the way. Memory stays at the streams' high-water marks whatever the size or part size: execToStream
// pauses the exec socket while the upload is behind, so TCP holds the rest back in the pod. Whatever
// fails (exec, S3, cancel, a copy that differs from what the pod reported), the multipart upload is
// aborted or the object deleted: no part of a bad copy stays in the bucket.
export async function copyPodFileToStore (kc: ExecConfig, ref: PodRef, path: string, client: S3Client, target: CopyTarget, settings: UploadSettings, opts: CopyOptions = {}): Promise<Copied> {
  opts.signal?.throwIfAborted()
  const upload = createStreamingUpload(client, {
    Bucket: target.bucket, Key: target.key, ContentType: 'application/octet-stream', Metadata: target.metadata, ...sseParams(settings)
  }, { size: target.expected.size, partSize: settings.partSizeBytes, ...(opts.onBytes ? { onBytes: opts.onBytes } : {}) })
  // An S3 failure must also stop the exec, which would otherwise wait on a paused socket.
  const stop = new AbortController()
  upload.sink.on('error', err => {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } }
    stop.abort(err instanceof GatewayError ? err : new GatewayError('GW_ERR_UPSTREAM', `upload of s3://${target.bucket}/${target.key} failed: ${e.name} ${e.$metadata?.httpStatusCode ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim(), { cause: err }))
  })
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal
  try {
    const outcome = await execToStream(kc, ref, commands.cat(path), upload.sink, { signal, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) })
    if (outcome.exitCode !== 0) {
      throw new GatewayError('GW_ERR_UPSTREAM', `cat ${path} in ${ref.namespace}/${ref.pod} exited ${outcome.exitCode}: ${outcome.stderr.trim().slice(0, 500)}`)
    }
  } catch (err) {
    const s3Failed = stop.signal.aborted && !opts.signal?.aborted
    await upload.abort().catch(() => {})
    throw s3Failed ? stop.signal.reason : err
  }
  const copied = upload.result()
  if (copied.sha256 !== target.expected.sha256) {
    await client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: target.key })).catch(() => {})
    throw new GatewayError('GW_ERR_BACKUP_INTEGRITY', `the copy of ${path} (${copied.size} bytes, sha256 ${copied.sha256}) differs from the file in ${ref.pod} (${target.expected.size} bytes, sha256 ${target.expected.sha256})`)
  }
  return copied
}
