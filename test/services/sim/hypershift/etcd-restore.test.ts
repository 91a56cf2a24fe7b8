import t from 'tap'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { ETCDCTL, G, NS, startEtcdTwin, startTestS3, waitFor } from '../../../helpers/etcd-twin.ts'

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
const BUCKET = 'etcd-restore'
const twin = await startEtcdTwin(t)
const s3srv = await startTestS3(t, BUCKET)
const s3 = new S3Client({ endpoint: s3srv.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3srv.accessKeyId, secretAccessKey: s3srv.secretAccessKey } })
t.teardown(() => s3.destroy())
// HostedCluster validation admits only https:// and s3:// URLs; the twin fetches loopback https as http
const https = (url: string) => url.replace(/^http:/, 'https:')
const presignGet = async (key: string) => https(await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 600 }))
const condition = async (name: string) => (await twin.getHostedCluster(name)).status?.conditions?.find(c => c.type === 'HostedClusterRestoredFromBackup')

await twin.createCluster('src', { annotations: { 'sim.hcp-gateway.io/etcd-db-size': '4Mi' } })
await twin.waitEtcdReady('src')
await twin.custom.patchNamespacedCustomObject({ ...G, plural: 'hostedclusters', namespace: NS, name: 'src', body: { spec: { pausedUntil: 'true' } } }, MERGE)
await twin.sim.idle()

t.test('a new cluster restores a snapshot uploaded from another cluster', async (t) => {
  t.equal((await twin.exec('src', [...ETCDCTL, 'snapshot', 'save', '/var/lib/data/snapshot.db'])).exitCode, 0)
  const snap = JSON.parse((await twin.exec('src', ['etcdctl', '-w', 'json', 'snapshot', 'status', '/var/lib/data/snapshot.db'])).stdout)
  // upload from inside the pod to a presigned PUT, as the seed notes suggest
  const put = https(await getSignedUrl(s3, new PutObjectCommand({ Bucket: BUCKET, Key: 'src/snapshot.db' }), { expiresIn: 600 }))
  const up = await twin.exec('src', ['curl', '-sS', '-f', '-X', 'PUT', '-T', '/var/lib/data/snapshot.db', put])
  t.equal(up.exitCode, 0, up.stderr)

  await twin.createCluster('dst', { restoreSnapshotURL: await presignGet('src/snapshot.db') })
  const cond = await waitFor('restored', async () => {
    const c = await condition('dst')
    return c?.status === 'True' ? c : undefined
  }, 15_000)
  t.match(cond, { reason: 'RecoveryFinished', message: /^etcd restored from snapshot https:\/\/127\.0\.0\.1:\d+\/etcd-restore\/src\/snapshot\.db$/ })
  await twin.waitEtcdReady('dst')
  await twin.custom.patchNamespacedCustomObject({ ...G, plural: 'hostedclusters', namespace: NS, name: 'dst', body: { spec: { pausedUntil: 'true' } } }, MERGE)
  await twin.sim.idle()
  const restored = JSON.parse((await twin.exec('dst', [...ETCDCTL, 'endpoint', 'status', '-w', 'json'])).stdout)[0].Status
  t.equal(restored.dbSize, snap.totalSize)
  t.ok(restored.header.revision >= snap.revision, 'continues from the snapshot revision')
  t.equal((await twin.exec('dst', ['ls', '/tmp'])).stdout, '', 'the download was cleaned up')
})

t.test('a missing or foreign object fails the restore with a reason', async (t) => {
  await twin.createCluster('gone', { restoreSnapshotURL: await presignGet('nope.db') })
  const missing = await waitFor('missing', async () => await condition('gone'), 15_000)
  t.match(missing, { status: 'False', reason: 'EtcdSnapshotRestoreFailed', message: /^download failed \(exit code 22\): curl: \(22\) The requested URL returned error: 404/ })

  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'text.db', Body: 'not a snapshot' }))
  await twin.createCluster('foreign', { restoreSnapshotURL: await presignGet('text.db') })
  const foreign = await waitFor('foreign', async () => await condition('foreign'), 15_000)
  t.match(foreign, { status: 'False', reason: 'EtcdSnapshotRestoreFailed', message: /^snapshot status failed \(exit code 1\): Error: invalid database/ })
})
