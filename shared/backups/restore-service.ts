import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import type { Config } from '../config.ts'
import { GatewayError } from '../errors.ts'
import type { Principal } from '../auth/principal.ts'
import type { JobService, SubmitResult } from '../jobs/service.ts'
import type { KubeObject } from '../kube/kube-object.ts'
import { readSmallObject } from './object-store.ts'
import { clusterJobKey, type StoreLocation } from './params.ts'
import { presign, type BackupService } from './service.ts'

export interface RestoreServiceDeps {
  config: Config
  jobs: JobService
  s3: S3Client
  store: StoreLocation
  backups: BackupService
  findCluster (principal: Principal, name: string): KubeObject
  clusterExists (name: string): boolean
  // fastify.clusters.create with its restore option: the one create path.
  createCluster <C> (principal: Principal, input: C & { name: string }, restore: { snapshotURL: string, encryptionKey: Buffer }): Promise<unknown>
}

// §1.4 is written for bare metal, agent and KubeVirt; on AWS the documented way is a new cluster (§1.6).
const IN_PLACE_PLATFORMS = new Set(['Agent', 'None', 'KubeVirt', 'OpenStack'])

// HostedCluster validation admits https:// and s3:// only; the signature does not cover the scheme, so an
// S3-compatible store reached over plain http still gets an https URL, and a warning says so.
export function restoreUrl (url: string): { url: string, warnings: string[] } {
  if (!url.startsWith('http://')) return { url, warnings: [] }
  return {
    url: `https://${url.slice('http://'.length)}`,
    warnings: ['the object store endpoint is plain http; restoreSnapshotURL was written as https, which HostedCluster validation requires, so etcd must reach the store over TLS']
  }
}

export function createRestoreService (deps: RestoreServiceDeps) {
  return {
    // The AWS path (§1.6), valid on every platform: a NEW cluster whose etcd starts from the snapshot,
    // encrypted with the original cluster's AES-CBC key (§1.5 step 6).
    async toNewCluster <C extends { name: string }> (principal: Principal, id: string, input: C): Promise<{ cluster: unknown, warnings: string[] }> {
      const entry = await deps.backups.visible(principal, id)
      if (deps.clusterExists(input.name)) {
        throw new GatewayError('GW_ERR_ALREADY_EXISTS', `a hosted cluster named ${input.name} already exists; a snapshot is restored only into a new cluster`, {
          errors: [{ field: 'body.newCluster.name', message: 'is already used by another hosted cluster', constraint: 'unique' }]
        })
      }
      if (!entry.encryptionKeyObject) {
        throw new GatewayError('GW_ERR_UNPROCESSABLE', `backup ${id} has no saved AES-CBC key (its cluster used KMS); it cannot be restored into a new cluster here`)
      }
      try {
        const head = await deps.s3.send(new HeadObjectCommand({ Bucket: entry.bucket, Key: entry.objectKey }))
        if (head.ContentLength !== undefined && head.ContentLength !== entry.size) {
          throw new GatewayError('GW_ERR_BACKUP_INTEGRITY', `backup ${id}: the object has ${head.ContentLength} bytes, the catalogue says ${entry.size}`)
        }
      } catch (err) {
        if (err instanceof GatewayError) throw err
        throw new GatewayError('GW_ERR_UNPROCESSABLE', `backup ${id}: its snapshot object s3://${entry.bucket}/${entry.objectKey} cannot be read`, { cause: err })
      }
      const encryptionKey = await readSmallObject(deps.s3, entry.bucket, entry.encryptionKeyObject)
      const signed = await presign(deps.s3, entry.bucket, entry.objectKey, deps.config.BACKUP_RESTORE_URL_TTL_SECONDS)
      const { url, warnings } = restoreUrl(signed.url)
      const cluster = await deps.createCluster(principal, input, { snapshotURL: url, encryptionKey })
      return { cluster, warnings }
    },

    // §1.4 on the backup's own cluster, as a job.
    async inPlace (principal: Principal, id: string): Promise<SubmitResult> {
      const entry = await deps.backups.visible(principal, id)
      const hc = deps.findCluster(principal, entry.cluster)
      const namespace = hc.metadata.namespace!
      if (namespace !== entry.namespace) throw new GatewayError('GW_ERR_CONFLICT', `backup ${id} belongs to ${entry.namespace}/${entry.cluster}, not to ${namespace}/${entry.cluster}`)
      if (hc.metadata.deletionTimestamp) throw new GatewayError('GW_ERR_CONFLICT', `cluster ${entry.cluster} is being deleted`)
      const platform = String(hc.spec?.platform?.type ?? '')
      if (!IN_PLACE_PLATFORMS.has(platform)) {
        throw new GatewayError('GW_ERR_UNPROCESSABLE', `in-place restore is the on-premises procedure; a ${platform} cluster is restored into a new cluster (restore with newCluster)`, {
          errors: [{ field: 'body.inPlace', message: `not available on platform ${platform}`, constraint: 'platform' }]
        })
      }
      await deps.backups.assertNoOther('etcd-snapshot', namespace, entry.cluster)
      return await deps.jobs.submit({
        kind: 'etcd-restore',
        target: { type: 'cluster', name: entry.cluster, namespace },
        params: {
          name: entry.cluster,
          namespace,
          backupId: entry.id,
          objectKey: entry.objectKey,
          sha256: entry.sha256,
          ...(entry.revision !== undefined ? { revision: entry.revision } : {}),
          store: { ...deps.store, bucket: entry.bucket }
        },
        createdBy: principal.name,
        naturalKey: clusterJobKey(namespace, entry.cluster)
      })
    }
  }
}

export type RestoreService = ReturnType<typeof createRestoreService>
