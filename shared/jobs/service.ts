import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { Queue, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import { GatewayError } from '../errors.ts'
import { createJobFeed, type JobFilter, type JobListener, type JobLog } from './feed.ts'
import {
  NATURAL_KEY_PATTERN, idempotentJobId, jobKeys, kindOfJobId, naturalJobId, randomJobId
} from './keys.ts'
import { allJobKinds, queueName, type JobKind } from './kinds.ts'
import { listJobs, type JobList, type JobListQuery } from './list.ts'
import { defaultPolicy, jobOptions, type JobPolicy } from './policy.ts'
import { toRecord, type CancelRequest, type JobData } from './record.ts'
import { isFinalState, type JobRecord, type JobTarget } from './schema.ts'

export interface JobServiceOptions {
  redis: Redis
  redisUrl: string
  prefix: string
  log: JobLog
  // How long finished jobs (and their idempotency) are kept; default 7 days.
  historySeconds?: number
  policies?: JobPolicy[]
  kinds?: JobKind[]
}

export interface SubmitRequest {
  kind: JobKind
  target: JobTarget
  params: Record<string, unknown>
  createdBy: string
  idempotencyKey?: string
  naturalKey?: string
}

export interface SubmitResult {
  job: JobRecord
  created: boolean
}

// Compare-and-set of a natural key's run number, so replicas resubmitting at once agree on the next run.
const NEXT_RUN = `
local current = redis.call('GET', KEYS[1]) or '1'
if current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`

const notFound = (id: string) => new GatewayError('GW_ERR_NOT_FOUND', `job ${id} does not exist (or its history has expired)`)

export function createJobService (opts: JobServiceOptions) {
  const history = opts.historySeconds ?? 7 * 24 * 3600
  const keys = jobKeys(opts.prefix)
  const kinds = opts.kinds ?? allJobKinds
  const policies = new Map(kinds.map(kind => [kind, opts.policies?.find(p => p.kind === kind) ?? defaultPolicy(kind)]))
  // Producers share the api's command connection: they never block, and fail fast when Redis is down.
  const queues = new Map(kinds.map(kind => {
    const q = new Queue<JobData>(queueName(kind), { connection: opts.redis, prefix: opts.prefix })
    q.on('error', err => opts.log('warn', `job queue ${kind} error`, { err: err.message }))
    return [kind, q] as const
  }))

  function queueOf (id: string): Queue<JobData> | undefined {
    const kind = kindOfJobId(id)
    return kind ? queues.get(kind) : undefined
  }

  async function readCancel (id: string): Promise<CancelRequest | null> {
    const raw = await opts.redis.get(keys.cancel(id))
    return raw ? JSON.parse(raw) as CancelRequest : null
  }

  // Three reads pipelined on one connection: the job hash, its state, the cancel flag.
  async function load (id: string): Promise<JobRecord | undefined> {
    const queue = queueOf(id)
    if (!queue) return undefined
    const [job, state, cancel] = await Promise.all([queue.getJob(id), queue.getJobState(id), readCancel(id)])
    return job ? toRecord(job, state, cancel) : undefined
  }

  async function get (id: string): Promise<JobRecord> {
    const record = await load(id)
    if (!record) throw notFound(id)
    return record
  }

  async function add (kind: JobKind, id: string, req: SubmitRequest): Promise<{ job: Job<JobData>, created: boolean }> {
    const queue = queues.get(kind)!
    const policy = policies.get(kind)!
    const submission = randomUUID()
    const data: JobData = { kind, target: req.target, params: req.params, createdBy: req.createdBy, stages: policy.stages, submission }
    // BullMQ ignores an add whose id exists (atomically, in its Lua), so concurrent submits make one job.
    await queue.add(kind, data, { ...jobOptions(policy, history), jobId: id })
    const stored = await queue.getJob(id)
    if (!stored) throw new GatewayError('GW_ERR_CONFLICT', `job ${id} disappeared while it was submitted; try again`)
    const created = stored.data.submission === submission
    if (created) {
      await opts.redis.multi()
        .zadd(keys.index, stored.timestamp, id)
        // The index forgets entries well after BullMQ would have removed their jobs.
        .zremrangebyscore(keys.index, '-inf', Date.now() - 2 * history * 1000)
        .exec()
    }
    return { job: stored, created }
  }

  async function submitNatural (kind: JobKind, naturalKey: string, req: SubmitRequest): Promise<SubmitResult> {
    const key = naturalKey.startsWith(`${kind}.`) ? naturalKey.slice(kind.length + 1) : naturalKey
    if (!NATURAL_KEY_PATTERN.test(key)) throw new GatewayError('GW_ERR_BAD_REQUEST', `natural key ${naturalKey} must be lower-case DNS-style names joined by dots`)
    const runKey = keys.natural(kind, key)
    for (let i = 0; i < 10; i++) {
      const run = Number(await opts.redis.get(runKey) ?? '1')
      const id = naturalJobId(kind, key, run)
      const { job: stored, created } = await add(kind, id, req)
      const job = await get(id)
      if (created) return { job, created }
      // The same work is already queued or running: hand back that job.
      if (!isFinalState(job.state)) return { job, created: false }
      // It failed or was cancelled: the same job runs again (its finished stages are skipped), with the
      // latest params, e.g. a destroy resubmitted with force after it got stuck.
      if (job.state !== 'succeeded') {
        if (!isDeepStrictEqual(stored.data.params, req.params)) await stored.updateData({ ...stored.data, params: req.params })
        return { job: await retry(id, req.createdBy), created: false }
      }
      // It succeeded earlier (the target was re-created since): a new run gets the next id.
      await opts.redis.eval(NEXT_RUN, 1, runKey, String(run), String(run + 1), String(2 * history))
    }
    throw new GatewayError('GW_ERR_CONFLICT', `could not submit ${kind} for ${naturalKey}: too many concurrent submissions`)
  }

  async function submit (req: SubmitRequest): Promise<SubmitResult> {
    const { kind } = req
    if (!queues.has(kind)) throw new GatewayError('GW_ERR_BAD_REQUEST', `job kind ${kind} is not served here`)
    if (req.naturalKey) return submitNatural(kind, req.naturalKey, req)
    if (req.idempotencyKey) {
      const id = idempotentJobId(kind, req.createdBy, req.idempotencyKey)
      const { job, created } = await add(kind, id, req)
      if (!created && (!isDeepStrictEqual(job.data.params, req.params) || !isDeepStrictEqual(job.data.target, req.target))) {
        throw new GatewayError('GW_ERR_UNPROCESSABLE', 'this Idempotency-Key was used for a different request', { extensions: { jobId: id } })
      }
      return { job: await get(id), created }
    }
    const id = randomJobId(kind)
    await add(kind, id, req)
    return { job: await get(id), created: true }
  }

  // The flag is the truth (a worker checks it before every stage, so a lost message only delays the
  // cancel); the message makes the worker running the job abort it at once.
  async function cancel (id: string, by: string): Promise<JobRecord> {
    const record = await get(id)
    if (isFinalState(record.state)) throw new GatewayError('GW_ERR_CONFLICT', `job ${id} already ended (${record.state})`)
    if (record.state !== 'cancelling') {
      const request: CancelRequest = { by, at: new Date().toISOString() }
      await opts.redis.set(keys.cancel(id), JSON.stringify(request), 'EX', history)
    }
    // Sent again on a repeated cancel, in case a worker missed the first message.
    await opts.redis.publish(keys.cancelChannel, id)
    const queue = queueOf(id)!
    // A job backing off before a retry would otherwise wait out its delay before a worker sees the flag.
    if (await queue.getJobState(id) === 'delayed') await (await queue.getJob(id))?.promote().catch(() => {})
    return get(id)
  }

  async function retry (id: string, by: string): Promise<JobRecord> {
    const record = await get(id)
    if (record.state !== 'failed' && record.state !== 'cancelled') {
      throw new GatewayError('GW_ERR_CONFLICT', `job ${id} is ${record.state}; only failed or cancelled jobs can be retried`)
    }
    const job = (await queueOf(id)!.getJob(id))!
    await opts.redis.del(keys.cancel(id))
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
    } catch (err) {
      throw new GatewayError('GW_ERR_CONFLICT', `job ${id} could not be retried: ${(err as Error).message}`, { cause: err })
    }
    opts.log('info', `job ${id} retried by ${by}`)
    return get(id)
  }

  const feed = createJobFeed({ redis: opts.redis, redisUrl: opts.redisUrl, prefix: opts.prefix, kinds, load, log: opts.log })

  async function * events (id: string, signal?: AbortSignal): AsyncGenerator<JobRecord> {
    // Fails fast (unknown job, Redis down) before waiting for the event connections.
    await get(id)
    await feed.ready()
    yield * feed.events(id, () => get(id), signal)
  }

  return {
    submit,
    get,
    list: (query: JobListQuery): Promise<JobList> => listJobs(opts.redis, keys.index, load, query),
    cancel,
    retry,
    events,
    subscribe: (filter: JobFilter, listener: JobListener) => feed.subscribe(filter, listener),
    ready: feed.ready,
    async close () {
      await feed.close()
      await Promise.all([...queues.values()].map(q => q.close()))
    }
  }
}

export type JobService = ReturnType<typeof createJobService>
