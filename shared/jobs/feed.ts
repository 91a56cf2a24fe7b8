import { QueueEvents } from 'bullmq'
import type { Redis } from 'ioredis'
import { createRedis } from '../redis/connection.ts'
import { jobKeys, kindOfJobId } from './keys.ts'
import { queueName, type JobKind } from './kinds.ts'
import { isStoredProgress } from './record.ts'
import { isFinalState, type JobRecord, type JobState, type JobTarget } from './schema.ts'

export interface JobFilter {
  id?: string
  kind?: JobKind
  target?: Partial<JobTarget>
}

export type JobListener = (record: JobRecord) => void
export type JobLog = (level: 'info' | 'warn' | 'error', msg: string, extra?: object) => void

export interface JobFeedOptions {
  // The api's command connection: event connections start once it first reaches Redis.
  redis: Redis
  redisUrl: string
  prefix: string
  kinds: JobKind[]
  load (id: string): Promise<JobRecord | undefined>
  log: JobLog
}

const QUEUE_EVENTS = ['added', 'waiting', 'active', 'progress', 'delayed', 'completed', 'failed', 'stalled'] as const

// Cheap test before any Redis read: can an event of this job concern this subscriber at all?
function mayMatch (filter: JobFilter, kind: JobKind, id: string): boolean {
  return (filter.id === undefined || filter.id === id) && (filter.kind === undefined || filter.kind === kind)
}

export function matches (filter: JobFilter, record: JobRecord): boolean {
  if (filter.id !== undefined && filter.id !== record.id) return false
  if (filter.kind !== undefined && filter.kind !== record.kind) return false
  const t = filter.target
  if (t?.type !== undefined && t.type !== record.target.type) return false
  if (t?.name !== undefined && t.name !== record.target.name) return false
  if (t?.namespace !== undefined && t.namespace !== record.target.namespace) return false
  return true
}

const MAX_REMEMBERED = 5000

// One QueueEvents per queue and one cancel-channel subscription per api replica, fanned out to local
// subscribers (SSE streams now, GraphQL subscriptions later). Every replica reads every event, so
// nothing needs a shared pub/sub for job progress.
export function createJobFeed (opts: JobFeedOptions) {
  const subscribers = new Set<{ filter: JobFilter, listener: JobListener }>()
  // Last record sent per job: 'waiting' + 'added' or 'failed' + 'retries-exhausted' often read the same state.
  const lastSent = new Map<string, { json: string, record: JobRecord }>()
  // Events of one job are handled one after the other, so a slow read never overtakes a newer one.
  const chains = new Map<string, Promise<void>>()
  const closing = new AbortController()

  function remember (id: string, json: string, record: JobRecord) {
    lastSent.delete(id)
    lastSent.set(id, { json, record })
    if (lastSent.size > MAX_REMEMBERED) lastSent.delete(lastSent.keys().next().value!)
  }

  async function handle (kind: JobKind, id: string, progress: unknown) {
    const interested = [...subscribers].filter(s => mayMatch(s.filter, kind, id))
    if (interested.length === 0) return
    const previous = lastSent.get(id)?.record
    let record: JobRecord | undefined
    // A progress event of a running job carries everything that changed: no Redis read needed.
    if (previous && (previous.state === 'running' || previous.state === 'cancelling') && isStoredProgress(progress)) {
      const { stages, error, cancelled: _c, outputs: _o, ...rest } = progress
      record = { ...previous, progress: rest, stages, ...(error ? { error } : {}) }
    } else {
      record = await opts.load(id)
    }
    if (!record) return
    const json = JSON.stringify(record)
    if (previous && lastSent.get(id)?.json === json) return
    remember(id, json, record)
    for (const s of subscribers) {
      if (!matches(s.filter, record)) continue
      try {
        s.listener(record)
      } catch (err) {
        opts.log('warn', 'job subscriber threw', { id, err: (err as Error).message })
      }
    }
  }

  function enqueue (kind: JobKind, id: string, progress?: unknown) {
    const run = (chains.get(id) ?? Promise.resolve())
      .then(() => handle(kind, id, progress))
      .catch(err => opts.log('warn', 'job event not delivered', { id, err: (err as Error).message }))
    chains.set(id, run)
    run.then(() => { if (chains.get(id) === run) chains.delete(id) }, () => {})
  }

  // Started once the api's command connection first reaches Redis: BullMQ cannot close a QueueEvents
  // that never connected, and an api without Redis (rendering the OpenAPI document) needs none.
  function start () {
    const queueEvents = opts.kinds.map(kind => {
      const qe = new QueueEvents(queueName(kind), { connection: { url: opts.redisUrl }, prefix: opts.prefix })
      qe.on('error', err => opts.log('warn', `job events of ${kind} unavailable`, { err: err.message }))
      for (const event of QUEUE_EVENTS) {
        qe.on(event, (args: { jobId: string, data?: unknown }) => enqueue(kind, args.jobId, event === 'progress' ? args.data : undefined))
      }
      return qe
    })
    const cancelSub = createRedis(opts.redisUrl, 'worker', 'hcpgw-api-jobs-sub')
    cancelSub.on('message', (_channel: string, id: string) => {
      const kind = kindOfJobId(id)
      if (kind) enqueue(kind, id)
    })
    const subscribed = cancelSub.connect().then(() => cancelSub.subscribe(jobKeys(opts.prefix).cancelChannel))
    subscribed.catch(err => opts.log('warn', 'job cancel channel unavailable', { err: (err as Error).message }))
    return {
      ready: Promise.all([subscribed, ...queueEvents.map(qe => qe.waitUntilReady())]).then(() => {}),
      async close () {
        await Promise.all(queueEvents.map(qe => qe.close()))
        await cancelSub.quit().catch(() => cancelSub.disconnect())
      }
    }
  }
  let started: ReturnType<typeof start> | undefined
  const begin = () => { if (!closing.signal.aborted) started ??= start() }
  let onReady: Promise<void>
  if (opts.redis.status === 'ready') {
    begin()
    onReady = Promise.resolve()
  } else {
    onReady = new Promise(resolve => opts.redis.once('ready', () => { begin(); resolve() }))
  }

  function subscribe (filter: JobFilter, listener: JobListener): () => void {
    const entry = { filter, listener }
    subscribers.add(entry)
    return () => { subscribers.delete(entry) }
  }

  const rank: Record<JobState, number> = { queued: 0, running: 1, cancelling: 2, succeeded: 3, failed: 3, cancelled: 3 }

  // The current record first, then every change, ending after a final state. Subscribing before the
  // first read means nothing is missed; records that raced the first read are kept only if they are newer.
  // An abort (client gone, service closing) ends the iteration even while it waits for the next change.
  async function * events (id: string, first: () => Promise<JobRecord>, signal?: AbortSignal): AsyncGenerator<JobRecord> {
    const buffer: JobRecord[] = []
    let wake: (() => void) | undefined
    const unsubscribe = subscribe({ id }, record => {
      buffer.push(record)
      wake?.()
    })
    const stop = () => wake?.()
    signal?.addEventListener('abort', stop)
    closing.signal.addEventListener('abort', stop)
    const ended = () => signal?.aborted || closing.signal.aborted
    try {
      const current = await first()
      yield current
      if (isFinalState(current.state)) return
      let last = JSON.stringify(current)
      const raced = buffer.splice(0).filter(r => rank[r.state] > rank[current.state] ||
        (rank[r.state] === rank[current.state] && r.progress.updatedAt > current.progress.updatedAt))
      buffer.unshift(...raced)
      while (true) {
        while (buffer.length > 0) {
          const record = buffer.shift()!
          const json = JSON.stringify(record)
          if (json === last) continue
          last = json
          yield record
          if (isFinalState(record.state)) return
        }
        if (ended()) return
        await new Promise<void>(resolve => { wake = resolve })
        wake = undefined
      }
    } finally {
      unsubscribe()
      signal?.removeEventListener('abort', stop)
      closing.signal.removeEventListener('abort', stop)
    }
  }

  return {
    subscribe,
    events,
    async ready () {
      await onReady
      await started?.ready
    },
    async close () {
      closing.abort()
      subscribers.clear()
      await started?.close()
      await Promise.all(chains.values())
    }
  }
}

export type JobFeed = ReturnType<typeof createJobFeed>
