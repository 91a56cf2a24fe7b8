import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { PassThrough, Writable } from 'node:stream'
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand, type S3Client
} from '@aws-sdk/client-s3'
import { GatewayError } from '../errors.ts'

export interface StreamingUploadParams {
  Bucket: string
  Key: string
  Metadata: Record<string, string>
  ContentType: string
  ServerSideEncryption?: 'AES256' | 'aws:kms'
  SSEKMSKeyId?: string
}

export interface StreamingUpload {
  // Write the bytes here; it finishes once the object is complete in the bucket.
  sink: Writable
  // Bytes and sha256 of what was written (once the sink has finished).
  result (): { size: number, sha256: string }
  // Gives up: aborts the multipart upload so no part is left behind.
  abort (): Promise<void>
}

// A multipart upload fed by a stream whose size is known up front: every part streams from the sink
// straight into its UploadPart request, one part at a time, so nothing is buffered beyond the streams'
// own high-water marks whatever the part size. A part cannot be re-sent (its bytes are gone), so an S3
// error fails the upload and the caller retries the copy as a whole.
export function createStreamingUpload (client: S3Client, params: StreamingUploadParams, opts: { size: number, partSize: number, onBytes?: (bytes: number) => void }): StreamingUpload {
  const hash = createHash('sha256')
  let written = 0
  let uploadId: string | undefined
  const etags: Array<{ PartNumber: number, ETag: string }> = []
  let part: { body: PassThrough, left: number, sent: Promise<unknown> } | undefined
  const { Bucket, Key } = params
  // Cancels the part in flight: its request would otherwise wait forever for the bytes it was promised.
  const inFlight = new AbortController()

  async function startPart (): Promise<NonNullable<typeof part>> {
    uploadId ??= (await client.send(new CreateMultipartUploadCommand(params), { abortSignal: inFlight.signal })).UploadId
    const PartNumber = etags.length + 1
    const length = Math.min(opts.partSize, opts.size - (PartNumber - 1) * opts.partSize)
    const body = new PassThrough({ highWaterMark: 1024 * 1024 })
    const sent = client.send(new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body: body, ContentLength: length }), { abortSignal: inFlight.signal })
      .then(out => { etags.push({ PartNumber, ETag: out.ETag! }) })
    // Seen by the writer below; an early failure must not go unhandled meanwhile.
    sent.catch(() => {})
    return { body, left: length, sent }
  }

  // Resolves when the body can take more, rejects when its request failed.
  async function push (p: NonNullable<typeof part>, bytes: Buffer): Promise<void> {
    if (p.body.write(bytes)) return
    await Promise.race([once(p.body, 'drain'), p.sent.then(() => { throw new Error('S3 answered before the part was sent') })])
  }

  async function write (chunk: Buffer): Promise<void> {
    if (written + chunk.length > opts.size) throw new GatewayError('GW_ERR_BACKUP_INTEGRITY', `more than the ${opts.size} bytes announced`)
    hash.update(chunk)
    written += chunk.length
    opts.onBytes?.(written)
    let rest = chunk
    while (rest.length > 0) {
      part ??= await startPart()
      const take = rest.subarray(0, part.left)
      rest = rest.subarray(take.length)
      part.left -= take.length
      await push(part, take)
      if (part.left === 0) {
        part.body.end()
        await part.sent
        part = undefined
      }
    }
  }

  async function final (): Promise<void> {
    if (written !== opts.size) throw new GatewayError('GW_ERR_BACKUP_INTEGRITY', `the stream ended after ${written} of ${opts.size} bytes`)
    if (opts.size === 0) {
      await client.send(new PutObjectCommand({ ...params, Body: Buffer.alloc(0) }))
      return
    }
    await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: etags } }))
  }

  const sink = new Writable({
    highWaterMark: 1024 * 1024,
    write (chunk: Buffer, _enc, cb) { write(chunk).then(() => cb(), cb) },
    final (cb) { final().then(() => cb(), cb) }
  })

  return {
    sink,
    result: () => ({ size: written, sha256: hash.digest('hex') }),
    async abort () {
      inFlight.abort()
      part?.body.destroy()
      sink.destroy()
      if (uploadId) await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
    }
  }
}
