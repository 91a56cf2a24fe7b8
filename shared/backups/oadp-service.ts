import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node'
import type { Config } from '../config.ts'
import { GatewayError } from '../errors.ts'
import { canSeeNamespace, type Principal } from '../auth/principal.ts'
import type { JobService, SubmitResult } from '../jobs/service.ts'
import { isKubeNotFound } from '../kube/kube-errors.ts'
import type { KubeObject } from '../kube/kube-object.ts'
import { CLUSTER_LABEL, CLUSTER_NAMESPACE_LABEL, compactTimestamp } from './catalogue.ts'
import { clusterJobKey } from './params.ts'
import { VELERO } from './velero.ts'

export interface OadpServiceDeps {
  kubeConfig: KubeConfig
  config: Config
  jobs: JobService
  servesVelero (): Promise<boolean>
  findCluster (principal: Principal, name: string): KubeObject
  clusterExists (name: string): boolean
}

const notServed = () => new GatewayError('GW_ERR_UNPROCESSABLE', 'OADP is not installed on this management cluster: the API does not serve velero.io/v1 Backup (install the OADP operator and a DataProtectionApplication first)')

// OADP (seed §2.4): Velero Backup/Restore CRs, each followed by a job until its phase is final.
export function createOadpService (deps: OadpServiceDeps) {
  const custom = deps.kubeConfig.makeApiClient(CustomObjectsApi)

  return {
    async backup (principal: Principal, name: string, body: { agentNamespace?: string }): Promise<SubmitResult> {
      if (!await deps.servesVelero()) throw notServed()
      const hc = deps.findCluster(principal, name)
      const namespace = hc.metadata.namespace!
      const backupName = `${name}-${compactTimestamp(new Date()).toLowerCase()}`.slice(0, 63)
      return await deps.jobs.submit({
        kind: 'oadp-backup',
        target: { type: 'cluster', name, namespace },
        params: {
          backupName,
          oadpNamespace: deps.config.OADP_NAMESPACE,
          cluster: name,
          namespace,
          storageLocation: deps.config.OADP_STORAGE_LOCATION,
          ttl: deps.config.OADP_BACKUP_TTL,
          ...(body.agentNamespace ? { agentNamespace: body.agentNamespace } : {})
        },
        createdBy: principal.name,
        naturalKey: clusterJobKey(namespace, name)
      })
    },

    async restore (principal: Principal, backupName: string, body: { existingResourcePolicy?: 'none' | 'update' }): Promise<SubmitResult> {
      if (!await deps.servesVelero()) throw notServed()
      let backup: KubeObject
      try {
        backup = await custom.getNamespacedCustomObject({ ...VELERO, plural: 'backups', namespace: deps.config.OADP_NAMESPACE, name: backupName }) as KubeObject
      } catch (err) {
        if (isKubeNotFound(err)) throw new GatewayError('GW_ERR_NOT_FOUND', `OADP backup ${backupName} not found`)
        throw err
      }
      // Backups made here are labelled with their cluster; any other needs a key that sees every namespace.
      const namespace = backup.metadata.labels?.[CLUSTER_NAMESPACE_LABEL]
      const cluster = backup.metadata.labels?.[CLUSTER_LABEL]
      if (namespace === undefined ? principal.tenant !== undefined : !canSeeNamespace(principal, namespace)) {
        throw new GatewayError('GW_ERR_NOT_FOUND', `OADP backup ${backupName} not found`)
      }
      if (backup.status?.phase !== 'Completed') {
        throw new GatewayError('GW_ERR_CONFLICT', `OADP backup ${backupName} is ${backup.status?.phase ?? 'New'}, not Completed`)
      }
      // §2.4.3: the restore recreates the cluster, so the one backed up must be gone first.
      if (cluster !== undefined && deps.clusterExists(cluster)) {
        throw new GatewayError('GW_ERR_CONFLICT', `hosted cluster ${cluster} still exists; destroy it before restoring it from OADP backup ${backupName}`)
      }
      return await deps.jobs.submit({
        kind: 'oadp-restore',
        target: { type: 'cluster', name: cluster ?? backupName, ...(namespace ? { namespace } : {}) },
        params: {
          restoreName: `${backupName}-restore`.slice(0, 63).replace(/-+$/, ''),
          backupName,
          oadpNamespace: deps.config.OADP_NAMESPACE,
          existingResourcePolicy: body.existingResourcePolicy ?? 'update'
        },
        createdBy: principal.name,
        naturalKey: `${deps.config.OADP_NAMESPACE}.${backupName}`
      })
    }
  }
}

export type OadpService = ReturnType<typeof createOadpService>
