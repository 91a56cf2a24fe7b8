import fp from 'fastify-plugin'
import { Queue } from 'bullmq'
import type { Config } from '../../../../shared/config.ts'
import type { CreateClusterInput } from '../../../../shared/hypershift/render/create-cluster-schema.ts'
import { queueName } from '../../../../shared/jobs/kinds.ts'
import { defaultPolicy } from '../../../../shared/jobs/policy.ts'
import type { ObjectStoreSettings } from '../../../../shared/storage/s3-client.ts'
import { createOadpService, type OadpService } from '../../../../shared/backups/oadp-service.ts'
import type { StoreLocation } from '../../../../shared/backups/params.ts'
import { createBackupRecords } from '../../../../shared/backups/records.ts'
import { createRestoreService, type RestoreService } from '../../../../shared/backups/restore-service.ts'
import { createScheduleService, type ScheduleService } from '../../../../shared/backups/schedule-service.ts'
import { BackupSchema, ScheduleSchema } from '../../../../shared/backups/schemas.ts'
import { createBackupService, type BackupService } from '../../../../shared/backups/service.ts'
import { jobPolicies } from '../../../worker/processors.ts'

declare module 'fastify' {
  interface FastifyInstance {
    backups: { service: BackupService, restore: RestoreService, schedules: ScheduleService, oadp: OadpService }
  }
}

export interface BackupsPluginOptions {
  config: Config
  objectStore: ObjectStoreSettings
  offline?: boolean
}

export default fp<BackupsPluginOptions>(async function backups (fastify, opts) {
  const { config } = opts
  // Only the location travels in job params; the worker signs with its own credentials.
  const store: StoreLocation = {
    bucket: config.BACKUP_BUCKET || opts.objectStore.bucket,
    region: opts.objectStore.region,
    forcePathStyle: opts.objectStore.forcePathStyle,
    ...(opts.objectStore.endpoint ? { endpoint: opts.objectStore.endpoint } : {})
  }
  const s3 = fastify.objectStore.client
  const kubeConfig = fastify.kube.config
  const records = createBackupRecords(kubeConfig, config.GATEWAY_NAMESPACE)
  const findCluster = fastify.clusters.find
  const clusterExists = (name: string) => fastify.caches.lister.findClusters(name, undefined).length > 0
  const service = createBackupService({ kubeConfig, config, records, jobs: fastify.jobs, s3, store, findCluster })
  const restore = createRestoreService({
    config,
    jobs: fastify.jobs,
    s3,
    store,
    backups: service,
    findCluster,
    clusterExists,
    async createCluster (principal, input, r) {
      const outcome = await fastify.clusters.create(principal, input as unknown as CreateClusterInput, { dryRun: false, sensitive: false, restore: r })
      return outcome.cluster
    }
  })
  const queue = new Queue(queueName('backup-prune'), { connection: fastify.redis, prefix: config.QUEUE_PREFIX })
  queue.on('error', err => fastify.log.warn({ err: err.message }, 'backup schedule queue error'))
  const schedules = createScheduleService({
    records,
    queue,
    policy: jobPolicies.find(p => p.kind === 'backup-prune') ?? defaultPolicy('backup-prune'),
    historySeconds: config.JOB_HISTORY_SECONDS,
    store,
    strategyFor: r => service.strategyFor(r),
    findCluster
  })
  const oadp = createOadpService({ kubeConfig, config, jobs: fastify.jobs, servesVelero: service.servesVelero, findCluster, clusterExists })

  fastify.decorate('backups', { service, restore, schedules, oadp })
  fastify.addSchema(BackupSchema)
  fastify.addSchema(ScheduleSchema)
  // Schedules live in ConfigMaps and are (re)registered with BullMQ in the background, retrying until
  // Redis and the Kubernetes API answer, so a Redis flush or a slow dependency never blocks start-up.
  const stop = new AbortController()
  if (!opts.offline) {
    fastify.addHook('onReady', async () => {
      (async () => {
        for (let delay = 1000; !stop.signal.aborted; delay = Math.min(delay * 2, 30_000)) {
          try {
            const n = await schedules.registerAll()
            if (n > 0) fastify.log.info(`registered ${n} backup schedule(s)`)
            return
          } catch (err) {
            fastify.log.warn({ err: (err as Error).message }, `backup schedules not registered yet; retrying in ${delay} ms`)
            await new Promise(resolve => setTimeout(resolve, delay).unref())
          }
        }
      })().catch(() => {})
    })
  }
  fastify.addHook('onClose', async () => { stop.abort() })
  fastify.addHook('onClose', async () => { await queue.close() })
}, { name: 'backups', dependencies: ['jobs', 'kube', 'object-store', 'cluster-services', 'caches'] })
