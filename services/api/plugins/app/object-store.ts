import fp from 'fastify-plugin'
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3'
import { createS3Client, type ObjectStoreSettings } from '../../../../shared/storage/s3-client.ts'

declare module 'fastify' {
  interface FastifyInstance {
    objectStore: { client: S3Client, bucket: string }
  }
}

export default fp<{ objectStore: ObjectStoreSettings }>(async function objectStore (fastify, opts) {
  const client = createS3Client(opts.objectStore)
  const bucket = opts.objectStore.bucket
  fastify.decorate('objectStore', { client, bucket })
  fastify.readiness.register('objectStorage', async () => {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }))
    } catch (err) {
      // HeadBucket errors carry no body, so the SDK message is often just "UnknownError".
      const e = err as Error & { $metadata?: { httpStatusCode?: number } }
      return { ok: false, detail: `bucket ${bucket}: ${e.name} ${e.$metadata?.httpStatusCode ?? ''} ${e.message}`.trim() }
    }
    return { ok: true, detail: `bucket ${bucket} at ${opts.objectStore.endpoint || 'AWS S3'}` }
  })
  fastify.addHook('onClose', async () => client.destroy())
}, { name: 'object-store', dependencies: ['readiness'] })
