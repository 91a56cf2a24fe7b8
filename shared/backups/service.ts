import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node'
import type { Config } from '../config.ts'
import { GatewayError } from '../errors.ts'
import { assertRole, canSeeNamespace, type Principal } from '../auth/principal.ts'
import type { JobKind } from '../jobs/kinds.ts'
import type { JobService, SubmitResult } from '../jobs/service.ts'
import { kubeStatusCode } from '../kube/kube-errors.ts'
import type { KubeObject } from '../kube/kube-object.ts'
import { pageNewestFirst, type BackupEntry, type Page, type Strategy } from './catalogue.ts'
import { HCP_ETCD_BACKUP } from './hcp-etcd-backup.ts'
import { deleteKeys, readSmallObject } from './object-store.ts'
import { clusterJobKey, type StoreLocation } from './params.ts'
import type { BackupRecords } from './records.ts'
import { VELERO } from './velero.ts'

export interface BackupServiceDeps {
  kubeConfig: KubeConfig
  config: Config
  records: BackupRecords
  jobs: JobService
  s3: S3Client
  store: StoreLocation
  // The cluster rules of the clusters service: tenant 404s, unique names.
  findCluster (principal: Principal, name: string): KubeObject
}

const DISCOVERY_TTL_MS = 30_000

export function notFoundBackup (id: string): GatewayError {
  return new GatewayError('GW_ERR_NOT_FOUND', `backup ${id} not found`)
}

// Presigned URLs are signed over host, path and query, not the scheme.
export async function presign (s3: S3Client, bucket: string, key: string, ttlSeconds: number, now = new Date()): Promise<{ url: string, expiresAt: string }> {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: ttlSeconds })
  return { url, expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString() }
}

// The one implementation of the backup rules; REST (and any other transport) calls it.
export function createBackupService (deps: BackupServiceDeps) {
  const custom = deps.kubeConfig.makeApiClient(CustomObjectsApi)
  const served = new Map<string, { at: number, value: boolean }>()

  // Whether the API serves a kind, asked the cheap way: a list of at most one item (404 = not served).
  async function serves (key: string, list: () => Promise<unknown>): Promise<boolean> {
    const cached = served.get(key)
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.value
    let value = true
    try {
      await list()
    } catch (err) {
      if (kubeStatusCode(err) !== 404) throw new GatewayError('GW_ERR_UPSTREAM', `could not ask the Kubernetes API whether it serves ${key}`, { cause: err })
      value = false
    }
    served.set(key, { at: Date.now(), value })
    return value
  }

  const servesHcpEtcdBackup = () => serves('hcpetcdbackups.hypershift.openshift.io', () =>
    custom.listClusterCustomObject({ ...HCP_ETCD_BACKUP, limit: 1 }))
  const servesVelero = () => serves('backups.velero.io', () =>
    custom.listNamespacedCustomObject({ ...VELERO, plural: 'backups', namespace: deps.config.OADP_NAMESPACE, limit: 1 }))

  async function strategyFor (requested: Strategy | undefined): Promise<Strategy> {
    const configured = deps.config.BACKUP_HCPETCDBACKUP_CREDENTIALS_SECRET !== ''
    if (requested === 'exec') return 'exec'
    const available = configured && await servesHcpEtcdBackup()
    if (requested === 'hcpetcdbackup' && !available) {
      throw new GatewayError('GW_ERR_UNPROCESSABLE', configured
        ? 'strategy hcpetcdbackup needs the HCPEtcdBackup API (feature gate HCPEtcdBackup), which this management cluster does not serve'
        : 'strategy hcpetcdbackup needs BACKUP_HCPETCDBACKUP_CREDENTIALS_SECRET to be configured', { errors: [{ field: 'body.strategy', message: 'is not available here', constraint: 'available' }] })
    }
    return available ? 'hcpetcdbackup' : 'exec'
  }

  // Backup and in-place restore both pause the cluster and stop its writers: never two at once.
  async function assertNoOther (kind: JobKind, namespace: string, name: string): Promise<void> {
    for (const state of ['running', 'queued'] as const) {
      const found = await deps.jobs.list({ kind, state, target: { namespace, name }, limit: 1 })
      if (found.items.length > 0) {
        throw new GatewayError('GW_ERR_CONFLICT', `cluster ${name} has a ${kind} job ${state}: ${found.items[0].id}`, { extensions: { jobId: found.items[0].id } })
      }
    }
  }

  async function visible (principal: Principal, id: string): Promise<BackupEntry> {
    const entry = await deps.records.getBackup(id)
    if (!entry || !canSeeNamespace(principal, entry.namespace)) throw notFoundBackup(id)
    return entry
  }

  return {
    strategyFor,
    servesVelero,
    visible,
    assertNoOther,

    async create (principal: Principal, name: string, body: { strategy?: Strategy, note?: string }, extra: { scheduleId?: string } = {}): Promise<SubmitResult> {
      const hc = deps.findCluster(principal, name)
      const namespace = hc.metadata.namespace!
      if (hc.metadata.deletionTimestamp) throw new GatewayError('GW_ERR_CONFLICT', `cluster ${name} is being deleted`)
      const strategy = await strategyFor(body.strategy)
      await assertNoOther('etcd-restore', namespace, name)
      return await deps.jobs.submit({
        kind: 'etcd-snapshot',
        target: { type: 'cluster', name, namespace },
        params: {
          name,
          namespace,
          strategy,
          store: deps.store,
          ...(body.note !== undefined ? { note: body.note } : {}),
          ...(extra.scheduleId !== undefined ? { scheduleId: extra.scheduleId } : {})
        },
        createdBy: principal.name,
        naturalKey: clusterJobKey(namespace, name)
      })
    },

    // Backups outlive their cluster (restoring a deleted cluster is the point), so a cluster that is gone
    // still lists the backups the caller may see.
    async list (principal: Principal, name: string, page: { limit: number, continue?: string }): Promise<Page<BackupEntry>> {
      let entries: BackupEntry[]
      try {
        const hc = deps.findCluster(principal, name)
        entries = await deps.records.listBackups({ namespace: hc.metadata.namespace!, name })
      } catch (err) {
        if ((err as GatewayError).code !== 'GW_ERR_NOT_FOUND') throw err
        entries = (await deps.records.listBackups()).filter(e => e.cluster === name && canSeeNamespace(principal, e.namespace))
        if (entries.length === 0) throw err
      }
      try {
        return pageNewestFirst(entries, page.limit, page.continue)
      } catch (err) {
        throw new GatewayError('GW_ERR_BAD_REQUEST', (err as Error).message, { errors: [{ field: 'query.continue', message: (err as Error).message, constraint: 'format' }] })
      }
    },

    async remove (principal: Principal, id: string): Promise<void> {
      const entry = await visible(principal, id)
      await deleteKeys(deps.s3, entry.bucket, [entry.objectKey, ...(entry.encryptionKeyObject ? [entry.encryptionKeyObject] : [])])
      await deps.records.removeBackup(entry.id)
    },

    async downloadUrl (principal: Principal, id: string): Promise<{ url: string, expiresAt: string, sha256: string, size: number }> {
      const entry = await visible(principal, id)
      assertRole(principal, 'admin')
      const signed = await presign(deps.s3, entry.bucket, entry.objectKey, deps.config.BACKUP_DOWNLOAD_URL_TTL_SECONDS)
      return { ...signed, sha256: entry.sha256, size: entry.size }
    },

    async encryptionKey (principal: Principal, id: string): Promise<{ key: string, encoding: 'base64', secretKey: 'key' }> {
      const entry = await visible(principal, id)
      assertRole(principal, 'admin')
      if (!entry.encryptionKeyObject) {
        throw new GatewayError('GW_ERR_NOT_FOUND', `backup ${id} has no AES-CBC key: its cluster encrypts etcd with a KMS key`)
      }
      const key = await readSmallObject(deps.s3, entry.bucket, entry.encryptionKeyObject)
      return { key: key.toString('base64'), encoding: 'base64', secretKey: 'key' }
    }
  }
}

export type BackupService = ReturnType<typeof createBackupService>
