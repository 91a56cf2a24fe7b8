import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { KubeConfig } from '@kubernetes/client-node'
import type { S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { GatewayError } from '../errors.ts'
import { commands } from './etcd-commands.ts'
import { execToStream, type PodRef } from './pod-exec.ts'

export interface Spooled {
  size: number
  sha256: string
}

// Hashes and counts what passes through on its way to disk.
function digestingCounter (onBytes?: (bytes: number) => void) {
  const hash = createHash('sha256')
  let size = 0
  const stream = new Transform({
    highWaterMark: 1024 * 1024,
    transform (chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      size += chunk.length
      onBytes?.(size)
      cb(null, chunk)
    }
  })
  return { stream, result: (): Spooled => ({ size, sha256: hash.digest('hex') }) }
}

// `cat` of a file in the pod into a local file. The exec stream has no backpressure (client-node writes
// every frame and ignores write()'s return), so the bytes go to disk, which absorbs them, and never
// pile up in memory behind a slower S3 upload.
export async function spoolFromPod (kc: KubeConfig, ref: PodRef, path: string, file: string, opts: { signal?: AbortSignal, onBytes?: (bytes: number) => void, timeoutMs?: number } = {}): Promise<Spooled> {
  const counter = digestingCounter(opts.onBytes)
  const written = pipeline(counter.stream, createWriteStream(file))
  written.catch(() => {})
  const outcome = await execToStream(kc, ref, commands.cat(path), counter.stream, opts)
  await written
  if (outcome.exitCode !== 0) {
    throw new GatewayError('GW_ERR_UPSTREAM', `cat ${path} in ${ref.namespace}/${ref.pod} exited ${outcome.exitCode}: ${outcome.stderr.trim().slice(0, 500)}`)
  }
  return counter.result()
}

export interface UploadSettings {
  partSizeBytes: number
  queueSize: number
  sse?: 'AES256' | 'aws:kms'
  kmsKeyId?: string
}

export interface UploadRequest {
  bucket: string
  key: string
  file: string
  size: number
  metadata: Record<string, string>
  contentType?: string
}

export function sseParams (s: Pick<UploadSettings, 'sse' | 'kmsKeyId'>): { ServerSideEncryption?: 'AES256' | 'aws:kms', SSEKMSKeyId?: string } {
  if (!s.sse) return {}
  return { ServerSideEncryption: s.sse, ...(s.sse === 'aws:kms' && s.kmsKeyId ? { SSEKMSKeyId: s.kmsKeyId } : {}) }
}

// Multipart upload of a spooled file: memory stays near queueSize × partSize whatever the file's size.
// A cancel aborts the multipart upload, so no orphaned parts are left behind.
export async function uploadFile (client: S3Client, req: UploadRequest, settings: UploadSettings, opts: { signal?: AbortSignal, onProgress?: (loaded: number) => void } = {}): Promise<void> {
  opts.signal?.throwIfAborted()
  const upload = new Upload({
    client,
    queueSize: settings.queueSize,
    partSize: settings.partSizeBytes,
    leavePartsOnError: false,
    params: {
      Bucket: req.bucket,
      Key: req.key,
      Body: createReadStream(req.file, { highWaterMark: 1024 * 1024 }),
      ContentLength: req.size,
      ContentType: req.contentType ?? 'application/octet-stream',
      Metadata: req.metadata,
      ...sseParams(settings)
    }
  })
  upload.on('httpUploadProgress', p => { if (p.loaded !== undefined) opts.onProgress?.(p.loaded) })
  const onAbort = () => { upload.abort().catch(() => {}) }
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    await upload.done()
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? err
    const e = err as Error & { $metadata?: { httpStatusCode?: number } }
    throw new GatewayError('GW_ERR_UPSTREAM', `upload of s3://${req.bucket}/${req.key} failed: ${e.name} ${e.$metadata?.httpStatusCode ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim(), { cause: err })
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
  }
}
