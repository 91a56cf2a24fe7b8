import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { CoreV1Api } from '@kubernetes/client-node'
import { buildTestApp } from '../../../helpers/app.ts'
import type { TestTwin } from '../../../helpers/twin.ts'
import type { FaultRule } from '../../../../services/sim/kube/faults.ts'
import { createS3Client } from '../../../../shared/storage/s3-client.ts'
import { redisUrl, startTestWorkers } from '../../../helpers/jobs.ts'
import { processors } from '../../../../services/worker/processors.ts'
import { annotateCluster, createReadyCluster, replicasOf, setPausedUntil, until, waitJob, workerS3Env, writerState } from '../../../fixtures/backups/cluster.ts'

// Copy child processes (shared/backups/copy-child.ts) forked by a worker of this test: they inherit its
// QUEUE_PREFIX. Linux /proc; elsewhere none are seen.
async function copyProcessesOf (queuePrefix: string): Promise<number[]> {
  const found: number[] = []
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue
    const [cmdline, environ] = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8'), readFile(`/proc/${pid}/environ`, 'utf8')].map(p => p.catch(() => '')))
    if (cmdline.includes('copy-child.ts') && environ.split('\0').includes(`QUEUE_PREFIX=${queuePrefix}`)) found.push(Number(pid))
  }
  return found
}

// What the bucket holds for a cluster: a failed backup must leave nothing behind.
async function snapshotObjects (twin: TestTwin, cluster: string): Promise<string[]> {
  const s3 = createS3Client(twin.objectStore)
  try {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: twin.objectStore.bucket, Prefix: `etcd-snapshots/clusters/${cluster}/` }))
    return (out.Contents ?? []).map(o => o.Key!)
  } finally {
    s3.destroy()
  }
}

// Whatever goes wrong in an etcd snapshot, the cluster ends as it started: writers at their replicas,
// spec.pausedUntil as it was, no markers, no object in the bucket.
t.test('failures in the pod, the copy and the key leave the cluster as it was', async t => {
  const { app, as, twin } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true, env: workerS3Env })
  const kc = twin.kubeConfig
  await createReadyCluster(app, as.operator, kc, 'gamma', { 'sim.hcp-gateway.io/etcd-db-size': '4Mi' })
  // A value that is present but does not pause: it must come back as is, not be removed.
  await setPausedUntil(kc, 'gamma', 'false')
  const before = await writerState(kc, 'gamma')

  async function backupFails (what: string, code: RegExp, stage: string) {
    const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/gamma/backups', headers: as.operator, payload: { strategy: 'exec' } })
    t.equal(post.statusCode, 202, post.body)
    const job = await waitJob(app, as.viewer, post.json().id, undefined, 40000)
    t.equal(job.state, 'failed', `${what}: the job fails`)
    t.match(job.error?.code, code, `${what}: ${job.error?.message}`)
    t.equal(job.stages.find(s => s.state === 'failed')?.name, stage, `${what}: fails in ${stage}`)
    const after = await until(`${what}: writers back`, async () => {
      const s = await writerState(kc, 'gamma')
      return s.markers.length === 0 ? s : undefined
    })
    t.same(replicasOf(after), replicasOf(before), `${what}: writers at their replicas`)
    t.equal(after.pausedUntil, 'false', `${what}: pausedUntil as it was`)
    t.same(await snapshotObjects(twin, 'gamma'), [], `${what}: nothing left in the bucket`)
  }

  await annotateCluster(kc, 'gamma', { 'sim.hcp-gateway.io/fail-snapshot': 'true' })
  await backupFails('snapshot save fails', /GW_ERR_UPSTREAM/, 'snapshot')
  await annotateCluster(kc, 'gamma', { 'sim.hcp-gateway.io/fail-snapshot': null, 'sim.hcp-gateway.io/fail-exec-after-bytes': '1048576' })
  await backupFails('the exec stream breaks mid-copy', /GW_ERR_UPSTREAM/, 'upload')
  await annotateCluster(kc, 'gamma', { 'sim.hcp-gateway.io/fail-exec-after-bytes': null })

  // Cancel while the upload runs: Upload.abort(), cleanup, cluster back.
  await annotateCluster(kc, 'gamma', { 'sim.hcp-gateway.io/etcd-db-size': '96Mi' })
  const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/gamma/backups', headers: as.operator, payload: { strategy: 'exec' } })
  const id = post.json().id as string
  await waitJob(app, as.viewer, id, j => j.stages[4].state === 'running' || ['succeeded', 'failed'].includes(j.state), 40000)
  const cancel = await app.inject({ method: 'POST', url: `/api/v1/jobs/${id}/cancel`, headers: as.operator })
  t.equal(cancel.statusCode, 202, cancel.body)
  const cancelled = await waitJob(app, as.viewer, id, undefined, 40000)
  t.equal(cancelled.state, 'cancelled')
  const after = await until('writers back after cancel', async () => {
    const s = await writerState(kc, 'gamma')
    return s.markers.length === 0 ? s : undefined
  })
  t.same(replicasOf(after), replicasOf(before))
  t.equal(after.pausedUntil, 'false')
  t.same(await snapshotObjects(twin, 'gamma'), [], 'the cancelled multipart upload left no object')
  const list = await app.inject({ method: 'GET', url: '/api/v1/clusters/gamma/backups', headers: as.viewer })
  t.same(list.json().items, [], 'nothing recorded by failed or cancelled backups')

  // Last, as it breaks the cluster for good: the encryption key Secret is gone.
  await annotateCluster(kc, 'gamma', { 'sim.hcp-gateway.io/etcd-db-size': '1Mi' })
  const core = kc.makeApiClient(CoreV1Api)
  await core.deleteNamespacedSecret({ namespace: 'clusters', name: 'gamma-etcd-encryption-key' })
  await backupFails('the encryption key is missing', /GW_ERR_CONFLICT/, 'save-encryption-key')
})

// The management cluster failing the requests of each stage in turn (the twin answers them with a 500).
// A backup submitted again after a failure resumes that job from its failed stage, so each case runs the
// stages before its own again; resume gets a cluster of its own, and its fault (on scaling a writer)
// starts once the writers are down, while the upload runs.
t.test('a management-cluster failure at every other stage leaves the cluster as it was', async t => {
  const { app, as, twin, config } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true, env: workerS3Env })
  const kc = twin.kubeConfig
  const hostedCluster = (name: string) => new RegExp(`/namespaces/clusters/hostedclusters/${name}$`)
  const scale = (name: string, deployment: string) => new RegExp(`/namespaces/clusters-${name}/deployments/${deployment}/scale$`)
  const cases: Array<{ cluster: string, stage: string, rule: FaultRule, from?: string }> = [
    { cluster: 'eps', stage: 'check', rule: { method: 'GET', path: hostedCluster('eps') } },
    { cluster: 'eps', stage: 'pause', rule: { method: 'PATCH', path: hostedCluster('eps') } },
    // The last writer: the two before it are already at 0 and must come back.
    { cluster: 'eps', stage: 'scale-down-writers', rule: { method: 'PUT', path: scale('eps', 'openshift-oauth-apiserver') } },
    { cluster: 'eps', stage: 'record', rule: { method: 'POST', path: new RegExp(`/namespaces/${config.GATEWAY_NAMESPACE}/configmaps$`) } },
    // Both attempts' resume and the first undo fail; the undo of the last attempt gets through.
    { cluster: 'zeta', stage: 'resume', rule: { method: 'PUT', path: scale('zeta', 'kube-apiserver'), times: 3 }, from: 'upload' }
  ]
  const before: Record<string, Awaited<ReturnType<typeof writerState>>> = {}
  for (const cluster of ['eps', 'zeta']) {
    await createReadyCluster(app, as.operator, kc, cluster, { 'sim.hcp-gateway.io/etcd-db-size': '8Mi' })
    await setPausedUntil(kc, cluster, 'false')
    before[cluster] = await writerState(kc, cluster)
  }
  for (const { cluster, stage, rule, from } of cases) {
    let fault = from ? undefined : twin.kube.faults.inject(rule)
    const post = await app.inject({ method: 'POST', url: `/api/v1/clusters/${cluster}/backups`, headers: as.operator, payload: { strategy: 'exec' } })
    t.equal(post.statusCode, 202, post.body)
    if (from) {
      await waitJob(app, as.viewer, post.json().id, j => j.stages.find(s => s.name === from)?.state === 'running', 40000)
      fault = twin.kube.faults.inject(rule)
    }
    const job = await waitJob(app, as.viewer, post.json().id, undefined, 40000)
    fault!.remove()
    t.equal(job.state, 'failed', `${stage}: the job fails`)
    t.equal(job.stages.find(s => s.state === 'failed')?.name, stage, `${stage}: in ${stage}: ${job.error?.message}`)
    t.ok(fault!.hits() > 0, `${stage}: the fault was hit`)
    const after = await until(`${stage}: writers back`, async () => {
      const s = await writerState(kc, cluster)
      return s.markers.length === 0 ? s : undefined
    })
    t.same(replicasOf(after), replicasOf(before[cluster]), `${stage}: writers at their replicas`)
    t.equal(after.pausedUntil, 'false', `${stage}: pausedUntil as it was`)
    const recorded = (await app.inject({ method: 'GET', url: `/api/v1/clusters/${cluster}/backups`, headers: as.viewer })).json().items as Array<{ objectKey: string }>
    if (stage === 'resume') {
      t.equal(recorded.length, 1, 'a failed resume keeps the backup it recorded')
      t.ok((await snapshotObjects(twin, cluster)).includes(recorded[0]?.objectKey))
    } else {
      t.same(recorded, [], `${stage}: nothing recorded`)
      t.same(await snapshotObjects(twin, cluster), [], `${stage}: nothing left in the bucket`)
    }
  }

  // Submitted again without faults, the failed backup resumes at record; the object its failed attempt
  // uploaded was removed, so it is taken and uploaded again rather than recorded as a dangling entry.
  const again = await app.inject({ method: 'POST', url: '/api/v1/clusters/eps/backups', headers: as.operator, payload: { strategy: 'exec' } })
  const done = await waitJob(app, as.viewer, again.json().id, undefined, 40000)
  t.equal(done.state, 'succeeded', JSON.stringify(done.error))
  const entry = done.result as { objectKey: string }
  t.same(await snapshotObjects(twin, 'eps'), [entry.objectKey, `${entry.objectKey}.encryption-key`].sort(), 'the recorded backup has its objects, and only those exist')
  t.same(replicasOf(await writerState(kc, 'eps')), replicasOf(before.eps))
})

t.test('an S3 failure (no such bucket) fails the upload and leaves the cluster as it was', async t => {
  const { app, as, twin } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true, env: { ...workerS3Env, BACKUP_BUCKET: 'no-such-bucket' } })
  const kc = twin.kubeConfig
  await createReadyCluster(app, as.operator, kc, 'delta')
  const before = await writerState(kc, 'delta')
  const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/delta/backups', headers: as.operator, payload: {} })
  t.equal(post.statusCode, 202)
  const job = await waitJob(app, as.viewer, post.json().id, undefined, 40000)
  t.equal(job.state, 'failed')
  t.equal(job.stages.find(s => s.state === 'failed')?.name, 'upload')
  t.match(job.error?.message, /NoSuchBucket|no-such-bucket/)
  const after = await until('writers back', async () => {
    const s = await writerState(kc, 'delta')
    return s.markers.length === 0 ? s : undefined
  })
  t.same(replicasOf(after), replicasOf(before))
  t.equal(after.pausedUntil, undefined, 'pausedUntil removed again (it was absent)')
})

t.test('a worker killed mid-backup: the next one restores the cluster first, then finishes the backup', async t => {
  const fastStalls = { JOB_LOCK_MS: '1000', JOB_STALLED_INTERVAL_MS: '300' }
  const { app, as, twin, config } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, env: workerS3Env })
  const kc = twin.kubeConfig
  await createReadyCluster(app, as.operator, kc, 'kappa', { 'sim.hcp-gateway.io/etcd-db-size': '64Mi' })
  const before = await writerState(kc, 'kappa')

  const child = spawn(process.execPath, [fileURLToPath(new URL('../../../fixtures/backups/snapshot-worker.ts', import.meta.url))], {
    env: { ...process.env, ...workerS3Env, ...fastStalls, QUEUE_PREFIX: config.QUEUE_PREFIX, TEST_REDIS_URL: redisUrl, TEST_KUBECONFIG_YAML: twin.kube.kubeconfig() },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const lines = createInterface({ input: child.stdout! })
  const [first] = await once(lines, 'line') as [string]
  t.equal(first, 'ready')

  const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/kappa/backups', headers: as.operator, payload: { strategy: 'exec' } })
  const id = post.json().id as string
  // Killed while its copy child streams the snapshot to S3.
  const mid = await waitJob(app, as.viewer, id, j => (j.stages[4].state === 'running' && (j.progress.bytesDone ?? 0) > 0) || j.state === 'succeeded', 30000)
  t.ok((await copyProcessesOf(config.QUEUE_PREFIX)).length > 0, 'a copy process is running')
  child.kill('SIGKILL')
  await once(child, 'exit')
  t.not(mid.state, 'succeeded')
  await until('the orphaned copy process gone', async () => (await copyProcessesOf(config.QUEUE_PREFIX)).length === 0, 10000)
  t.pass('the copy process saw its worker go and exited')
  const paused = await writerState(kc, 'kappa')
  t.equal(paused.pausedUntil, 'true', 'the killed worker left the cluster paused')
  t.ok(paused.markers.length > 0, 'with markers that say what to put back')

  // The taker-over holds its lock longer: this process also runs the twin and s3rver, so renewals can lag.
  await startTestWorkers(t, { prefix: config.QUEUE_PREFIX, processors, kubeConfig: kc, env: { ...workerS3Env, JOB_LOCK_MS: '10000', JOB_STALLED_INTERVAL_MS: '300' } })
  const done = await waitJob(app, as.viewer, id, undefined, 40000)
  t.equal(done.state, 'succeeded', JSON.stringify(done.error))
  const after = await writerState(kc, 'kappa')
  t.same(replicasOf(after), replicasOf(before), 'writers back to their replicas')
  t.equal(after.pausedUntil, undefined, 'pausedUntil absent again, as before')
  t.same(after.markers, [])
  const list = await app.inject({ method: 'GET', url: '/api/v1/clusters/kappa/backups', headers: as.viewer })
  t.equal(list.json().items.length, 1, 'the backup was recorded once')
  const entry = list.json().items[0] as { objectKey: string }
  t.same(await snapshotObjects(twin, 'kappa'), [entry.objectKey, `${entry.objectKey}.encryption-key`].sort(), 'the killed copy left no object')
})
