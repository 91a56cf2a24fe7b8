import { S3Client } from '@aws-sdk/client-s3'

export interface ObjectStoreSettings {
  endpoint?: string
  region: string
  bucket: string
  accessKeyId?: string
  secretAccessKey?: string
  forcePathStyle: boolean
  // 1 where a request body is a stream, which a retry could not send again.
  maxAttempts?: number
}

export function createS3Client (s: ObjectStoreSettings): S3Client {
  return new S3Client({
    region: s.region,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.forcePathStyle,
    ...(s.accessKeyId && s.secretAccessKey
      ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } }
      : {}),
    // s3rver and other S3-compatible stores reject the newer default checksum headers on some operations.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: s.maxAttempts ?? 3
  })
}
