import { setTimeout as sleep } from 'node:timers/promises'
import type { BackupEntry } from '../../../shared/backups/catalogue.ts'
import { deleteKeys, workerS3Client } from '../../../shared/backups/object-store.ts'
import { BackupPruneParamsSchema, clusterJobKey, parseParams, type BackupPruneParams } from '../../../shared/backups/params.ts'
import { createBackupRecords } from '../../../shared/backups/records.ts'
import { selectPrunable } from '../../../shared/backups/retention.ts'
import { GatewayError } from '../../../shared/errors.ts'
import { JobKinds } from '../../../shared/jobs/kinds.ts'
import { isFinalState, type JobRecord } from '../../../shared/jobs/schema.ts'
import { createJobService } from '../../../shared/jobs/service.ts'
import { createRedis } from '../../../shared/redis/connection.ts'
import { defineJob, type JobContext } from './define-job.ts'
import { permanent } from './errors.ts'
import { etcdSnapshotJob } from './etcd-snapshot.ts'

type Ctx = JobContext<BackupPruneParams>

const POLL_MS = 500

const records = (ctx: Ctx) => createBackupRecords(ctx.kube, ctx.config.GATEWAY_NAMESPACE)

async function schedule (ctx: Ctx) {
  const def = await records(ctx).getSchedule(ctx.params.scheduleId)
  // Deleted while this run was queued: nothing to do (BullMQ may fire once more after removal).
  if (!def) throw permanent(new GatewayError('GW_ERR_NOT_FOUND', `backup schedule ${ctx.params.scheduleId} no longer exists`))
  return def
}

// One fire of a schedule: an etcd-snapshot job like any other (the per-cluster natural key, so a backup
// already running is the one this run waits for), followed until it ends.
async function snapshot (ctx: Ctx): Promise<{ startedAt: string, jobId: string, state: JobRecord['state'], backupId?: string }> {
  const def = await schedule(ctx)
  const startedAt = new Date().toISOString()
  const redis = createRedis(ctx.config.REDIS_URL, 'command', 'hcpgw-backup-schedule')
  await redis.connect()
  const jobs = createJobService({ redis, redisUrl: ctx.config.REDIS_URL, prefix: ctx.config.QUEUE_PREFIX, log: ctx.log, policies: [etcdSnapshotJob.policy], kinds: ['etcd-snapshot'] })
  try {
    const { job } = await jobs.submit({
      kind: 'etcd-snapshot',
      target: { type: 'cluster', name: def.cluster, namespace: def.namespace },
      params: { name: def.cluster, namespace: def.namespace, strategy: ctx.params.strategy, store: ctx.params.store, scheduleId: def.id },
      createdBy: `schedule:${def.id}`,
      naturalKey: clusterJobKey(def.namespace, def.cluster)
    })
    ctx.progress({ message: `waiting for ${job.id}` })
    let current = job
    while (!isFinalState(current.state)) {
      await sleep(POLL_MS, undefined, { signal: ctx.signal })
      current = await jobs.get(job.id)
    }
    const backupId = (current.result as BackupEntry | undefined)?.id
    return { startedAt, jobId: job.id, state: current.state, ...(current.state === 'succeeded' && backupId ? { backupId } : {}) }
  } finally {
    await jobs.close()
    await redis.quit().catch(() => redis.disconnect())
  }
}

// Retention: only this schedule's own backups, newest kept.
async function prune (ctx: Ctx): Promise<{ deleted: string[] }> {
  const def = await schedule(ctx)
  const r = records(ctx)
  const mine = (await r.listBackups({ namespace: def.namespace, name: def.cluster })).filter(e => e.scheduleId === def.id)
  const doomed = selectPrunable(mine, def.retention, new Date())
  const client = workerS3Client(ctx.params.store, ctx.config)
  const deleted: string[] = []
  try {
    for (const e of doomed) {
      await deleteKeys(client, e.bucket, [e.objectKey, ...(e.encryptionKeyObject ? [e.encryptionKeyObject] : [])])
      await r.removeBackup(e.id)
      deleted.push(e.id)
    }
  } finally {
    client.destroy()
  }
  return { deleted }
}

async function recordRun (ctx: Ctx) {
  const run = ctx.outputs.snapshot as Awaited<ReturnType<typeof snapshot>>
  const ok = run.state === 'succeeded'
  await records(ctx).recordRun(ctx.params.scheduleId, {
    lastRunAt: run.startedAt,
    lastResult: ok ? 'succeeded' : 'failed',
    ...(ok ? {} : { lastError: `backup job ${run.jobId} ${run.state}` }),
    ...(run.backupId ? { lastBackupId: run.backupId } : {})
  })
  return { lastResult: ok ? 'succeeded' : 'failed' }
}

// A fire of a backup schedule (BullMQ job scheduler on this kind's queue): snapshot, prune, record.
export const backupScheduleJob = defineJob<BackupPruneParams>({
  kind: JobKinds.backupPrune,
  attempts: 2,
  params: raw => parseParams(BackupPruneParamsSchema, 'backup-prune', raw),
  stages: [
    { name: 'snapshot', weight: 8, run: snapshot },
    { name: 'prune', run: prune },
    { name: 'record-run', run: recordRun }
  ],
  async onFail (ctx, error) {
    if (error.code === 'GW_ERR_NOT_FOUND') return
    await records(ctx).recordRun(ctx.params.scheduleId, { lastRunAt: new Date().toISOString(), lastResult: 'failed', lastError: error.message })
  }
})
