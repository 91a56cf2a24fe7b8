// Parts streamed straight from a writer into s3rver: boundaries, sizes that do not match, an abort.
import t from 'tap'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { startEmbeddedS3 } from '../../../services/sim/s3.ts'
import { createStreamingUpload } from '../../../shared/backups/streaming-upload.ts'
import { createS3Client } from '../../../shared/storage/s3-client.ts'

const MiB = 1024 * 1024

t.test('streams parts of the given size and completes the object; refuses a size that does not match', async t => {
  const s3 = await startEmbeddedS3({ host: '127.0.0.1', port: 0, directory: t.testdir(), buckets: ['b'] })
  t.teardown(() => s3.close())
  const client = createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', bucket: 'b', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true, maxAttempts: 1 })
  t.teardown(() => client.destroy())
  const params = (Key: string) => ({ Bucket: 'b', Key, ContentType: 'application/octet-stream', Metadata: { what: 'test' } })
  const exists = (Key: string) => client.send(new HeadObjectCommand({ Bucket: 'b', Key })).then(() => true, () => false)

  // 12.5 MiB in 5 MiB parts, written in chunks that straddle the part boundaries.
  const data = randomBytes(12.5 * MiB)
  const seen: number[] = []
  const up = createStreamingUpload(client, params('ok'), { size: data.length, partSize: 5 * MiB, onBytes: n => seen.push(n) })
  for (let at = 0; at < data.length; at += 3 * MiB + 7) up.sink.write(data.subarray(at, at + 3 * MiB + 7))
  up.sink.end()
  await once(up.sink, 'finish')
  t.same(up.result(), { size: data.length, sha256: createHash('sha256').update(data).digest('hex') })
  t.equal(seen.at(-1), data.length)
  const obj = await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'ok' }))
  t.ok(Buffer.from(await obj.Body!.transformToByteArray()).equals(data), 'the object is the bytes written')
  t.equal(obj.Metadata?.what, 'test')

  const empty = createStreamingUpload(client, params('empty'), { size: 0, partSize: 5 * MiB })
  empty.sink.end()
  await once(empty.sink, 'finish')
  t.equal((await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'empty' }))).ContentLength, 0, 'an empty file is an empty object')

  const short = createStreamingUpload(client, params('short'), { size: 6 * MiB, partSize: 5 * MiB })
  short.sink.end(data.subarray(0, 5 * MiB + 1))
  const [shortErr] = await once(short.sink, 'error') as [Error & { code?: string }]
  t.match(shortErr, { code: 'GW_ERR_BACKUP_INTEGRITY', message: /ended after 5242881 of 6291456 bytes/ })
  // s3rver answers AbortMultipartUpload with MethodNotAllowed (real S3 removes the parts); what matters
  // here is that no object appears.
  await short.abort().catch(() => {})
  t.notOk(await exists('short'))

  const long = createStreamingUpload(client, params('long'), { size: MiB, partSize: 5 * MiB })
  long.sink.write(data.subarray(0, 2 * MiB))
  const [longErr] = await once(long.sink, 'error') as [Error & { code?: string }]
  t.match(longErr, { code: 'GW_ERR_BACKUP_INTEGRITY', message: /more than the 1048576 bytes announced/ })

  // Aborted with a part in flight: the part's request is cancelled and no object appears.
  const cut = createStreamingUpload(client, params('cut'), { size: 12 * MiB, partSize: 5 * MiB })
  cut.sink.on('error', () => {})
  cut.sink.write(data.subarray(0, 7 * MiB))
  await new Promise(resolve => setTimeout(resolve, 200))
  await cut.abort().catch(() => {})
  t.notOk(await exists('cut'))
})
