import { setTimeout as sleep } from 'node:timers/promises'
import { CustomObjectsApi } from '@kubernetes/client-node'
import { CLUSTER_LABEL, CLUSTER_NAMESPACE_LABEL } from '../../../shared/backups/catalogue.ts'
import { OadpBackupParamsSchema, parseParams, type OadpBackupParams } from '../../../shared/backups/params.ts'
import { VELERO, veleroBackupManifest, veleroPercent, veleroPhaseOutcome } from '../../../shared/backups/velero.ts'
import { GatewayError } from '../../../shared/errors.ts'
import { JobKinds } from '../../../shared/jobs/kinds.ts'
import { isKubeNotFound, kubeStatusCode } from '../../../shared/kube/kube-errors.ts'
import type { KubeObject } from '../../../shared/kube/kube-object.ts'
import { defineJob, type JobContext } from './define-job.ts'
import { permanent } from './errors.ts'

const POLL_MS = 500

// Creates a Velero object unless an earlier attempt did (re-entrant).
export async function createOnce (ctx: JobContext<unknown>, plural: 'backups' | 'restores', body: KubeObject): Promise<{ name: string }> {
  const custom = ctx.kube.makeApiClient(CustomObjectsApi)
  try {
    await custom.createNamespacedCustomObject({ ...VELERO, plural, namespace: body.metadata.namespace!, body })
  } catch (err) {
    if (kubeStatusCode(err) !== 409) throw err
  }
  return { name: body.metadata.name }
}

// Follows status.phase (seed §2.6) until it is final; progress from status.progress items.
export async function followPhase (ctx: JobContext<unknown>, plural: 'backups' | 'restores', namespace: string, name: string): Promise<{ phase: string, status: Record<string, unknown> }> {
  const custom = ctx.kube.makeApiClient(CustomObjectsApi)
  const deadline = Date.now() + ctx.config.BACKUP_WAIT_SECONDS * 1000
  const what = `Velero ${plural === 'backups' ? 'Backup' : 'Restore'} ${namespace}/${name}`
  while (true) {
    let obj: KubeObject
    try {
      obj = await custom.getNamespacedCustomObject({ ...VELERO, plural, namespace, name }) as KubeObject
    } catch (err) {
      if (isKubeNotFound(err)) throw permanent(new GatewayError('GW_ERR_CONFLICT', `${what} disappeared`))
      throw err
    }
    const status = (obj.status ?? {}) as Record<string, unknown> & { phase?: string }
    const outcome = veleroPhaseOutcome(status.phase)
    if (outcome === 'succeeded') return { phase: status.phase!, status }
    if (outcome === 'failed') {
      const why = [status.failureReason, ...((status.validationErrors as string[] | undefined) ?? []), status.errors ? `${String(status.errors)} error(s)` : undefined].filter(Boolean).join('; ')
      throw permanent(new GatewayError('GW_ERR_BACKUP_FAILED', `${what} ended ${status.phase}${why ? `: ${why}` : ''}`, { extensions: { phase: status.phase } }))
    }
    if (Date.now() > deadline) throw new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', `${what} is still ${status.phase ?? 'New'} after ${ctx.config.BACKUP_WAIT_SECONDS} s`)
    ctx.progress({ message: `${what}: ${status.phase ?? 'New'}`, percent: veleroPercent(status as never) })
    await sleep(POLL_MS, undefined, { signal: ctx.signal })
  }
}

type Ctx = JobContext<OadpBackupParams>

// OADP backup of the control plane (seed §2.4.1/§2.4.2): the documented Backup CR, followed to Completed.
export const oadpBackupJob = defineJob<OadpBackupParams>({
  kind: JobKinds.oadpBackup,
  attempts: 3,
  params: raw => parseParams(OadpBackupParamsSchema, 'oadp-backup', raw),
  stages: [
    {
      name: 'create-backup',
      run: (ctx: Ctx) => createOnce(ctx as JobContext<unknown>, 'backups', veleroBackupManifest({
        name: ctx.params.backupName,
        oadpNamespace: ctx.params.oadpNamespace,
        hostedClusterNamespace: ctx.params.namespace,
        controlPlaneNamespace: `${ctx.params.namespace}-${ctx.params.cluster}`,
        ...(ctx.params.agentNamespace ? { agentNamespace: ctx.params.agentNamespace } : {}),
        storageLocation: ctx.params.storageLocation,
        ttl: ctx.params.ttl,
        defaultVolumesToFsBackup: true,
        labels: { [CLUSTER_LABEL]: ctx.params.cluster, [CLUSTER_NAMESPACE_LABEL]: ctx.params.namespace }
      }))
    },
    { name: 'wait-completed', weight: 8, run: (ctx: Ctx) => followPhase(ctx as JobContext<unknown>, 'backups', ctx.params.oadpNamespace, ctx.params.backupName) }
  ],
  result: outputs => ({ backupName: (outputs['create-backup'] as { name: string }).name, ...(outputs['wait-completed'] as object) })
})
