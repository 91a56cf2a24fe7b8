import t from 'tap'
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node'
import { buildTestApp } from '../../../helpers/app.ts'
import { annotateCluster, createReadyCluster, etcdRevision, hostedCluster, replicasOf, waitJob, workerS3Env, writerState } from '../../../fixtures/backups/cluster.ts'

// The on-prem procedure (§1.4) in place, and the HCPEtcdBackup strategy, against the twin.
t.test('in-place restore brings the database back to the backup and the cluster back as it was', async t => {
  const { app, as, twin } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true, env: workerS3Env })
  const kc = twin.kubeConfig
  await createReadyCluster(app, as.operator, kc, 'onprem', { 'sim.hcp-gateway.io/etcd-db-size': '2Mi' }, { controllerAvailabilityPolicy: 'HighlyAvailable' })
  const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/onprem/backups', headers: as.operator, payload: { strategy: 'exec' } })
  const backup = await waitJob(app, as.viewer, post.json().id)
  t.equal(backup.state, 'succeeded', JSON.stringify(backup.error))
  const entry = backup.result as { id: string, revision: number }

  // The cluster moves on: more writes, a bigger database.
  await annotateCluster(kc, 'onprem', { 'sim.hcp-gateway.io/etcd-db-size': '3Mi', touched: 'yes' })
  for (let i = 0; i < 5; i++) await annotateCluster(kc, 'onprem', { touched: String(i) })
  const moved = await etcdRevision(kc, 'onprem')
  t.ok(moved > entry.revision, `the database moved on (${moved} > ${entry.revision})`)
  const before = await writerState(kc, 'onprem')

  t.equal((await app.inject({ method: 'POST', url: `/api/v1/backups/${entry.id}/restore`, headers: as.viewer, payload: { inPlace: true } })).statusCode, 403)
  const restore = await app.inject({ method: 'POST', url: `/api/v1/backups/${entry.id}/restore`, headers: as.operator, payload: { inPlace: true } })
  t.equal(restore.statusCode, 202, restore.body)
  const job = await waitJob(app, as.viewer, restore.json().id, undefined, 60000)
  t.equal(job.state, 'succeeded', JSON.stringify(job.error ?? job.stages))
  t.same(job.stages.map(s => s.name), ['pause', 'scale-down-writers', 'stop-etcd', 'restore-data', 'start-etcd', 'restart-control-plane', 'resume'])
  const revision = (job.result as { 'start-etcd': { revision: number } })['start-etcd'].revision
  t.ok(revision >= entry.revision && revision < moved, `etcd went back to the snapshot (${revision}, snapshot ${entry.revision}, before ${moved})`)

  const after = await writerState(kc, 'onprem')
  t.same(replicasOf(after), replicasOf(before), 'writers back')
  t.equal(after.pausedUntil, before.pausedUntil)
  t.same(after.markers, [])
  const etcd = await kc.makeApiClient(AppsV1Api).readNamespacedStatefulSet({ namespace: 'clusters-onprem', name: 'etcd' })
  t.equal(etcd.spec?.replicas, 3, 'etcd at its three members again')
  t.ok((await hostedCluster(kc, 'onprem')).metadata.annotations?.['hypershift.openshift.io/restart-date'], 'control plane restart requested')
})

t.test('a restore names an existing backup and exactly one target', async t => {
  const { app, as } = await buildTestApp(t, { twin: { hypershiftStepMs: 10 }, env: workerS3Env })
  const bad = await app.inject({ method: 'POST', url: '/api/v1/backups/nope/restore', headers: as.operator, payload: { inPlace: true } })
  t.equal(bad.statusCode, 404)
  const both = await app.inject({ method: 'POST', url: '/api/v1/backups/nope/restore', headers: as.operator, payload: { inPlace: true, newCluster: {} } })
  t.equal(both.statusCode, 400)
})

t.test('strategy hcpetcdbackup: HyperShift takes and uploads the snapshot, the job records it', async t => {
  const { app, as, twin } = await buildTestApp(t, {
    twin: { crdDir: 'shared', hypershiftStepMs: 10 },
    worker: true,
    env: { ...workerS3Env, BACKUP_HCPETCDBACKUP_CREDENTIALS_SECRET: 'etcd-backup-s3' }
  })
  const kc = twin.kubeConfig
  const core = kc.makeApiClient(CoreV1Api)
  await core.createNamespace({ body: { metadata: { name: 'hypershift' } } }).catch(() => {})
  await core.createNamespacedSecret({
    namespace: 'hypershift',
    body: {
      metadata: { name: 'etcd-backup-s3' },
      data: {
        credentials: Buffer.from('[default]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n').toString('base64'),
        endpoint: Buffer.from(twin.objectStore.endpoint!).toString('base64')
      }
    }
  })
  await createReadyCluster(app, as.operator, kc, 'hcp', { 'sim.hcp-gateway.io/etcd-db-size': '2Mi' })
  const before = await writerState(kc, 'hcp')
  const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/hcp/backups', headers: as.operator, payload: {} })
  t.equal(post.statusCode, 202)
  const job = await waitJob(app, as.viewer, post.json().id, undefined, 40000)
  t.equal(job.state, 'succeeded', JSON.stringify(job.error ?? job.stages))
  const entry = job.result as { strategy: string, objectKey: string, size: number, sha256: string }
  t.equal(entry.strategy, 'hcpetcdbackup', 'the default when served and configured')
  t.match(entry.objectKey, /^etcd-snapshots\/clusters\/hcp\/\d+\.db$/)
  t.equal(entry.size, 2 * 1024 * 1024)
  const url = await app.inject({ method: 'POST', url: `/api/v1/backups/${(job.result as { id: string }).id}/download-url`, headers: as.admin })
  const bytes = Buffer.from(await (await fetch(url.json().url)).arrayBuffer())
  t.equal((await import('node:crypto')).createHash('sha256').update(bytes).digest('hex'), entry.sha256)
  t.same(replicasOf(await writerState(kc, 'hcp')), replicasOf(before), 'no writer was stopped')

  const explicit = await app.inject({ method: 'POST', url: '/api/v1/clusters/hcp/backups', headers: as.operator, payload: { strategy: 'exec' } })
  t.equal(explicit.statusCode, 202, 'exec can still be asked for')
  t.equal((await waitJob(app, as.viewer, explicit.json().id, undefined, 40000)).state, 'succeeded')
})
