// Benchmark: the upload stage of the etcd-snapshot job on a twin cluster whose etcd database is
// 256 MiB and then 1 GiB, against plain copies of the same bytes measured in the same run:
//   (a) copy    the exec `cat` of the snapshot into a local file
//   (c) direct  the exec `cat` piped into lib-storage's Upload (its defaults: 5 MiB parts, 4 at once):
//               a plain copy of the same bytes from the twin to s3rver, with no hash and no checks
//   (b) stage   what the job does: stat and sha256sum in the pod, then the copy child process
//               (exec `cat` → sha256 → parts streamed one after another, checked against the pod's digest)
// Targets: (b) ≥ 80 % of (c); the copying process's peak RSS ≤ 150 MB and flat as the size grows.
// Every copy runs in its own process (peak RSS = its getrusage maxrss); the twin and s3rver run here.
//
//   node bench/etcd-snapshot-upload.ts [--sizes 256Mi,1Gi]
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node'
import { startHypershiftSim } from '../services/sim/hypershift/index.ts'
import { startKubeServer } from '../services/sim/kube/server.ts'
import { startEmbeddedS3 } from '../services/sim/s3.ts'
import { copyInChildProcess } from '../shared/backups/copy-process.ts'
import { commands, parseSha256sum, parseSize, SNAPSHOT_PATH } from '../shared/backups/etcd-commands.ts'
import { uploadSettings } from '../shared/backups/object-store.ts'
import { execOk, type PodRef } from '../shared/backups/pod-exec.ts'
import { loadConfig } from '../shared/config.ts'
import { renderCluster } from '../shared/hypershift/render/render-cluster.ts'

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
const MiB = 1024 * 1024
const ref: PodRef = { namespace: 'clusters-bench', pod: 'etcd-0', container: 'etcd' }

interface Run { bytes: number, seconds: number, peakRss: number }

const mbps = (r: Run) => r.bytes / MiB / r.seconds
const mb = (n: number) => `${Math.round(n / MiB)} MB`

async function plainCopy (mode: 'copy' | 'direct', env: Record<string, string>): Promise<Run> {
  const proc = fork(new URL('./etcd-snapshot-upload-child.ts', import.meta.url), [mode], { env: { ...process.env, ...env } })
  const [run] = await once(proc, 'message') as [Run]
  await once(proc, 'exit')
  return run
}

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
    console.log(`job part size ${settings.partSizeBytes / MiB} MiB; each copy in its own process`)
    for (const size of sizes) {
      await kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject({
        group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters', namespace: 'clusters', name: 'bench', body: { metadata: { annotations: { 'sim.hcp-gateway.io/etcd-db-size': size } } }
      }, MERGE)
      await execOk(kc, ref, commands.snapshotSave())
      const env = { BENCH_SERVER: kube.url, BENCH_S3: s3.endpoint, BENCH_DIR: dir, BENCH_SIZE: size }
      const copy = await plainCopy('copy', env)
      const direct = await plainCopy('direct', env)
      const began = process.hrtime.bigint()
      const expected = { size: parseSize(await execOk(kc, ref, commands.size(SNAPSHOT_PATH))), sha256: parseSha256sum(await execOk(kc, ref, commands.sha256sum(SNAPSHOT_PATH))) }
      const copied = await copyInChildProcess(kc, {
        ref,
        path: SNAPSHOT_PATH,
        store: { endpoint: s3.endpoint, region: 'us-east-1', bucket: 'bench', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true },
        target: { bucket: 'bench', key: `stage-${size}.db`, metadata: { sha256: expected.sha256 }, expected },
        settings
      })
      const stage: Run = { bytes: copied.size, seconds: Number(process.hrtime.bigint() - began) / 1e9, peakRss: copied.peakRssBytes }
      const pct = (a: Run, b: Run) => `${(mbps(a) / mbps(b) * 100).toFixed(0)} %`
      console.log(`${size.padStart(6)}: (a) copy to a file ${mbps(copy).toFixed(0)} MiB/s, peak RSS ${mb(copy.peakRss)} | (c) direct to s3rver ${mbps(direct).toFixed(0)} MiB/s, peak RSS ${mb(direct.peakRss)} | (b) job stage ${mbps(stage).toFixed(0)} MiB/s, peak RSS ${mb(stage.peakRss)}`)
      console.log(`${''.padStart(6)}  (b)/(c) ${pct(stage, direct)} (target ≥ 80 %), (b)/(a) ${pct(stage, copy)}; peak RSS of the copying process ${mb(stage.peakRss)} (target ≤ 150 MB)`)
    }
  } finally {
    await sim.close()
    await s3.close()
    await kube.close()
    await rm(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '256Mi,1Gi' } } })
  await benchEtcdSnapshotUpload({ sizes: values.sizes.split(',') })
}
