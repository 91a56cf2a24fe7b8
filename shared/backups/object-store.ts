import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import type { Config } from '../config.ts'
import { GatewayError } from '../errors.ts'
import { createS3Client, type ObjectStoreSettings } from '../storage/s3-client.ts'
import type { StoreLocation } from './params.ts'

// The worker's client for the location the api chose; credentials are the worker's own (S3_ACCESS_KEY_ID/
// S3_SECRET_ACCESS_KEY, else the SDK's default chain: IRSA, instance profile, environment).
export function workerS3Settings (location: StoreLocation, config: Config): ObjectStoreSettings {
  return {
    ...location,
    ...(config.S3_ACCESS_KEY_ID ? { accessKeyId: config.S3_ACCESS_KEY_ID } : {}),
    ...(config.S3_SECRET_ACCESS_KEY ? { secretAccessKey: config.S3_SECRET_ACCESS_KEY } : {})
  }
}

export function workerS3Client (location: StoreLocation, config: Config): S3Client {
  return createS3Client(workerS3Settings(location, config))
}

export interface UploadSettings {
  partSizeBytes: number
  sse?: 'AES256' | 'aws:kms'
  kmsKeyId?: string
}

export function sseParams (s: Pick<UploadSettings, 'sse' | 'kmsKeyId'>): { ServerSideEncryption?: 'AES256' | 'aws:kms', SSEKMSKeyId?: string } {
  if (!s.sse) return {}
  return { ServerSideEncryption: s.sse, ...(s.sse === 'aws:kms' && s.kmsKeyId ? { SSEKMSKeyId: s.kmsKeyId } : {}) }
}

export function uploadSettings (config: Config): UploadSettings {
  return {
    partSizeBytes: config.BACKUP_PART_SIZE_MB * 1024 * 1024,
    ...(config.BACKUP_SSE ? { sse: config.BACKUP_SSE } : {}),
    ...(config.BACKUP_SSE_KMS_KEY_ID ? { kmsKeyId: config.BACKUP_SSE_KMS_KEY_ID } : {})
  }
}

function s3Failure (what: string, err: unknown): GatewayError {
  const e = err as Error & { $metadata?: { httpStatusCode?: number } }
  const status = e.$metadata?.httpStatusCode
  const code = status === 404 || e.name === 'NoSuchKey' ? 'GW_ERR_NOT_FOUND' : 'GW_ERR_UPSTREAM'
  return new GatewayError(code, `${what}: ${e.name} ${status ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim(), { cause: err })
}

// Streams the object once: its sha256 and size, in constant memory.
export async function digestObject (client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<{ sha256: string, size: number, metadata: Record<string, string> }> {
  let body: Readable
  let metadata: Record<string, string>
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal })
    body = out.Body as Readable
    metadata = out.Metadata ?? {}
  } catch (err) {
    throw s3Failure(`reading s3://${bucket}/${key}`, err)
  }
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of body) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), size, metadata }
}

// The object's size, or undefined when there is no such object.
export async function objectSize (client: S3Client, bucket: string, key: string): Promise<number | undefined> {
  try {
    return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } }
    if (e.$metadata?.httpStatusCode === 404 || e.name === 'NotFound' || e.name === 'NoSuchKey') return undefined
    throw s3Failure(`reading s3://${bucket}/${key}`, err)
  }
}

export async function putSmallObject (client: S3Client, bucket: string, key: string, body: Buffer, metadata: Record<string, string>, settings: Pick<UploadSettings, 'sse' | 'kmsKeyId'>): Promise<void> {
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/octet-stream', Metadata: metadata, ...sseParams(settings) }))
  } catch (err) {
    throw s3Failure(`writing s3://${bucket}/${key}`, err)
  }
}

export async function readSmallObject (client: S3Client, bucket: string, key: string): Promise<Buffer> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    return Buffer.from(await out.Body!.transformToByteArray())
  } catch (err) {
    throw s3Failure(`reading s3://${bucket}/${key}`, err)
  }
}

// Missing keys count as deleted (S3 semantics), so a repeated delete succeeds. One request per key:
// DeleteObjects needs a body checksum that S3-compatible stores disagree on, and backups have two keys.
export async function deleteKeys (client: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (const key of keys) {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
    } catch (err) {
      const e = err as Error & { $metadata?: { httpStatusCode?: number } }
      if (e.$metadata?.httpStatusCode === 404 || e.name === 'NoSuchKey') continue
      throw s3Failure(`deleting s3://${bucket}/${key}`, err)
    }
  }
}
