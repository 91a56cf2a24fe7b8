import type { Redis } from 'ioredis'
import type { Delivery, DeliveryAttempt, DeliveryState, WebhookEvent } from './schema.ts'

// Beside BullMQ's keys under the same prefix; 'hcpgw-webhooks' is no queue name.
const NS = 'hcpgw-webhooks'

export function webhookKeys (prefix: string) {
  return {
    // SET NX per event: of N replicas that all saw it, one enqueues its deliveries.
    event: (eventId: string) => `${prefix}:${NS}:event:${eventId}`,
    delivery: (id: string) => `${prefix}:${NS}:delivery:${id}`,
    // newest-last index of one subscription's deliveries, scored by creation time
    log: (subscriptionId: string) => `${prefix}:${NS}:log:${subscriptionId}`,
    redeliveries: (id: string) => `${prefix}:${NS}:redeliveries:${id}`,
    // attempt outcomes by result, counted across every worker (the api's /metrics reads it)
    outcomes: `${prefix}:${NS}:outcomes`
  }
}

export const DELIVERY_OUTCOMES = ['delivered', 'retry', 'failed', 'dead'] as const
export type DeliveryOutcome = typeof DELIVERY_OUTCOMES[number]

// One attempt list stays readable: older attempts beyond this are dropped (attemptCount keeps the total).
const KEPT_ATTEMPTS = 20

export function eventHex (eventId: string): string {
  return eventId.replace(/^evt_/, '')
}

// No ':' and never all digits, as BullMQ requires of custom job ids; the same event and subscription
// always name the same job, so duplicate enqueues collapse.
export function deliveryId (eventId: string, subscriptionId: string): string {
  return `wh-${eventHex(eventId)}-${subscriptionId}`
}

export interface DeliveryJobData {
  deliveryId: string
  subscriptionId: string
  event: Omit<WebhookEvent, 'namespace'>
  // epoch ms after which a failed attempt is final (dead)
  deadline: number
}

export interface DeliveryLogOptions {
  size: number
  ttlSeconds: number
}

export function createDeliveryLog (redis: Redis, prefix: string, opts: DeliveryLogOptions) {
  const keys = webhookKeys(prefix)

  async function write (record: Delivery, createdAtMs: number, onlyIfNew = false): Promise<boolean> {
    const json = JSON.stringify(record)
    const key = keys.delivery(record.id)
    const set = onlyIfNew
      ? await redis.set(key, json, 'EX', opts.ttlSeconds, 'NX')
      : await redis.set(key, json, 'EX', opts.ttlSeconds)
    if (set === null) return false
    const log = keys.log(record.subscriptionId)
    await redis.multi()
      .zadd(log, createdAtMs, record.id)
      .zremrangebyrank(log, 0, -(opts.size + 1))
      .expire(log, opts.ttlSeconds)
      .exec()
    return true
  }

  async function get (id: string): Promise<Delivery | undefined> {
    const raw = await redis.get(keys.delivery(id))
    return raw ? JSON.parse(raw) as Delivery : undefined
  }

  async function open (data: DeliveryJobData, redeliveryOf?: string): Promise<Delivery> {
    const now = new Date()
    const record: Delivery = {
      id: data.deliveryId,
      subscriptionId: data.subscriptionId,
      eventId: data.event.id,
      eventType: data.event.type,
      state: 'pending',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      attemptCount: 0,
      attempts: [],
      ...(redeliveryOf ? { redeliveryOf } : {})
    }
    await write(record, now.getTime(), true)
    return record
  }

  return {
    open,
    // Written only by the worker holding the job's lock, so read-modify-write is safe.
    async record (data: DeliveryJobData, attempt: DeliveryAttempt | undefined, state: DeliveryState, outcome: DeliveryOutcome): Promise<Delivery> {
      const current = await get(data.deliveryId)
      const base = current ?? await open(data)
      const record: Delivery = {
        ...base,
        state,
        updatedAt: new Date().toISOString(),
        attemptCount: base.attemptCount + (attempt ? 1 : 0),
        attempts: attempt ? [...base.attempts, attempt].slice(-KEPT_ATTEMPTS) : base.attempts
      }
      await write(record, Date.parse(base.createdAt))
      await redis.hincrby(keys.outcomes, outcome, 1)
      return record
    },
    get,
    async list (subscriptionId: string, limit: number): Promise<Delivery[]> {
      const ids = await redis.zrevrange(keys.log(subscriptionId), 0, limit - 1)
      if (ids.length === 0) return []
      const raws = await redis.mget(ids.map(id => keys.delivery(id)))
      return raws.flatMap(raw => raw ? [JSON.parse(raw) as Delivery] : [])
    },
    async outcomes (): Promise<Record<DeliveryOutcome, number>> {
      const raw = await redis.hgetall(keys.outcomes)
      return Object.fromEntries(DELIVERY_OUTCOMES.map(o => [o, Number(raw[o] ?? 0)])) as Record<DeliveryOutcome, number>
    }
  }
}

export type DeliveryLog = ReturnType<typeof createDeliveryLog>
