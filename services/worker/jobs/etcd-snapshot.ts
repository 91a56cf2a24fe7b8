import { CoreV1Api } from '@kubernetes/client-node'
import { backupId, encryptionKeyObjectKey, objectMetadata, snapshotObjectKey, type BackupEntry } from '../../../shared/backups/catalogue.ts'
import { copyInChildProcess } from '../../../shared/backups/copy-process.ts'
import { allReady, createControlPlane, noneReady, type PauseRecord, type ReplicaRecord } from '../../../shared/backups/control-plane.ts'
import {
  ETCD_CONTAINER, ETCD_SNAPSHOT_POD, SNAPSHOT_PATH, WRITER_DEPLOYMENTS, commands, isHealthyOutput, parseSha256sum, parseSize, parseSnapshotStatus
} from '../../../shared/backups/etcd-commands.ts'
import { deleteKeys, objectSize, putSmallObject, uploadSettings, workerS3Client, workerS3Settings } from '../../../shared/backups/object-store.ts'
import { EtcdSnapshotParamsSchema, parseParams, type EtcdSnapshotParams } from '../../../shared/backups/params.ts'
import { execCapture, execOk, type PodRef } from '../../../shared/backups/pod-exec.ts'
import { createBackupRecords } from '../../../shared/backups/records.ts'
import { GatewayError } from '../../../shared/errors.ts'
import { JobKinds } from '../../../shared/jobs/kinds.ts'
import { isKubeNotFound } from '../../../shared/kube/kube-errors.ts'
import { defineJob, type JobContext, type StageDefinition } from './define-job.ts'
import { permanent } from './errors.ts'
import { digestHcpSnapshot, takeHcpSnapshot } from './etcd-snapshot-hcp.ts'

export const ETCD_SNAPSHOT_STAGES = ['check', 'pause', 'scale-down-writers', 'snapshot', 'upload', 'save-encryption-key', 'record', 'resume'] as const
const [CHECK, PAUSE, SCALE_DOWN, SNAPSHOT, UPLOAD, SAVE_KEY, RECORD, RESUME] = ETCD_SNAPSHOT_STAGES

type Ctx = JobContext<EtcdSnapshotParams>

export interface SnapshotOutput {
  backupId: string
  takenAt: string
  objectKey: string
  revision?: number
  etcdHash?: number
  totalSize?: number
  totalKey?: number
}

export interface UploadOutput {
  bucket: string
  objectKey: string
  sha256: string
  size: number
}

interface KeyOutput { encryptionKeyObject?: string, encryption: 'aescbc' | 'kms' | 'none' }

const podRef = (ctx: Ctx): PodRef => ({ namespace: `${ctx.params.namespace}-${ctx.params.name}`, pod: ETCD_SNAPSHOT_POD, container: ETCD_CONTAINER })
const waitMs = (ctx: Ctx) => ctx.config.BACKUP_WAIT_SECONDS * 1000
const execOpts = (ctx: Ctx) => ({ signal: ctx.signal, timeoutMs: waitMs(ctx) })

async function check (ctx: Ctx) {
  const cp = createControlPlane(ctx.kube, ctx.params)
  const hc = await cp.hostedCluster()
  const what = `hosted cluster ${ctx.params.namespace}/${ctx.params.name}`
  if (!hc) throw permanent(new GatewayError('GW_ERR_NOT_FOUND', `${what} not found`))
  if (hc.metadata.deletionTimestamp) throw permanent(new GatewayError('GW_ERR_CONFLICT', `${what} is being deleted`))
  const conditions = (hc.status?.conditions ?? []) as Array<{ type?: string, status?: string, message?: string }>
  const etcd = conditions.find(c => c.type === 'EtcdAvailable')
  if (etcd && etcd.status !== 'True') throw new GatewayError('GW_ERR_ETCD_UNHEALTHY', `${what}: EtcdAvailable is ${etcd.status}: ${etcd.message ?? ''}`.trim())
  if (ctx.params.strategy === 'exec') {
    const r = await execCapture(ctx.kube, podRef(ctx), commands.endpointHealth(), execOpts(ctx))
    if (r.exitCode !== 0 || !isHealthyOutput(r.stdout)) {
      throw new GatewayError('GW_ERR_ETCD_UNHEALTHY', `${what}: etcdctl endpoint health in ${ETCD_SNAPSHOT_POD}: ${(r.stdout + r.stderr).trim().slice(0, 500)}`)
    }
  }
  return { controlPlaneNamespace: cp.controlPlaneNamespace, etcdAvailable: etcd?.status ?? 'Unknown' }
}

// Pause, then the etcd writers to zero (§1.5 steps 1–2, in the control-plane namespace: doc bug (i)).
async function pause (ctx: Ctx): Promise<PauseRecord | { skipped: string }> {
  if (ctx.params.strategy !== 'exec') return { skipped: 'the HCPEtcdBackup controller snapshots a live etcd' }
  return await createControlPlane(ctx.kube, ctx.params).pause()
}

// Pauses again first: a retry that starts here has undone the earlier attempt's pause, and an operator
// that is not paused would scale the writers straight back up.
async function scaleDownWriters (ctx: Ctx): Promise<{ replicas: ReplicaRecord } | { skipped: string }> {
  if (ctx.params.strategy !== 'exec') return { skipped: 'not needed by HCPEtcdBackup' }
  const cp = createControlPlane(ctx.kube, ctx.params)
  ctx.outputs[PAUSE] = await cp.pause()
  const replicas = await cp.scaleDown('Deployment', WRITER_DEPLOYMENTS)
  await cp.waitReplicas('Deployment', WRITER_DEPLOYMENTS, noneReady, {
    signal: ctx.signal,
    timeoutMs: waitMs(ctx),
    onWait: left => ctx.progress({ message: `waiting for ${left.join(', ')} to have no ready pods` })
  })
  return { replicas }
}

async function takeSnapshot (ctx: Ctx): Promise<SnapshotOutput> {
  if (ctx.params.strategy === 'hcpetcdbackup') return await takeHcpSnapshot(ctx)
  // After a restart undid the pause, the snapshot needs the writers stopped again (re-entrant).
  ctx.outputs[SCALE_DOWN] = await scaleDownWriters(ctx)
  const ref = podRef(ctx)
  ctx.progress({ message: `etcdctl snapshot save ${SNAPSHOT_PATH} in ${ref.pod}` })
  await execOk(ctx.kube, ref, commands.snapshotSave(), execOpts(ctx))
  const status = parseSnapshotStatus(await execOk(ctx.kube, ref, commands.snapshotStatus(), execOpts(ctx)))
  const at = new Date()
  return {
    backupId: backupId(ctx.params.name, at),
    takenAt: at.toISOString(),
    objectKey: snapshotObjectKey(ctx.params.namespace, ctx.params.name, at, status.revision),
    revision: status.revision,
    etcdHash: status.hash,
    totalSize: status.totalSize,
    totalKey: status.totalKey
  }
}

async function removePodFile (ctx: Ctx): Promise<void> {
  if (ctx.params.strategy !== 'exec') return
  await execCapture(ctx.kube, podRef(ctx), commands.remove(SNAPSHOT_PATH), { signal: ctx.signal, timeoutMs: 30_000 })
}

// sha256sum and size in the pod, then `cat` → multipart upload in a child process that hashes as it
// goes; the copy must match what the pod reported. The object is named per snapshot, so a retry
// overwrites what a killed attempt may have completed but never recorded.
async function upload (ctx: Ctx): Promise<UploadOutput> {
  const store = ctx.params.store
  if (ctx.params.strategy === 'hcpetcdbackup') return await digestHcpSnapshot(ctx, ctx.outputs[SNAPSHOT] as SnapshotOutput)
  let snap = ctx.outputs[SNAPSHOT] as SnapshotOutput
  const ref = podRef(ctx)
  let stat = await execCapture(ctx.kube, ref, commands.size(SNAPSHOT_PATH), execOpts(ctx))
  if (stat.exitCode !== 0) {
    // The pod lost the file (restarted between attempts): take the snapshot again.
    ctx.log('warn', `job ${ctx.id}: ${SNAPSHOT_PATH} is gone from ${ref.pod}; taking the snapshot again`)
    snap = await takeSnapshot(ctx)
    ctx.outputs[SNAPSHOT] = snap
    stat = await execCapture(ctx.kube, ref, commands.size(SNAPSHOT_PATH), execOpts(ctx))
  }
  const expected = { size: parseSize(stat.stdout), sha256: parseSha256sum(await execOk(ctx.kube, ref, commands.sha256sum(SNAPSHOT_PATH), execOpts(ctx))) }
  const metadata = objectMetadata({
    id: snap.backupId, cluster: ctx.params.name, namespace: ctx.params.namespace, ...expected, revision: snap.revision, createdBy: ctx.createdBy, strategy: 'exec'
  })
  ctx.progress({ message: `copying ${SNAPSHOT_PATH} out of ${ref.pod} to s3://${store.bucket}/${snap.objectKey}`, bytesDone: 0, bytesTotal: expected.size })
  const copied = await copyInChildProcess(ctx.kube, {
    ref, path: SNAPSHOT_PATH, store: workerS3Settings(store, ctx.config), target: { bucket: store.bucket, key: snap.objectKey, metadata, expected }, settings: uploadSettings(ctx.config)
  }, {
    signal: ctx.signal,
    onBytes: n => ctx.progress({ bytesDone: n, percent: expected.size ? n / expected.size * 100 : undefined })
  })
  ctx.log('info', `job ${ctx.id}: copied ${copied.size} bytes to s3://${store.bucket}/${snap.objectKey}`, { copyPeakRssBytes: copied.peakRssBytes })
  await removePodFile(ctx)
  return { bucket: store.bucket, objectKey: snap.objectKey, sha256: copied.sha256, size: copied.size }
}

// §1.5 step 6: without the AES-CBC key the snapshot cannot be read by a new cluster. Stored beside it,
// encrypted at rest like it, and served to admins only.
async function saveEncryptionKey (ctx: Ctx): Promise<KeyOutput> {
  const cp = createControlPlane(ctx.kube, ctx.params)
  const hc = await cp.hostedCluster()
  const enc = hc?.spec?.secretEncryption as { type?: string, aescbc?: { activeKey?: { name?: string } } } | undefined
  if (!enc) return { encryption: 'none' }
  if (enc.type !== 'aescbc' || !enc.aescbc?.activeKey?.name) return { encryption: 'kms' }
  const secretName = enc.aescbc.activeKey.name
  let key: string | undefined
  try {
    const secret = await ctx.kube.makeApiClient(CoreV1Api).readNamespacedSecret({ namespace: ctx.params.namespace, name: secretName })
    key = secret.data?.key
  } catch (err) {
    if (!isKubeNotFound(err)) throw err
  }
  if (!key) throw permanent(new GatewayError('GW_ERR_CONFLICT', `secret ${ctx.params.namespace}/${secretName} (spec.secretEncryption.aescbc.activeKey) has no key`))
  const up = ctx.outputs[UPLOAD] as UploadOutput
  const objectKey = encryptionKeyObjectKey(up.objectKey)
  const client = workerS3Client(ctx.params.store, ctx.config)
  try {
    const snap = ctx.outputs[SNAPSHOT] as SnapshotOutput
    await putSmallObject(client, up.bucket, objectKey, Buffer.from(key, 'base64'), { 'backup-id': snap.backupId, 'secret-name': secretName, cluster: ctx.params.name }, uploadSettings(ctx.config))
  } finally {
    client.destroy()
  }
  return { encryption: 'aescbc', encryptionKeyObject: objectKey }
}

// True when the objects an earlier attempt uploaded are still there: a failed attempt's cleanup removes
// them, and a retry must not record a backup that points at nothing.
async function uploaded (ctx: Ctx): Promise<boolean> {
  const up = ctx.outputs[UPLOAD] as UploadOutput
  const key = ctx.outputs[SAVE_KEY] as KeyOutput
  const client = workerS3Client(ctx.params.store, ctx.config)
  try {
    if (await objectSize(client, up.bucket, up.objectKey) !== up.size) return false
    return !key.encryptionKeyObject || await objectSize(client, up.bucket, key.encryptionKeyObject) !== undefined
  } finally {
    client.destroy()
  }
}

async function record (ctx: Ctx): Promise<BackupEntry> {
  if (ctx.params.strategy === 'exec' && !await uploaded(ctx)) {
    ctx.log('warn', `job ${ctx.id}: the snapshot uploaded by an earlier attempt is gone; taking and uploading it again`)
    ctx.outputs[UPLOAD] = await upload(ctx)
    ctx.outputs[SAVE_KEY] = await saveEncryptionKey(ctx)
  }
  const snap = ctx.outputs[SNAPSHOT] as SnapshotOutput
  const up = ctx.outputs[UPLOAD] as UploadOutput
  const key = ctx.outputs[SAVE_KEY] as KeyOutput
  const entry: BackupEntry = {
    id: snap.backupId,
    cluster: ctx.params.name,
    namespace: ctx.params.namespace,
    bucket: up.bucket,
    objectKey: up.objectKey,
    sha256: up.sha256,
    size: up.size,
    jobId: ctx.id,
    createdAt: snap.takenAt,
    createdBy: ctx.createdBy,
    strategy: ctx.params.strategy,
    ...(snap.revision !== undefined ? { revision: snap.revision } : {}),
    ...(snap.etcdHash !== undefined ? { etcdHash: snap.etcdHash } : {}),
    ...(key.encryptionKeyObject ? { encryptionKeyObject: key.encryptionKeyObject } : {}),
    ...(ctx.params.note !== undefined ? { note: ctx.params.note } : {}),
    ...(ctx.params.scheduleId !== undefined ? { scheduleId: ctx.params.scheduleId } : {})
  }
  return await createBackupRecords(ctx.kube, ctx.config.GATEWAY_NAMESPACE).putBackup(entry)
}

// Writers back to their recorded replicas, then pausedUntil back (§1.5 steps 7–8, with doc bugs (ii)
// and (iii) fixed). Re-entrant, and a no-op when nothing was changed.
async function restoreCluster (ctx: Ctx): Promise<{ writers: ReplicaRecord, unpaused: boolean }> {
  const cp = createControlPlane(ctx.kube, ctx.params)
  const scaled = ctx.outputs[SCALE_DOWN] as { replicas?: ReplicaRecord } | undefined
  const writers = await cp.scaleBack('Deployment', WRITER_DEPLOYMENTS, scaled?.replicas)
  const unpaused = await cp.unpause(ctx.outputs[PAUSE] as PauseRecord | undefined)
  return { writers, unpaused }
}

async function resume (ctx: Ctx) {
  const restored = await restoreCluster(ctx)
  const cp = createControlPlane(ctx.kube, ctx.params)
  if (Object.keys(restored.writers).length > 0) {
    await cp.waitReplicas('Deployment', Object.keys(restored.writers), allReady, {
      signal: ctx.signal,
      timeoutMs: waitMs(ctx),
      onWait: left => ctx.progress({ message: `waiting for ${left.join(', ')} to be ready again` })
    })
  }
  return restored
}

// A snapshot uploaded but never recorded is found by nobody and would only cost money: it goes. One the
// catalogue holds (recorded by an attempt whose answer was lost) stays. HCPEtcdBackup's objects belong
// to its controller and are left alone.
async function removeUnrecorded (ctx: Ctx): Promise<void> {
  const up = ctx.outputs[UPLOAD] as UploadOutput | undefined
  if (!up || ctx.outputs[RECORD] || ctx.params.strategy !== 'exec') return
  const snap = ctx.outputs[SNAPSHOT] as SnapshotOutput
  if (await createBackupRecords(ctx.kube, ctx.config.GATEWAY_NAMESPACE).getBackup(snap.backupId)) return
  const client = workerS3Client(ctx.params.store, ctx.config)
  try {
    await deleteKeys(client, up.bucket, [up.objectKey, encryptionKeyObjectKey(up.objectKey)])
  } finally {
    client.destroy()
  }
}

async function cleanup (ctx: Ctx): Promise<void> {
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['restore the cluster', () => restoreCluster(ctx)],
    ['remove the snapshot from the pod', () => removePodFile(ctx)],
    ['remove the unrecorded snapshot object', () => removeUnrecorded(ctx)]
  ]
  for (const [what, step] of steps) {
    await step().catch(err => ctx.log('warn', `job ${ctx.id}: could not ${what}`, { err: (err as Error).message }))
  }
}

// Each attempt begins by undoing whatever a killed attempt left (the markers on the objects say what),
// and every failed stage undoes it too, so the cluster never waits paused for a retry or a human.
const begun = new WeakSet<object>()
function guarded (stage: StageDefinition<EtcdSnapshotParams>): StageDefinition<EtcdSnapshotParams> {
  return {
    ...stage,
    async run (ctx) {
      if (!begun.has(ctx.outputs)) {
        begun.add(ctx.outputs)
        if (stage.name !== CHECK && stage.name !== RESUME) {
          const undone = await restoreCluster(ctx)
          if (undone.unpaused || Object.keys(undone.writers).length > 0) ctx.log('warn', `job ${ctx.id}: restored the cluster left by an interrupted attempt`, undone)
        }
      }
      try {
        return await stage.run(ctx)
      } catch (err) {
        await restoreCluster(ctx).catch(e => ctx.log('warn', `job ${ctx.id}: could not restore the cluster after ${stage.name} failed`, { err: (e as Error).message }))
        throw err
      }
    }
  }
}

export const etcdSnapshotJob = defineJob<EtcdSnapshotParams, BackupEntry>({
  kind: JobKinds.etcdSnapshot,
  attempts: 2,
  backoff: { delay: 1000, jitter: 0.5 },
  params: raw => parseParams(EtcdSnapshotParamsSchema, 'etcd-snapshot', raw),
  // Byte-heavy: one copy per worker at a time.
  options: { concurrency: 1 },
  stages: [
    { name: CHECK, run: check },
    { name: PAUSE, run: pause },
    { name: SCALE_DOWN, run: scaleDownWriters },
    { name: SNAPSHOT, weight: 2, run: takeSnapshot },
    { name: UPLOAD, weight: 8, run: upload },
    { name: SAVE_KEY, run: saveEncryptionKey },
    { name: RECORD, run: record },
    { name: RESUME, weight: 2, run: resume }
  ].map(guarded),
  result: outputs => outputs[RECORD] as BackupEntry,
  onFail: cleanup,
  onCancel: cleanup
})
