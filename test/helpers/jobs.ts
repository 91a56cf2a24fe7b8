import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { KubeConfig } from '@kubernetes/client-node'
import type { Redis } from 'ioredis'
import { loadConfig, type Config } from '../../shared/config.ts'
import { createRedis } from '../../shared/redis/connection.ts'
import type { JobPolicy } from '../../shared/jobs/policy.ts'
import type { JobRecord, JobState } from '../../shared/jobs/schema.ts'
import { createJobService, type JobService } from '../../shared/jobs/service.ts'
import { startWorkers, type ProcessorDefinition, type WorkerPool } from '../../services/worker/worker.ts'

interface Teardown { teardown (fn: () => unknown): void }

export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const quiet = () => {}

// Each test gets its own BullMQ prefix, so parallel test files never see each other's jobs.
export function testPrefix (name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`
}

// Removes every key under a test prefix (queues, our index, flags) once the test is done.
export async function dropPrefix (redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) await redis.del(...keys)
  } while (cursor !== '0')
}

// One api replica's job service, with its own Redis connection.
export async function startJobService (t: Teardown, opts: { prefix: string, policies?: JobPolicy[], historySeconds?: number }): Promise<{ jobs: JobService, redis: Redis }> {
  const redis = createRedis(redisUrl, 'command', 'hcpgw-test-jobs')
  await redis.connect()
  const jobs = createJobService({ redis, redisUrl, prefix: opts.prefix, log: quiet, policies: opts.policies, historySeconds: opts.historySeconds })
  await jobs.ready()
  t.teardown(async () => {
    await jobs.close()
    await dropPrefix(redis, opts.prefix)
    await redis.quit()
  })
  return { jobs, redis }
}

export async function startTestWorkers (t: Teardown, opts: { prefix: string, processors: ProcessorDefinition[], kubeConfig?: KubeConfig, env?: Record<string, string>, concurrency?: number }): Promise<WorkerPool> {
  const config: Config = loadConfig({ JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '500', ...opts.env })
  const pool = await startWorkers({
    redisUrl,
    prefix: opts.prefix,
    concurrency: opts.concurrency ?? 2,
    processors: opts.processors,
    log: quiet,
    kubeConfig: opts.kubeConfig,
    config
  })
  t.teardown(() => pool.close(2000))
  return pool
}

export async function waitForJob (jobs: JobService, id: string, until: (r: JobRecord) => boolean, timeoutMs = 8000): Promise<JobRecord> {
  const end = Date.now() + timeoutMs
  let last: JobRecord | undefined
  while (Date.now() < end) {
    last = await jobs.get(id)
    if (until(last)) return last
    await sleep(25)
  }
  throw new Error(`job ${id} did not get there in ${timeoutMs} ms; last: ${JSON.stringify(last)}`)
}

export const inState = (...states: JobState[]) => (r: JobRecord) => states.includes(r.state)
