import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { CustomObjectsApi } from '@kubernetes/client-node'
import { backupId, SNAPSHOT_PREFIX } from '../../../shared/backups/catalogue.ts'
import { HCP_ETCD_BACKUP, hcpEtcdBackupManifest, hcpEtcdBackupState, objectFromSnapshotURL } from '../../../shared/backups/hcp-etcd-backup.ts'
import { digestObject, workerS3Client } from '../../../shared/backups/object-store.ts'
import type { EtcdSnapshotParams } from '../../../shared/backups/params.ts'
import { GatewayError } from '../../../shared/errors.ts'
import { isKubeNotFound, kubeStatusCode } from '../../../shared/kube/kube-errors.ts'
import type { KubeObject } from '../../../shared/kube/kube-object.ts'
import type { JobContext } from './define-job.ts'
import { permanent } from './errors.ts'
import type { SnapshotOutput, UploadOutput } from './etcd-snapshot.ts'

type Ctx = JobContext<EtcdSnapshotParams>

const POLL_MS = 500

// One CR per job: a restarted attempt follows the CR its predecessor created instead of starting another
// (the controller would reject a second one while the first runs).
export function hcpEtcdBackupName (jobId: string): string {
  return `hcpgw-${createHash('sha256').update(jobId).digest('hex').slice(0, 16)}`
}

async function read (custom: CustomObjectsApi, namespace: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await custom.getNamespacedCustomObject({ ...HCP_ETCD_BACKUP, namespace, name }) as KubeObject
  } catch (err) {
    if (isKubeNotFound(err)) return undefined
    throw err
  }
}

// Strategy hcpetcdbackup: HyperShift's controller takes the snapshot and uploads it; the job creates the
// request and follows its BackupCompleted condition to status.snapshotURL.
export async function takeHcpSnapshot (ctx: Ctx): Promise<SnapshotOutput> {
  const secret = ctx.config.BACKUP_HCPETCDBACKUP_CREDENTIALS_SECRET
  if (!secret) throw permanent(new GatewayError('GW_ERR_UNPROCESSABLE', 'strategy hcpetcdbackup needs BACKUP_HCPETCDBACKUP_CREDENTIALS_SECRET'))
  const custom = ctx.kube.makeApiClient(CustomObjectsApi)
  const namespace = `${ctx.params.namespace}-${ctx.params.name}`
  const name = hcpEtcdBackupName(ctx.id)
  let cr = await read(custom, namespace, name)
  // A CR that ended badly belongs to an earlier attempt; its spec is immutable, so it is replaced.
  if (cr && ['failed', 'rejected'].includes(hcpEtcdBackupState(cr).state)) {
    await custom.deleteNamespacedCustomObject({ ...HCP_ETCD_BACKUP, namespace, name }).catch(err => { if (!isKubeNotFound(err)) throw err })
    cr = undefined
  }
  if (!cr) {
    const body = hcpEtcdBackupManifest({
      name,
      controlPlaneNamespace: namespace,
      bucket: ctx.params.store.bucket,
      region: ctx.params.store.region,
      keyPrefix: `${SNAPSHOT_PREFIX}/${ctx.params.namespace}/${ctx.params.name}`,
      credentialsSecret: secret,
      labels: { 'hcp-gateway.io/job': name }
    })
    try {
      await custom.createNamespacedCustomObject({ ...HCP_ETCD_BACKUP, namespace, body })
    } catch (err) {
      if (kubeStatusCode(err) !== 409) throw err
    }
  }
  const deadline = Date.now() + ctx.config.BACKUP_WAIT_SECONDS * 1000
  const started = Date.now()
  while (true) {
    const current = await read(custom, namespace, name)
    if (!current) throw new GatewayError('GW_ERR_CONFLICT', `HCPEtcdBackup ${namespace}/${name} disappeared while it ran`)
    const s = hcpEtcdBackupState(current)
    if (s.state === 'succeeded') {
      const { key } = objectFromSnapshotURL(s.snapshotURL, ctx.params.store.bucket)
      const at = new Date()
      return { backupId: backupId(ctx.params.name, at), takenAt: at.toISOString(), objectKey: key }
    }
    if (s.state === 'failed') throw permanent(new GatewayError('GW_ERR_BACKUP_FAILED', `HCPEtcdBackup ${namespace}/${name} failed: ${s.message}`))
    if (s.state === 'rejected') throw permanent(new GatewayError('GW_ERR_BACKUP_REJECTED', `HCPEtcdBackup ${namespace}/${name} was rejected: ${s.message}`))
    if (Date.now() > deadline) {
      const code = s.state === 'etcd-unhealthy' ? 'GW_ERR_ETCD_UNHEALTHY' : 'GW_ERR_UPSTREAM_TIMEOUT'
      throw new GatewayError(code, `HCPEtcdBackup ${namespace}/${name} did not complete within ${ctx.config.BACKUP_WAIT_SECONDS} s: ${s.message}`)
    }
    // EtcdUnhealthy is not final: the controller requeues until the etcd StatefulSet is ready.
    ctx.progress({ message: `HCPEtcdBackup ${name}: ${s.state}${s.message ? ` (${s.message})` : ''}`, percent: Math.min(95, (Date.now() - started) / 1000) })
    await sleep(POLL_MS, undefined, { signal: ctx.signal })
  }
}

// The controller uploaded the object; the job reads it once to record its sha256 and size.
export async function digestHcpSnapshot (ctx: Ctx, snap: SnapshotOutput): Promise<UploadOutput> {
  const client = workerS3Client(ctx.params.store, ctx.config)
  try {
    ctx.progress({ message: `computing the sha256 of s3://${ctx.params.store.bucket}/${snap.objectKey}` })
    const d = await digestObject(client, ctx.params.store.bucket, snap.objectKey, ctx.signal)
    return { bucket: ctx.params.store.bucket, objectKey: snap.objectKey, sha256: d.sha256, size: d.size }
  } finally {
    client.destroy()
  }
}
