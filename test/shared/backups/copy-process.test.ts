// The snapshot copy in its child process against the twin's etcd pod and s3rver: what arrives is what the
// pod holds, and whatever breaks (a wrong digest, the exec, S3, a cancel) leaves no object behind.
import t from 'tap'
import { createHash } from 'node:crypto'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { copyInChildProcess, type CopyRequest } from '../../../shared/backups/copy-process.ts'
import { commands, parseSha256sum, parseSize, SNAPSHOT_PATH } from '../../../shared/backups/etcd-commands.ts'
import { execOk } from '../../../shared/backups/pod-exec.ts'
import { GatewayError } from '../../../shared/errors.ts'
import { createS3Client } from '../../../shared/storage/s3-client.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { annotateCluster, createReadyCluster } from '../../fixtures/backups/cluster.ts'

const ref = { namespace: 'clusters-copy', pod: 'etcd-0', container: 'etcd' }
const settings = { partSizeBytes: 8 * 1024 * 1024 }

t.test('copies a pod file to S3 in a child process, checked against the pod', async t => {
  const { app, as, twin } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 } })
  const kc = twin.kubeConfig
  await createReadyCluster(app, as.operator, kc, 'copy', { 'sim.hcp-gateway.io/etcd-db-size': '20Mi' })
  await execOk(kc, ref, commands.snapshotSave())
  const expected = { size: parseSize(await execOk(kc, ref, commands.size(SNAPSHOT_PATH))), sha256: parseSha256sum(await execOk(kc, ref, commands.sha256sum(SNAPSHOT_PATH))) }
  const s3 = createS3Client(twin.objectStore)
  t.teardown(() => s3.destroy())
  const bucket = twin.objectStore.bucket
  const request = (key: string, extra: Partial<CopyRequest> = {}): CopyRequest => ({
    ref, path: SNAPSHOT_PATH, store: twin.objectStore, target: { bucket, key, metadata: { sha256: expected.sha256 }, expected }, settings, ...extra
  })
  const exists = (key: string) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(() => true, () => false)

  const progress: number[] = []
  const copied = await copyInChildProcess(kc, request('ok.db'), { onBytes: n => progress.push(n) })
  t.same({ size: copied.size, sha256: copied.sha256 }, expected)
  t.ok(copied.peakRssBytes > 10 * 1024 * 1024, `the child reports its peak RSS (${Math.round(copied.peakRssBytes / 1048576)} MB)`)
  t.ok(progress.length >= 10 && progress.every((n, i) => i === 0 || n > progress[i - 1]), 'progress rises by the MiB')
  const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ok.db' }))
  t.equal(obj.Metadata?.sha256, expected.sha256)
  t.equal(createHash('sha256').update(await obj.Body!.transformToByteArray()).digest('hex'), expected.sha256, 'the object holds the pod\'s bytes')

  const wrong = request('wrong.db')
  wrong.target = { ...wrong.target, expected: { ...expected, sha256: '0'.repeat(64) } }
  await t.rejects(copyInChildProcess(kc, wrong), { name: 'GatewayError', code: 'GW_ERR_BACKUP_INTEGRITY', message: /differs from the file in etcd-0/ })
  t.notOk(await exists('wrong.db'), 'a copy that differs from the pod is deleted')

  await t.rejects(copyInChildProcess(kc, request('nobucket.db', { store: { ...twin.objectStore, bucket: 'no-such-bucket' }, target: { ...request('x').target, bucket: 'no-such-bucket' } })),
    { code: 'GW_ERR_UPSTREAM', message: /NoSuchBucket/ }, 'an S3 failure stops the exec too instead of hanging on a paused socket')

  await annotateCluster(kc, 'copy', { 'sim.hcp-gateway.io/fail-exec-after-bytes': String(12 * 1024 * 1024) })
  await t.rejects(copyInChildProcess(kc, request('dropped.db')), { code: 'GW_ERR_UPSTREAM', message: /ended without an exit status/ })
  t.notOk(await exists('dropped.db'), 'an exec dropped mid-stream leaves no object (the multipart upload is aborted)')
  await annotateCluster(kc, 'copy', { 'sim.hcp-gateway.io/fail-exec-after-bytes': null })

  const cancel = new AbortController()
  const reason = new GatewayError('GW_ERR_CONFLICT', 'cancelled by the test')
  const cancelled = copyInChildProcess(kc, request('cancelled.db'), { signal: cancel.signal, onBytes: () => cancel.abort(reason) })
  await t.rejects(cancelled, reason, 'a cancel rejects with its reason')
  t.notOk(await exists('cancelled.db'))
  await t.rejects(copyInChildProcess(kc, request('late.db'), { signal: cancel.signal }), reason, 'an aborted signal fails before any process starts')
})
