// Benchmark: the upload stage of the etcd-snapshot job on a twin cluster whose etcd database is
// 256 MiB and then 1 GiB, two ways in one run:
//   (a) copy     the exec `cat` of the snapshot into a file, nothing else
//   (c) direct   the exec `cat` piped straight into a multipart upload to s3rver: a plain copy of the
//                same bytes from the twin to s3rver, with no spool, hash or bound on memory
//   (b) stage    what the job does: exec `cat` → spool file (sha256 + size on the way) → multipart
//                upload to s3rver (BACKUP_PART_SIZE_MB / BACKUP_UPLOAD_QUEUE_SIZE defaults)
// Targets: (b) ≥ 80 % of a plain copy; peak RSS ≤ 150 MB and flat as the size grows. Both (b)/(a) and
// (b)/(c) are printed. All run in a child process, as a worker would: the twin and s3rver (this
// process) do not count.
//
//   node bench/etcd-snapshot-upload.ts [--sizes 256Mi,1Gi]
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Transform } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Upload } from '@aws-sdk/lib-storage'
import { CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node'
import { startHypershiftSim } from '../services/sim/hypershift/index.ts'
import { startKubeServer } from '../services/sim/kube/server.ts'
import { startEmbeddedS3 } from '../services/sim/s3.ts'
import { commands, SNAPSHOT_PATH } from '../shared/backups/etcd-commands.ts'
import { uploadSettings } from '../shared/backups/object-store.ts'
import { execOk, execToStream, type PodRef } from '../shared/backups/pod-exec.ts'
import { spoolFromPod, uploadFile } from '../shared/backups/spool-upload.ts'
import { loadConfig } from '../shared/config.ts'
import { renderCluster } from '../shared/hypershift/render/render-cluster.ts'
import { createS3Client } from '../shared/storage/s3-client.ts'

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
const MiB = 1024 * 1024
const ref: PodRef = { namespace: 'clusters-bench', pod: 'etcd-0', container: 'etcd' }

interface Run { bytes: number, seconds: number, peakRss: number }

async function timed (fn: () => Promise<number>): Promise<Run> {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 50)
  const start = process.hrtime.bigint()
  try {
    const bytes = await fn()
    return { bytes, seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRss: Math.max(peak, process.memoryUsage().rss) }
  } finally {
    clearInterval(timer)
  }
}

// The measured side, in its own process: kubeconfig and S3 endpoint from the parent.
async function child (): Promise<void> {
  const kc = new KubeConfig()
  kc.loadFromString(process.env.BENCH_KUBECONFIG!)
  const client = createS3Client({ endpoint: process.env.BENCH_S3!, region: 'us-east-1', bucket: 'bench', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true })
  const file = join(process.env.BENCH_DIR!, 'snapshot.db')
  const restRss = process.memoryUsage().rss
  const copy = await timed(async () => {
    let n = 0
    const counting = new PassThrough()
    counting.on('data', (c: Buffer) => { n += c.length })
    const out = counting.pipe(createWriteStream(file))
    await execToStream(kc, ref, commands.cat(SNAPSHOT_PATH), counting)
    if (!out.closed) await once(out, 'close')
    return n
  })
  await unlink(file)
  const direct = await timed(async () => {
    let n = 0
    const body = new Transform({ transform (chunk: Buffer, _enc, done) { n += chunk.length; done(null, chunk) } })
    const settings = uploadSettings(loadConfig({}))
    const upload = new Upload({ client, queueSize: settings.queueSize, partSize: settings.partSizeBytes, params: { Bucket: 'bench', Key: `direct-${process.env.BENCH_SIZE}.db`, Body: body } })
    const done = upload.done()
    await execToStream(kc, ref, commands.cat(SNAPSHOT_PATH), body)
    await done
    return n
  })
  const stage = await timed(async () => {
    const spooled = await spoolFromPod(kc, ref, SNAPSHOT_PATH, file)
    await uploadFile(client, { bucket: 'bench', key: `bench-${process.env.BENCH_SIZE}.db`, file, size: spooled.size, metadata: { sha256: spooled.sha256 } }, uploadSettings(loadConfig({})))
    await unlink(file)
    return spooled.size
  })
  client.destroy()
  process.send!({ copy, direct, stage, restRss })
}

const mbps = (r: Run) => r.bytes / MiB / r.seconds
const mb = (n: number) => `${Math.round(n / MiB)} MB`

export async function benchEtcdSnapshotUpload (opts: { sizes?: string[] } = {}): Promise<void> {
  const sizes = opts.sizes ?? ['256Mi', '1Gi']
  const dir = await mkdtemp(join(tmpdir(), 'hcpgw-bench-etcd-'))
  const kube = await startKubeServer({ port: 0, crdDir: null, log: () => {} })
  const sim = await startHypershiftSim({ kubeconfig: kube.kubeconfig(), timing: { stepMs: 10 }, seedDemo: false, log: () => {} })
  const s3 = await startEmbeddedS3({ host: '127.0.0.1', port: 0, directory: join(dir, 's3'), buckets: ['bench'] })
  const kc = new KubeConfig()
  kc.loadFromString(kube.kubeconfig())
  try {
    const rendered = renderCluster({ name: 'bench', platform: 'none', releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64', pullSecret: '{}', none: { apiServerAddress: '10.0.0.1' } } as never)
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'clusters' } } })
    const objects = KubernetesObjectApi.makeApiClient(kc)
    for (const o of rendered.objects.filter(o => o.kind !== 'Namespace')) await objects.create(o as KubernetesObject)
    const deadline = Date.now() + 60_000
    while (!await execOk(kc, ref, commands.endpointHealth()).then(() => true, () => false)) {
      if (Date.now() > deadline) throw new Error('the twin cluster did not get a healthy etcd in 60 s')
      await sleep(100)
    }
    const settings = uploadSettings(loadConfig({}))
    console.log(`part size ${settings.partSizeBytes / MiB} MiB, queue size ${settings.queueSize}; measured in a child process`)
    for (const size of sizes) {
      await kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject({
        group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters', namespace: 'clusters', name: 'bench', body: { metadata: { annotations: { 'sim.hcp-gateway.io/etcd-db-size': size } } }
      }, MERGE)
      await execOk(kc, ref, commands.snapshotSave())
      const proc = fork(fileURLToPath(import.meta.url), ['--child'], {
        env: { ...process.env, BENCH_KUBECONFIG: kube.kubeconfig(), BENCH_S3: s3.endpoint, BENCH_DIR: dir, BENCH_SIZE: size }
      })
      const [result] = await once(proc, 'message') as [{ copy: Run, direct: Run, stage: Run, restRss: number }]
      await once(proc, 'exit')
      const { copy, direct, stage, restRss } = result
      const pct = (a: Run, b: Run) => `${(mbps(a) / mbps(b) * 100).toFixed(0)} %`
      console.log(`${size.padStart(6)}: (a) copy to a file ${mbps(copy).toFixed(0)} MiB/s, peak RSS ${mb(copy.peakRss)} | (c) direct to s3rver ${mbps(direct).toFixed(0)} MiB/s, peak RSS ${mb(direct.peakRss)} | (b) job stage ${mbps(stage).toFixed(0)} MiB/s, peak RSS ${mb(stage.peakRss)}`)
      console.log(`${''.padStart(6)}  (b)/(a) ${pct(stage, copy)}, (b)/(c) ${pct(stage, direct)} (target ≥ 80 %); RSS target ≤ 150 MB; ${mb(restRss)} before any copy`)
    }
  } finally {
    await sim.close()
    await s3.close()
    await kube.close()
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv.includes('--child')) {
  await child()
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '256Mi,1Gi' } } })
  await benchEtcdSnapshotUpload({ sizes: values.sizes.split(',') })
}
