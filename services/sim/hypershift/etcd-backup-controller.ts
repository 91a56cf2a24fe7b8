// HCPEtcdBackup (hypershift-operator/controllers/etcdbackup): a one-shot request in a hosted control
// plane namespace to snapshot etcd and upload it to S3 at s3://{bucket}/{keyPrefix}/{unix}.db. The twin
// does what the operator's Job does, through the API: `etcdctl snapshot save` in an etcd pod, then the
// file streamed out with `cat` into a multipart upload (the socket pauses while S3 is slower).
import { PassThrough } from 'node:stream'
import { S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { execInPod } from '../etcd/exec-client.ts'
import type { ExecResult } from '../etcd/exec-client.ts'
import { findCondition, setConditions } from './conditions.ts'
import type { ConditionInput } from './conditions.ts'
import { HYPERSHIFT_GROUP, HYPERSHIFT_VERSION, errorMessage, ignoreNotFound, isConflict } from './kube-client.ts'
import type { KubeClients } from './kube-client.ts'
import type { ReconcileResult } from './hostedcluster-controller.ts'
import { parseAwsCredentials } from './aws-credentials.ts'
import type { Condition } from './types.ts'

export const BACKUP_CONDITION = 'BackupCompleted'
export const OPERATOR_NAMESPACE = 'hypershift'
const BK = { group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'hcpetcdbackups' }
const HC = { group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'hostedclusters' }
const TERMINAL = new Set(['BackupSucceeded', 'BackupFailed', 'BackupRejected'])
const TLS = ['--cacert', '/etc/etcd/tls/etcd-ca/ca.crt', '--cert', '/etc/etcd/tls/client/etcd-client.crt', '--key', '/etc/etcd/tls/client/etcd-client.key', '--endpoints=https://localhost:2379']

interface S3Spec { bucket: string, region: string, keyPrefix: string, credentials: { name: string }, kmsKeyARN?: string }
interface Backup {
  metadata: { name: string, namespace: string, generation?: number, resourceVersion?: string, deletionTimestamp?: string }
  spec: { storage: { storageType: string, s3?: S3Spec } }
  status?: { conditions?: Condition[], snapshotURL?: string, [k: string]: unknown }
}

class BackupError extends Error {}

function lastLine (r: ExecResult): string {
  const lines = (r.stderr.trim() || r.stdout.trim()).split('\n').filter(l => l !== '' && !l.startsWith('{'))
  return lines.at(-1) ?? r.status?.message ?? 'the exec stream ended without a status'
}

export function createEtcdBackupController (clients: KubeClients, stepMs: number, requeue: (key: string) => void) {
  const { core, apps, custom, kc } = clients
  // control plane namespace → the backup running there (the operator's "one active Job" guard)
  const active = new Map<string, string>()

  async function updateStatus (ns: string, name: string, cond: ConditionInput, extra: Record<string, unknown> = {}): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const bk = await ignoreNotFound(custom.getNamespacedCustomObject({ ...BK, namespace: ns, name })) as Backup | undefined
      if (bk === undefined) return
      const conditions = setConditions(bk.status?.conditions, [cond], bk.metadata.generation, new Date().toISOString())
      try {
        await custom.replaceNamespacedCustomObjectStatus({ ...BK, namespace: ns, name, body: { ...bk, status: { ...(bk.status ?? {}), ...extra, conditions } } })
        return
      } catch (err) {
        if (!isConflict(err) || attempt >= 5) throw err
      }
    }
  }

  // upstream bubbles the outcome to the HostedCluster and keeps the last URL there (it survives the CR)
  async function reportToHostedCluster (ref: string, cond: ConditionInput, url?: string): Promise<void> {
    const [namespace, name] = ref.split('/')
    for (let attempt = 0; attempt < 5; attempt++) {
      const hc = await ignoreNotFound(custom.getNamespacedCustomObject({ ...HC, namespace, name })) as { metadata: { generation?: number }, status?: { conditions?: Condition[] } } | undefined
      if (hc === undefined) return
      const status: Record<string, unknown> = { ...(hc.status ?? {}), conditions: setConditions(hc.status?.conditions, [cond], hc.metadata.generation, new Date().toISOString()) }
      if (url !== undefined) status.lastSuccessfulEtcdBackupURL = url
      try {
        await custom.replaceNamespacedCustomObjectStatus({ ...HC, namespace, name, body: { ...hc, status } })
        return
      } catch (err) {
        if (!isConflict(err)) throw err
      }
    }
  }

  async function s3ClientFor (spec: S3Spec, bkNamespace: string): Promise<S3Client> {
    // the Secret lives in the operator namespace; the twin also looks beside the backup
    const secret = await ignoreNotFound(core.readNamespacedSecret({ namespace: OPERATOR_NAMESPACE, name: spec.credentials.name })) ??
      await ignoreNotFound(core.readNamespacedSecret({ namespace: bkNamespace, name: spec.credentials.name }))
    if (secret === undefined) throw new BackupError(`failed to get credentials secret ${OPERATOR_NAMESPACE}/${spec.credentials.name}: not found`)
    const data = (key: string) => secret.data?.[key] === undefined ? undefined : Buffer.from(secret.data[key], 'base64').toString('utf8')
    const creds = parseAwsCredentials(data('credentials') ?? '')
    if (creds === null) throw new BackupError(`credentials secret ${spec.credentials.name} has no usable "credentials" key (AWS credentials file)`)
    const endpoint = data('endpoint')?.trim() ?? creds.endpointUrl
    return new S3Client({
      region: spec.region,
      credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
      ...(endpoint !== undefined ? { endpoint, forcePathStyle: true } : {})
    })
  }

  async function etcdPod (ns: string): Promise<string> {
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=etcd' })
    const ready = pods.items.filter(p => p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True'))
      .map(p => p.metadata?.name ?? '').sort()
    if (ready.length === 0) throw new BackupError('no ready etcd pod')
    return ready[0]
  }

  async function snapshotAndUpload (bk: Backup, s3spec: S3Spec, s3: S3Client): Promise<string> {
    const ns = bk.metadata.namespace
    const target = { namespace: ns, pod: await etcdPod(ns), container: 'etcd' }
    const file = `/var/lib/data/hcpetcdbackup-${bk.metadata.name}.db`
    const save = await execInPod(kc, target, ['env', 'ETCDCTL_API=3', '/usr/bin/etcdctl', ...TLS, 'snapshot', 'save', file], { timeoutMs: 15 * 60_000 })
    if (save.exitCode !== 0) throw new BackupError(`etcdctl snapshot save failed: ${lastLine(save)}`)
    const key = `${s3spec.keyPrefix.replace(/\/+$/, '')}/${Math.floor(Date.now() / 1000)}.db`
    try {
      const body = new PassThrough({ highWaterMark: 1024 * 1024 })
      body.on('error', () => {})
      const abort = new AbortController()
      const upload = new Upload({
        client: s3,
        params: {
          Bucket: s3spec.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/octet-stream',
          ...(s3spec.kmsKeyARN !== undefined ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: s3spec.kmsKeyARN } : {})
        },
        abortController: abort
      })
      const [copied, uploaded] = await Promise.allSettled([
        execInPod(kc, target, ['cat', file], { stdout: body, timeoutMs: 15 * 60_000, signal: abort.signal }),
        upload.done()
      ])
      if (copied.status === 'fulfilled' && copied.value.end === 'dropped') throw new BackupError('the exec stream of the snapshot was dropped')
      if (copied.status === 'fulfilled' && copied.value.exitCode !== 0) throw new BackupError(`reading the snapshot failed: ${lastLine(copied.value)}`)
      if (uploaded.status === 'rejected') {
        abort.abort()
        throw new BackupError(`upload to s3://${s3spec.bucket}/${key} failed: ${errorMessage(uploaded.reason)}`)
      }
      if (copied.status === 'rejected') throw new BackupError(`reading the snapshot failed: ${errorMessage(copied.reason)}`)
    } finally {
      await execInPod(kc, target, ['rm', '-f', file], { timeoutMs: 60_000 }).catch(() => undefined)
    }
    return `s3://${s3spec.bucket}/${key}`
  }

  async function run (bk: Backup, s3spec: S3Spec, s3: S3Client, clusterRef: string): Promise<void> {
    const { namespace: ns, name } = bk.metadata
    try {
      const url = await snapshotAndUpload(bk, s3spec, s3)
      const extra: Record<string, unknown> = { snapshotURL: url }
      if (s3spec.kmsKeyARN !== undefined) extra.encryptionMetadata = { aws: { kmsKeyARN: s3spec.kmsKeyARN } }
      // the HostedCluster first: whoever sees the backup finish also sees the cluster's record of it
      await reportToHostedCluster(clusterRef, { type: 'EtcdBackupSucceeded', status: 'True', reason: 'BackupSucceeded', message: `last etcd backup: ${url}` }, url).catch(() => {})
      await updateStatus(ns, name, { type: BACKUP_CONDITION, status: 'True', reason: 'BackupSucceeded', message: `etcd snapshot uploaded to ${url}` }, extra)
    } catch (err) {
      const message = err instanceof BackupError ? err.message : `backup failed: ${errorMessage(err)}`
      await reportToHostedCluster(clusterRef, { type: 'EtcdBackupSucceeded', status: 'False', reason: 'BackupFailed', message }).catch(() => {})
      await updateStatus(ns, name, { type: BACKUP_CONDITION, status: 'False', reason: 'BackupFailed', message })
    } finally {
      s3.destroy()
      active.delete(ns)
      requeue(`hcpbk|${ns}|${name}`)
    }
  }

  async function etcdReady (ns: string): Promise<boolean> {
    const sts = await ignoreNotFound(apps.readNamespacedStatefulSet({ namespace: ns, name: 'etcd' }))
    const want = sts?.spec?.replicas ?? 0
    return want > 0 && (sts?.status?.readyReplicas ?? 0) >= want
  }

  async function reconcile (ns: string, name: string): Promise<ReconcileResult> {
    const bk = await ignoreNotFound(custom.getNamespacedCustomObject({ ...BK, namespace: ns, name })) as Backup | undefined
    if (bk === undefined || bk.metadata.deletionTimestamp !== undefined) return {}
    const cond = findCondition(bk.status?.conditions, BACKUP_CONDITION)
    if (cond !== undefined && TERMINAL.has(cond.reason)) return {}
    if (active.get(ns) === name) return {}
    const fail = async (reason: string, message: string): Promise<ReconcileResult> => {
      await updateStatus(ns, name, { type: BACKUP_CONDITION, status: 'False', reason, message })
      return {}
    }
    if (cond?.reason === 'BackupInProgress' && cond.message.startsWith('Backup Job')) return await fail('BackupFailed', 'the backup was interrupted (operator restarted)')
    const clusterRef = (await ignoreNotFound(core.readNamespace({ name: ns })))?.metadata?.annotations?.['hypershift.openshift.io/cluster']
    if (clusterRef === undefined) return await fail('BackupFailed', `namespace ${ns} is not a hosted control plane namespace`)
    if (bk.spec.storage.storageType !== 'S3' || bk.spec.storage.s3 === undefined) return await fail('BackupFailed', `storage type ${bk.spec.storage.storageType} is not supported by the twin`)
    if (cond === undefined) await updateStatus(ns, name, { type: BACKUP_CONDITION, status: 'False', reason: 'BackupInProgress', message: 'Backup requested' })
    if (!await etcdReady(ns)) {
      await updateStatus(ns, name, { type: BACKUP_CONDITION, status: 'False', reason: 'EtcdUnhealthy', message: 'etcd StatefulSet is not fully ready' })
      return { requeueAfterMs: stepMs * 10 }
    }
    // check and claim with no await in between: concurrent reconciles of two backups see each other
    const other = active.get(ns)
    if (other !== undefined) return await fail('BackupRejected', `another backup (${other}) is already in progress for this hosted control plane`)
    active.set(ns, name)
    let s3: S3Client | undefined
    try {
      s3 = await s3ClientFor(bk.spec.storage.s3, ns)
      await updateStatus(ns, name, { type: BACKUP_CONDITION, status: 'False', reason: 'BackupInProgress', message: `Backup Job for ${name} is running` })
    } catch (err) {
      active.delete(ns)
      s3?.destroy()
      if (err instanceof BackupError) return await fail('BackupFailed', err.message)
      throw err
    }
    run(bk, bk.spec.storage.s3, s3, clusterRef).catch(() => {})
    return {}
  }

  return { reconcile }
}
