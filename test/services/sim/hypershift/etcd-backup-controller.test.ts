import t from 'tap'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import type { Readable } from 'node:stream'
import { verifySnapshotStream } from '../../../../services/sim/etcd/snapshot-format.ts'
import { G, NS, startEtcdTwin, startTestS3, waitFor } from '../../../helpers/etcd-twin.ts'

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
const BUCKET = 'hcp-etcd-backups'
const SIZE = 12 * 1024 * 1024
const CP = `${NS}-bk`
const twin = await startEtcdTwin(t)
const s3srv = await startTestS3(t, BUCKET)
const s3 = new S3Client({ endpoint: s3srv.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3srv.accessKeyId, secretAccessKey: s3srv.secretAccessKey } })
t.teardown(() => s3.destroy())

await twin.core.createNamespacedSecret({
  namespace: 'hypershift',
  body: {
    metadata: { name: 'etcd-backup-creds' },
    data: {
      credentials: Buffer.from(`[default]\naws_access_key_id = ${s3srv.accessKeyId}\naws_secret_access_key = ${s3srv.secretAccessKey}\n`).toString('base64'),
      endpoint: Buffer.from(s3srv.endpoint).toString('base64')
    }
  }
})
await twin.createCluster('bk', { annotations: { 'sim.hcp-gateway.io/etcd-db-size': '12Mi' } })
await twin.waitEtcdReady('bk')

type Cond = { type: string, status: string, reason: string, message: string }
type Backup = { status?: { conditions?: Cond[], snapshotURL?: string } }
const create = async (name: string, creds = 'etcd-backup-creds') => await twin.custom.createNamespacedCustomObject({
  ...G,
  plural: 'hcpetcdbackups',
  namespace: CP,
  body: {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HCPEtcdBackup',
    metadata: { name },
    spec: { storage: { storageType: 'S3', s3: { bucket: BUCKET, region: 'us-east-1', keyPrefix: 'hcp/bk', credentials: { name: creds } } } }
  }
})
const get = async (name: string) => await twin.custom.getNamespacedCustomObject({ ...G, plural: 'hcpetcdbackups', namespace: CP, name }) as Backup
const completed = (b: Backup) => b.status?.conditions?.find(c => c.type === 'BackupCompleted')
const settle = async (name: string) => await waitFor(`${name} done`, async () => {
  const b = await get(name)
  const c = completed(b)
  return c !== undefined && ['BackupSucceeded', 'BackupFailed', 'BackupRejected'].includes(c.reason) ? b : undefined
}, 20_000)
const patchHc = async (body: object) => await twin.custom.patchNamespacedCustomObject({ ...G, plural: 'hostedclusters', namespace: NS, name: 'bk', body }, MERGE)

t.test('a backup uploads a verifiable snapshot and reports it', async (t) => {
  await create('first')
  const b = await settle('first')
  t.match(completed(b), { status: 'True', reason: 'BackupSucceeded' })
  const m = /^s3:\/\/hcp-etcd-backups\/(hcp\/bk\/\d+\.db)$/.exec(b.status?.snapshotURL ?? '')
  t.ok(m, `snapshotURL ${b.status?.snapshotURL}`)
  const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: m![1] }))
  t.equal(obj.ContentLength, SIZE)
  t.match(await verifySnapshotStream(obj.Body as Readable), { ok: true, desc: { size: SIZE } })
  const hc = await twin.getHostedCluster('bk')
  t.match(hc.status?.conditions?.find(c => c.type === 'EtcdBackupSucceeded'), { status: 'True', reason: 'BackupSucceeded', message: `last etcd backup: ${b.status?.snapshotURL}` })
  // the vendored HostedCluster CRD predates status.lastSuccessfulEtcdBackupURL: validation prunes it
  t.equal(hc.status?.lastSuccessfulEtcdBackupURL, twin.crdDir === null ? b.status?.snapshotURL : undefined)
  t.equal((await twin.exec('bk', ['ls', '/var/lib/data'])).stdout, '', 'the snapshot file was removed from the pod')
})

t.test('a second concurrent backup is rejected', async (t) => {
  await Promise.all([create('twin-a'), create('twin-b')])
  const reasons = (await Promise.all([settle('twin-a'), settle('twin-b')])).map(b => completed(b)?.reason).sort()
  t.same(reasons, ['BackupRejected', 'BackupSucceeded'])
})

t.test('unhealthy etcd holds the backup until it recovers', async (t) => {
  await patchHc({ spec: { pausedUntil: 'true' } })
  await twin.apps.patchNamespacedStatefulSet({ namespace: CP, name: 'etcd', body: { spec: { replicas: 0 } } }, MERGE)
  await waitFor('etcd down', async () => (await twin.core.listNamespacedPod({ namespace: CP, labelSelector: 'app=etcd' })).items.length === 0)
  await create('during-outage')
  const held = await waitFor('EtcdUnhealthy', async () => {
    const c = completed(await get('during-outage'))
    return c?.reason === 'EtcdUnhealthy' ? c : undefined
  })
  t.match(held, { status: 'False' })
  await patchHc({ spec: { pausedUntil: null } })
  t.match(completed(await settle('during-outage')), { status: 'True', reason: 'BackupSucceeded' })
})

t.test('failures end in BackupFailed', async (t) => {
  await create('no-creds', 'missing-secret')
  t.match(completed(await settle('no-creds')), { status: 'False', reason: 'BackupFailed', message: /credentials secret hypershift\/missing-secret: not found/ })
  await patchHc({ metadata: { annotations: { 'sim.hcp-gateway.io/fail-exec-after-bytes': String(6 * 1024 * 1024) } } })
  t.teardown(() => patchHc({ metadata: { annotations: { 'sim.hcp-gateway.io/fail-exec-after-bytes': null } } }))
  await create('dropped')
  t.match(completed(await settle('dropped')), { status: 'False', reason: 'BackupFailed', message: /dropped/ })
  const hc = await twin.getHostedCluster('bk')
  t.match(hc.status?.conditions?.find(c => c.type === 'EtcdBackupSucceeded'), { status: 'False', reason: 'BackupFailed' })
})
