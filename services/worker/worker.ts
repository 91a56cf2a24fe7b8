import { Worker, type Processor, type WorkerOptions } from 'bullmq'
import type { Redis } from 'ioredis'
import { setTimeout as sleep } from 'node:timers/promises'
import { createRedis } from '../../shared/redis/connection.ts'
import { queueName, type JobKind } from '../../shared/jobs/kinds.ts'

export interface ProcessorDefinition {
  kind: JobKind
  processor: Processor
  // Per-kind overrides such as a lower concurrency for byte-heavy kinds.
  options?: Partial<Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'limiter'>>
}

export interface WorkerPoolOptions {
  redisUrl: string
  prefix: string
  concurrency: number
  processors: ProcessorDefinition[]
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: object) => void
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
  const connection: Redis = createRedis(opts.redisUrl, 'worker', 'hcpgw-worker')
  await connection.connect()
  const workers = opts.processors.map(def => {
    const worker = new Worker(queueName(def.kind), def.processor, {
      connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      ...def.options
    })
    worker.on('error', err => opts.log('error', `worker ${def.kind} error`, { err: err.message }))
    worker.on('failed', (job, err) => opts.log('warn', `job ${def.kind}/${job?.id} failed`, { err: err.message }))
    return worker
  })
  await Promise.all(workers.map(w => w.waitUntilReady()))
  opts.log('info', `worker ready for ${workers.length} job kind(s)`, { kinds: [...seen] })

  return {
    kinds: [...seen],
    // worker.close() waits for active jobs with no limit and a second close(true) returns the same
    // promise, so on timeout: abort cooperative processors, then drop the connections. Jobs left
    // active stay in Redis and another worker recovers them as stalled.
    async close (timeoutMs) {
      const graceful = Promise.all(workers.map(w => w.close())).then(() => true)
      if (!await Promise.race([graceful, sleep(timeoutMs).then(() => false)])) {
        opts.log('warn', `jobs still active after ${timeoutMs} ms; cancelling them and closing workers`)
        for (const w of workers) w.cancelAllJobs('worker shutting down')
        if (!await Promise.race([graceful, sleep(1000).then(() => false)])) {
          await Promise.all(workers.map(w => w.disconnect()))
        }
      }
      await connection.quit().catch(() => connection.disconnect())
    }
  }
}
