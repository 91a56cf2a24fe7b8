import { AppsV1Api } from '@kubernetes/client-node'
import { allReady, createControlPlane, noneReady, type PauseRecord, type ReplicaRecord } from '../../../shared/backups/control-plane.ts'
import {
  ETCD_CONTAINER, ETCD_DATA_DIR, ETCD_STATEFULSET, RESTORE_SNAPSHOT_PATH, WRITER_DEPLOYMENTS, commands, isHealthyOutput, parseEndpointStatus, parseSha256sum
} from '../../../shared/backups/etcd-commands.ts'
import { workerS3Client } from '../../../shared/backups/object-store.ts'
import { EtcdRestoreParamsSchema, parseParams, type EtcdRestoreParams } from '../../../shared/backups/params.ts'
import { execCapture, execOk, type PodRef } from '../../../shared/backups/pod-exec.ts'
import { presign } from '../../../shared/backups/service.ts'
import { GatewayError } from '../../../shared/errors.ts'
import { JobKinds } from '../../../shared/jobs/kinds.ts'
import { defineJob, type JobContext, type StageDefinition } from './define-job.ts'
import { permanent } from './errors.ts'

export const ETCD_RESTORE_STAGES = ['pause', 'scale-down-writers', 'stop-etcd', 'restore-data', 'start-etcd', 'restart-control-plane', 'resume'] as const
const [PAUSE, SCALE_DOWN, STOP_ETCD, RESTORE_DATA, START_ETCD, RESTART, RESUME] = ETCD_RESTORE_STAGES

type Ctx = JobContext<EtcdRestoreParams>

const cp = (ctx: Ctx) => createControlPlane(ctx.kube, ctx.params)
const waitMs = (ctx: Ctx) => ctx.config.BACKUP_WAIT_SECONDS * 1000
const execOpts = (ctx: Ctx) => ({ signal: ctx.signal, timeoutMs: waitMs(ctx) })
const pod = (ctx: Ctx, name: string): PodRef => ({ namespace: `${ctx.params.namespace}-${ctx.params.name}`, pod: name, container: ETCD_CONTAINER })
const waitFor = (ctx: Ctx, what: string) => ({
  signal: ctx.signal,
  timeoutMs: waitMs(ctx),
  onWait: (left: string[]) => ctx.progress({ message: `waiting for ${left.join(', ')} ${what}` })
})

// Step D of §1.4: etcd to zero, remembering its replicas (3 for HA, 1 for SingleReplica).
async function stopEtcd (ctx: Ctx): Promise<{ replicas: ReplicaRecord }> {
  const c = cp(ctx)
  const replicas = await c.scaleDown('StatefulSet', [ETCD_STATEFULSET])
  if (!replicas[ETCD_STATEFULSET]) throw permanent(new GatewayError('GW_ERR_CONFLICT', `${c.controlPlaneNamespace} has no etcd StatefulSet: etcd is not managed by HyperShift here`))
  await c.waitReplicas('StatefulSet', [ETCD_STATEFULSET], noneReady, waitFor(ctx, 'to stop'))
  return { replicas }
}

// Steps E–F as the etcd pods can run them: each member comes back on its own volume, fetches the
// snapshot from a presigned URL (no credentials in the pod), checks its sha256 against the catalogue,
// and restores it into its data dir with etcdutl (not etcdctl).
async function restoreData (ctx: Ctx): Promise<{ members: string[] }> {
  const c = cp(ctx)
  const recorded = (ctx.outputs[STOP_ETCD] as { replicas?: ReplicaRecord } | undefined)?.replicas
  const members = recorded?.[ETCD_STATEFULSET] ?? 1
  await c.scaleBack('StatefulSet', [ETCD_STATEFULSET], recorded)
  await c.waitReplicas('StatefulSet', [ETCD_STATEFULSET], allReady, waitFor(ctx, 'to come back'))
  const client = workerS3Client(ctx.params.store, ctx.config)
  let url: string
  try {
    url = (await presign(client, ctx.params.store.bucket, ctx.params.objectKey, 3600)).url
  } finally {
    client.destroy()
  }
  const names = Array.from({ length: members }, (_, i) => `etcd-${i}`)
  for (const [i, name] of names.entries()) {
    const ref = pod(ctx, name)
    ctx.progress({ message: `restoring the snapshot in ${name}`, percent: i / names.length * 100 })
    await execOk(ctx.kube, ref, ['curl', '-fsS', '-o', RESTORE_SNAPSHOT_PATH, url], execOpts(ctx))
    const sha = parseSha256sum(await execOk(ctx.kube, ref, commands.sha256sum(RESTORE_SNAPSHOT_PATH), execOpts(ctx)))
    if (sha !== ctx.params.sha256) {
      throw permanent(new GatewayError('GW_ERR_BACKUP_INTEGRITY', `the snapshot fetched into ${name} has sha256 ${sha}, the catalogue says ${ctx.params.sha256}`))
    }
    await execOk(ctx.kube, ref, ['rm', '-rf', ETCD_DATA_DIR], execOpts(ctx))
    await execOk(ctx.kube, ref, commands.restore(name, ref.namespace, members), execOpts(ctx))
    await execOk(ctx.kube, ref, commands.remove(RESTORE_SNAPSHOT_PATH), execOpts(ctx))
  }
  return { members: names }
}

// Step G: every member Ready and etcd healthy, at (or past) the snapshot's revision.
async function startEtcd (ctx: Ctx): Promise<{ revision: number }> {
  const c = cp(ctx)
  await c.waitReplicas('StatefulSet', [ETCD_STATEFULSET], allReady, waitFor(ctx, 'to be ready'))
  const ref = pod(ctx, 'etcd-0')
  const health = await execCapture(ctx.kube, ref, commands.endpointHealth(), execOpts(ctx))
  if (health.exitCode !== 0 || !isHealthyOutput(health.stdout)) throw new GatewayError('GW_ERR_ETCD_UNHEALTHY', `etcd is not healthy after the restore: ${(health.stdout + health.stderr).trim().slice(0, 300)}`)
  const [status] = parseEndpointStatus(await execOk(ctx.kube, ref, commands.endpointStatus(), execOpts(ctx)))
  if (ctx.params.revision !== undefined && status.revision < ctx.params.revision) {
    throw permanent(new GatewayError('GW_ERR_BACKUP_INTEGRITY', `etcd is at revision ${status.revision} after restoring a snapshot at ${ctx.params.revision}`))
  }
  return { revision: status.revision }
}

// Everything this job changed, put back: etcd and writers at their replicas, pausedUntil as it was.
async function restoreCluster (ctx: Ctx): Promise<{ writers: ReplicaRecord, etcd: ReplicaRecord, unpaused: boolean }> {
  const c = cp(ctx)
  const etcd = await c.scaleBack('StatefulSet', [ETCD_STATEFULSET], (ctx.outputs[STOP_ETCD] as { replicas?: ReplicaRecord } | undefined)?.replicas)
  const writers = await c.scaleBack('Deployment', WRITER_DEPLOYMENTS, (ctx.outputs[SCALE_DOWN] as { replicas?: ReplicaRecord } | undefined)?.replicas)
  const unpaused = await c.unpause(ctx.outputs[PAUSE] as PauseRecord | undefined)
  return { writers, etcd, unpaused }
}

const begun = new WeakSet<object>()
// What must hold again before a stage can resume: etcd is stopped only for the data to be replaced.
const REDO: Record<string, string[]> = {
  [SCALE_DOWN]: [PAUSE],
  [STOP_ETCD]: [PAUSE, SCALE_DOWN],
  [RESTORE_DATA]: [PAUSE, SCALE_DOWN, STOP_ETCD],
  [START_ETCD]: [PAUSE, SCALE_DOWN],
  [RESTART]: [PAUSE, SCALE_DOWN]
}
// As in etcd-snapshot: an attempt after a crash first undoes what the dead one left half done (the
// markers say what), then runs its stages, which re-apply what they need.
function guarded (stage: StageDefinition<EtcdRestoreParams>): StageDefinition<EtcdRestoreParams> {
  return {
    ...stage,
    async run (ctx) {
      if (!begun.has(ctx.outputs)) {
        begun.add(ctx.outputs)
        if (stage.name !== PAUSE && stage.name !== RESUME) {
          await restoreCluster(ctx)
          for (const redo of REDO[stage.name] ?? []) ctx.outputs[redo] = await stages.find(s => s.name === redo)!.run(ctx)
        }
      }
      return await stage.run(ctx)
    }
  }
}

const stages: StageDefinition<EtcdRestoreParams>[] = [
  { name: PAUSE, run: ctx => cp(ctx).pause() },
  {
    name: SCALE_DOWN,
    async run (ctx) {
      const c = cp(ctx)
      const replicas = await c.scaleDown('Deployment', WRITER_DEPLOYMENTS)
      await c.waitReplicas('Deployment', WRITER_DEPLOYMENTS, noneReady, waitFor(ctx, 'to have no ready pods'))
      return { replicas }
    }
  },
  { name: STOP_ETCD, run: stopEtcd },
  { name: RESTORE_DATA, weight: 4, run: restoreData },
  { name: START_ETCD, weight: 2, run: startEtcd },
  // §5.2: a new restart-date restarts every control-plane component once reconciliation resumes.
  { name: RESTART, run: async ctx => { const at = new Date(); await cp(ctx).restart(at); return { restartDate: at.toISOString() } } },
  {
    name: RESUME,
    weight: 2,
    async run (ctx) {
      const restored = await restoreCluster(ctx)
      await cp(ctx).waitReplicas('Deployment', Object.keys(restored.writers), allReady, waitFor(ctx, 'to be ready again'))
      return restored
    }
  }
]

async function cleanup (ctx: Ctx): Promise<void> {
  await restoreCluster(ctx).catch(err => ctx.log('warn', `job ${ctx.id}: could not restore the cluster`, { err: (err as Error).message }))
  const apps = ctx.kube.makeApiClient(AppsV1Api)
  const sts = await apps.readNamespacedStatefulSet({ namespace: `${ctx.params.namespace}-${ctx.params.name}`, name: ETCD_STATEFULSET }).catch(() => undefined)
  for (let i = 0; i < (sts?.spec?.replicas ?? 0); i++) {
    await execCapture(ctx.kube, pod(ctx, `etcd-${i}`), commands.remove(RESTORE_SNAPSHOT_PATH), { signal: ctx.signal, timeoutMs: 30_000 }).catch(() => {})
  }
}

// The on-premises in-place restore (seed 002_ch7-17 §1.4). API downtime: the writers are stopped
// from the pause to the end.
export const etcdRestoreJob = defineJob<EtcdRestoreParams>({
  kind: JobKinds.etcdRestore,
  // A half-restored etcd needs a human decision, not an automatic second go.
  attempts: 1,
  params: raw => parseParams(EtcdRestoreParamsSchema, 'etcd-restore', raw),
  options: { concurrency: 1 },
  stages: stages.map(guarded),
  onFail: cleanup,
  onCancel: cleanup
})
