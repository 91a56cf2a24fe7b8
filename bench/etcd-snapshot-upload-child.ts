// The plain copies of bench/etcd-snapshot-upload.ts, each in its own process so its peak RSS is its own.
// Loads what the job's copy child loads (exec, the S3 client), nothing of the twin.
//   (a) copy    exec `cat` into a local file
//   (c) direct  exec `cat` piped into lib-storage's Upload (its defaults) to s3rver, with no hash or checks
import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { Upload } from '@aws-sdk/lib-storage'
import { commands, SNAPSHOT_PATH } from '../shared/backups/etcd-commands.ts'
import { execToStream, type PodRef } from '../shared/backups/pod-exec.ts'
import { createS3Client } from '../shared/storage/s3-client.ts'

const env = process.env as Record<string, string>
const ref: PodRef = { namespace: 'clusters-bench', pod: 'etcd-0', container: 'etcd' }
const connection = { getCurrentCluster: () => ({ name: 'twin', server: env.BENCH_SERVER, skipTLSVerify: false }), applyToHTTPSOptions: async () => {} }

const start = process.hrtime.bigint()
let bytes = 0
const counting = new PassThrough({ highWaterMark: 1024 * 1024 })
counting.on('data', (c: Buffer) => { bytes += c.length })
if (process.argv[2] === 'copy') {
  const file = join(env.BENCH_DIR, 'snapshot.db')
  const out = counting.pipe(createWriteStream(file))
  await execToStream(connection, ref, commands.cat(SNAPSHOT_PATH), counting)
  if (!out.closed) await new Promise<void>(resolve => out.once('close', () => resolve()))
  await unlink(file)
} else {
  const client = createS3Client({ endpoint: env.BENCH_S3, region: 'us-east-1', bucket: 'bench', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true })
  const upload = new Upload({ client, params: { Bucket: 'bench', Key: `direct-${env.BENCH_SIZE}.db`, Body: counting } })
  const done = upload.done()
  await execToStream(connection, ref, commands.cat(SNAPSHOT_PATH), counting)
  await done
  client.destroy()
}
process.send!({ bytes, seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRss: process.resourceUsage().maxRSS * 1024 })
