import { Worker, type Job, type WorkerOptions } from 'bullmq'
import type { KubeConfig } from '@kubernetes/client-node'
import type { Redis } from 'ioredis'
import { setTimeout as sleep } from 'node:timers/promises'
import { loadConfig, type Config } from '../../shared/config.ts'
import { createRedis } from '../../shared/redis/connection.ts'
import { jobKeys, kindOfJobId } from '../../shared/jobs/keys.ts'
import { queueName, type JobKind } from '../../shared/jobs/kinds.ts'
import type { JobPolicy } from '../../shared/jobs/policy.ts'

export type WorkerLog = (level: 'info' | 'warn' | 'error', msg: string, extra?: object) => void

// What a processor may use besides its job: handed over by startWorkers, so job modules hold no globals.
export interface WorkerDeps {
  kubeConfig?: KubeConfig
  log: WorkerLog
  config: Config
  // The worker's Redis connection and BullMQ prefix (cancel flags live beside the queues).
  redis: Redis
  prefix: string
}

export type JobProcessor = (job: Job, token: string | undefined, signal: AbortSignal | undefined, deps: WorkerDeps) => Promise<unknown>

export interface ProcessorDefinition {
  kind: JobKind
  processor: JobProcessor
  // Per-kind overrides such as a lower concurrency for byte-heavy kinds.
  options?: Partial<Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'limiter'>>
  // Stages and retry policy, for the api to set when it submits (jobs made with defineJob have one).
  policy?: JobPolicy
}

export interface WorkerPoolOptions {
  redisUrl: string
  prefix: string
  concurrency: number
  processors: ProcessorDefinition[]
  log: WorkerLog
  kubeConfig?: KubeConfig
  // Lock, stall and job settings (JOB_*, CLUSTER_DESTROY_*); their defaults when absent.
  config?: Config
}

export interface WorkerPool {
  kinds: JobKind[]
  close (timeoutMs: number): Promise<void>
}

export async function startWorkers (opts: WorkerPoolOptions): Promise<WorkerPool> {
  const seen = new Set<JobKind>()
  for (const def of opts.processors) {
    if (seen.has(def.kind)) throw new Error(`two processors registered for job kind ${def.kind}`)
    seen.add(def.kind)
  }
  const config = opts.config ?? loadConfig({})
  const connection: Redis = createRedis(opts.redisUrl, 'worker', 'hcpgw-worker')
  await connection.connect()
  const deps: WorkerDeps = { kubeConfig: opts.kubeConfig, log: opts.log, config, redis: connection, prefix: opts.prefix }
  const workers = new Map(opts.processors.map(def => {
    // Three declared parameters: BullMQ only passes an AbortSignal to processors that take one.
    const worker = new Worker(queueName(def.kind), (job, token, signal) => def.processor(job, token, signal, deps), {
      connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      lockDuration: config.JOB_LOCK_MS,
      stalledInterval: config.JOB_STALLED_INTERVAL_MS,
      maxStalledCount: config.JOB_MAX_STALLED_COUNT,
      ...def.options
    })
    worker.on('error', err => opts.log('error', `worker ${def.kind} error`, { err: err.message }))
    worker.on('failed', (job, err) => opts.log('warn', `job ${def.kind}/${job?.id} failed`, { err: err.message }))
    return [def.kind, worker] as const
  }))

  // A cancel may come from any api replica; only the worker holding the job can abort it.
  const cancels = createRedis(opts.redisUrl, 'worker', 'hcpgw-worker-cancel')
  cancels.on('message', (_channel: string, id: string) => {
    const kind = kindOfJobId(id)
    if (kind && workers.get(kind)?.cancelJob(id, 'cancel requested')) opts.log('info', `job ${id} cancelled`)
  })
  await cancels.connect()
  await cancels.subscribe(jobKeys(opts.prefix).cancelChannel)

  await Promise.all([...workers.values()].map(w => w.waitUntilReady()))
  opts.log('info', `worker ready for ${workers.size} job kind(s)`, { kinds: [...seen] })

  return {
    kinds: [...seen],
    // worker.close() waits for active jobs with no limit and a second close(true) returns the same
    // promise, so on timeout: abort cooperative processors, then drop the connections. Jobs left
    // active stay in Redis and another worker recovers them as stalled.
    async close (timeoutMs) {
      await cancels.quit().catch(() => cancels.disconnect())
      const all = [...workers.values()]
      const graceful = Promise.all(all.map(w => w.close())).then(() => true)
      if (!await Promise.race([graceful, sleep(timeoutMs).then(() => false)])) {
        opts.log('warn', `jobs still active after ${timeoutMs} ms; cancelling them and closing workers`)
        for (const w of all) w.cancelAllJobs('worker shutting down')
        if (!await Promise.race([graceful, sleep(1000).then(() => false)])) {
          await Promise.all(all.map(w => w.disconnect()))
        }
      }
      await connection.quit().catch(() => connection.disconnect())
    }
  }
}
