import { Queue, type JobsOptions } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Config } from '../config.ts'
import { GatewayError } from '../errors.ts'
import { JobKinds, queueName } from '../jobs/kinds.ts'
import { createDeliveryLog, deliveryId, webhookKeys, type DeliveryJobData, type DeliveryLog } from './delivery-log.ts'
import { wants, type Delivery, type Subscription, type WebhookEvent } from './schema.ts'

export const RETRY_JITTER = 0.25
const EVENT_DEDUPE_SECONDS = 24 * 3600

export interface RetryPlan {
  attempts: number
  periodMs: number
  backoff: { type: 'exponential', delay: number, jitter: number }
}

// BullMQ waits base·2^(n-1) (less up to the jitter) before retry n. Enough attempts that even the
// shortest jittered waits add up to the period; the worker ends a delivery (dead) at the first failure
// after the period, so the attempt count is only an upper bound.
export function retryPlan (config: Pick<Config, 'WEBHOOK_RETRY_HOURS' | 'WEBHOOK_RETRY_BASE_MS'>): RetryPlan {
  const periodMs = Math.round(config.WEBHOOK_RETRY_HOURS * 3600_000)
  const shortest = config.WEBHOOK_RETRY_BASE_MS * (1 - RETRY_JITTER)
  const retries = Math.max(1, Math.ceil(Math.log2(periodMs / shortest + 1)))
  return { attempts: retries + 1, periodMs, backoff: { type: 'exponential', delay: config.WEBHOOK_RETRY_BASE_MS, jitter: RETRY_JITTER } }
}

export interface DeliveryQueueOptions {
  redis: Redis
  prefix: string
  config: Config
  log: (level: 'warn', msg: string, extra?: object) => void
}

// The producer half: the api turns events into one delivery job per subscription on the webhook-delivery queue.
export function createDeliveryQueue (opts: DeliveryQueueOptions) {
  const queue = new Queue<DeliveryJobData>(queueName(JobKinds.webhookDelivery), { connection: opts.redis, prefix: opts.prefix })
  queue.on('error', err => opts.log('warn', 'webhook queue error', { err: err.message }))
  const keys = webhookKeys(opts.prefix)
  const history = opts.config.JOB_HISTORY_SECONDS
  const plan = retryPlan(opts.config)
  const log: DeliveryLog = createDeliveryLog(opts.redis, opts.prefix, { size: opts.config.WEBHOOK_DELIVERY_LOG_SIZE, ttlSeconds: history })
  const jobOptions = (id: string): JobsOptions => ({
    jobId: id,
    attempts: plan.attempts,
    backoff: plan.backoff,
    // Kept as long as the delivery log, so a redelivery still finds the payload and a duplicate add still collapses.
    removeOnComplete: { age: history },
    removeOnFail: { age: history }
  })

  async function add (data: DeliveryJobData, redeliveryOf?: string): Promise<Delivery> {
    const record = await log.open(data, redeliveryOf)
    await queue.add('deliver', data, jobOptions(data.deliveryId))
    return record
  }

  return {
    log,
    plan,
    // Returns how many deliveries this replica enqueued: 0 when no subscription wants the event or
    // another replica claimed it first.
    async publish (event: WebhookEvent, subscriptions: Subscription[]): Promise<number> {
      const targets = subscriptions.filter(s => wants(s, event))
      if (targets.length === 0) return 0
      const claimed = await opts.redis.set(keys.event(event.id), '1', 'EX', EVENT_DEDUPE_SECONDS, 'NX')
      if (claimed === null) return 0
      const { namespace: _ns, ...payload } = event
      const deadline = Date.now() + plan.periodMs
      for (const sub of targets) {
        await add({ deliveryId: deliveryId(event.id, sub.id), subscriptionId: sub.id, event: payload, deadline })
      }
      return targets.length
    },
    // A new delivery of the same event (same webhook-id, so receivers can still dedupe) with a fresh retry period.
    async redeliver (original: Delivery): Promise<Delivery> {
      const job = await queue.getJob(original.id)
      if (!job) throw new GatewayError('GW_ERR_CONFLICT', `the payload of delivery ${original.id} has expired; it cannot be redelivered`)
      // Every redelivery is numbered under the first delivery, whichever one it was made from.
      const root = original.id.replace(/-r\d+$/, '')
      const n = await opts.redis.incr(keys.redeliveries(root))
      await opts.redis.expire(keys.redeliveries(root), history)
      const data: DeliveryJobData = { ...job.data, deliveryId: `${root}-r${n}`, deadline: Date.now() + plan.periodMs }
      return add(data, original.id)
    },
    queue,
    close: () => queue.close()
  }
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>
