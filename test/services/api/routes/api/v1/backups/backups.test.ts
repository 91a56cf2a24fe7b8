import t from 'tap'
import { createHash } from 'node:crypto'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { CoreV1Api } from '@kubernetes/client-node'
import { buildTestApp } from '../../../../../../helpers/app.ts'
import { createS3Client } from '../../../../../../../shared/storage/s3-client.ts'
import { createReadyCluster, etcdRevision, hostedCluster, replicasOf, until, waitJob, workerS3Env, writerState } from '../../../../../../fixtures/backups/cluster.ts'

// A backup end to end against the twin: etcd exec, s3rver, the catalogue, then a restore into a new cluster.
t.test('a backup round-trips: catalogue, object, access rules, restore into a new cluster', async t => {
  const { app, as, twin } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true, env: workerS3Env })
  const kc = twin.kubeConfig
  await createReadyCluster(app, as.operator, kc, 'alpha', { 'sim.hcp-gateway.io/etcd-db-size': '3Mi' })
  const before = await writerState(kc, 'alpha')

  const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/alpha/backups', headers: as.operator, payload: { strategy: 'exec', note: 'first' } })
  t.equal(post.statusCode, 202, post.body)
  const jobId = post.json().id as string
  t.equal(post.headers.location, `/api/v1/jobs/${jobId}`)
  const again = await app.inject({ method: 'POST', url: '/api/v1/clusters/alpha/backups', headers: as.operator, payload: { strategy: 'exec' } })
  t.equal(again.json().id, jobId, 'a second backup while one runs is the same job')

  const job = await waitJob(app, as.viewer, jobId)
  t.equal(job.state, 'succeeded', JSON.stringify(job.error ?? job.stages))
  t.same(job.stages.map(s => s.name), ['check', 'pause', 'scale-down-writers', 'snapshot', 'upload', 'save-encryption-key', 'record', 'resume'])
  const entry = job.result as { id: string, objectKey: string, sha256: string, size: number, revision: number, bucket: string, encryptionKeyObject: string }
  t.match(entry.objectKey, /^etcd-snapshots\/clusters\/alpha\/\d{8}T\d{6}Z-\d+\.db$/)

  const after = await writerState(kc, 'alpha')
  t.same(replicasOf(after), replicasOf(before), 'writers back to their replicas')
  t.equal(after.pausedUntil, before.pausedUntil, 'pausedUntil as before')
  t.same(after.markers, [], 'no markers left')

  const s3 = createS3Client(twin.objectStore)
  t.teardown(() => s3.destroy())
  const obj = await s3.send(new GetObjectCommand({ Bucket: entry.bucket, Key: entry.objectKey }))
  const bytes = Buffer.from(await obj.Body!.transformToByteArray())
  t.equal(bytes.length, entry.size)
  t.equal(createHash('sha256').update(bytes).digest('hex'), entry.sha256, 'stored sha256 is the object\'s')
  t.equal(obj.Metadata?.sha256, entry.sha256, 'object metadata carries the essentials')
  t.equal(obj.Metadata?.revision, String(entry.revision))

  const list = await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha/backups', headers: as.viewer })
  t.equal(list.statusCode, 200, list.body)
  t.same(list.json().items.map((b: { id: string }) => b.id), [entry.id])
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/backups/${entry.id}`, headers: as.viewer })).json().note, 'first')
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/backups/${entry.id}`, headers: as.tenant })).statusCode, 404, 'outside the tenant = 404')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/clusters/alpha/backups', headers: as.tenant })).statusCode, 404)

  t.equal((await app.inject({ method: 'POST', url: `/api/v1/backups/${entry.id}/download-url`, headers: as.viewer })).statusCode, 403, 'viewer: no URL')
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/backups/${entry.id}/encryption-key`, headers: as.viewer })).statusCode, 403, 'viewer: no key')
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/backups/${entry.id}/encryption-key`, headers: as.operator })).statusCode, 403, 'operator: no key')
  const url = await app.inject({ method: 'POST', url: `/api/v1/backups/${entry.id}/download-url`, headers: as.admin })
  t.equal(url.statusCode, 200, url.body)
  t.ok(Date.parse(url.json().expiresAt) - Date.now() <= 3600_000)
  const fetched = Buffer.from(await (await fetch(url.json().url)).arrayBuffer())
  t.equal(createHash('sha256').update(fetched).digest('hex'), entry.sha256, 'the presigned URL serves the snapshot')
  const key = await app.inject({ method: 'GET', url: `/api/v1/backups/${entry.id}/encryption-key`, headers: as.admin })
  t.equal(key.statusCode, 200)
  const hc = await hostedCluster(kc, 'alpha')
  const core = kc.makeApiClient(CoreV1Api)
  const secret = await core.readNamespacedSecret({ namespace: 'clusters', name: hc.spec.secretEncryption.aescbc.activeKey.name })
  t.equal(key.json().key, secret.data?.key, 'the saved key is the cluster\'s')

  // Restore into a new cluster: the URL and the ORIGINAL key.
  const taken = await app.inject({ method: 'POST', url: `/api/v1/backups/${entry.id}/restore`, headers: as.operator, payload: { newCluster: { name: 'alpha', platform: 'none', releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64', pullSecret: '{}', none: { apiServerAddress: '10.0.0.1' } } } })
  t.equal(taken.statusCode, 409, 'the name must be new')
  const restored = await app.inject({
    method: 'POST',
    url: `/api/v1/backups/${entry.id}/restore`,
    headers: as.operator,
    payload: { newCluster: { name: 'beta', platform: 'none', releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64', pullSecret: '{"auths":{}}', baseDomain: 'example.com', none: { apiServerAddress: '10.0.0.1' } } }
  })
  t.equal(restored.statusCode, 201, restored.body)
  const beta = await hostedCluster(kc, 'beta')
  t.equal(beta.spec.etcd.managed.storage.restoreSnapshotURL.length, 1)
  const betaKey = await core.readNamespacedSecret({ namespace: 'clusters', name: beta.spec.secretEncryption.aescbc.activeKey.name })
  t.equal(betaKey.data?.key, key.json().key, 'the new cluster encrypts with the original key')
  const revision = await until('beta restored', async () => {
    const b = await hostedCluster(kc, 'beta')
    const cond = (b.status?.conditions ?? []).find((c: { type: string }) => c.type === 'HostedClusterRestoredFromBackup')
    return cond?.status === 'True' ? await etcdRevision(kc, 'beta') : undefined
  }, 30000)
  // The twin counts each HostedCluster write as an etcd write, so the revision moves on from the
  // snapshot's by the few status writes since; a fresh (unrestored) database would start at 1.
  t.ok(revision >= entry.revision && revision <= entry.revision + 30, `the restored database continues from the snapshot's revision ${entry.revision} (now ${revision})`)

  const del = await app.inject({ method: 'DELETE', url: `/api/v1/backups/${entry.id}`, headers: as.operator })
  t.equal(del.statusCode, 204)
  await t.rejects(s3.send(new HeadObjectCommand({ Bucket: entry.bucket, Key: entry.objectKey })))
  await t.rejects(s3.send(new HeadObjectCommand({ Bucket: entry.bucket, Key: entry.encryptionKeyObject })))
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/backups/${entry.id}`, headers: as.viewer })).statusCode, 404)
})
