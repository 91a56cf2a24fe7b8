import fp from 'fastify-plugin'
import { Queue } from 'bullmq'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client'
import type { Config } from '../../../../shared/config.ts'
import { allJobKinds, queueName } from '../../../../shared/jobs/kinds.ts'
import { isFinalState } from '../../../../shared/jobs/schema.ts'
import { DELIVERY_OUTCOMES, createDeliveryLog } from '../../../../shared/webhooks/delivery-log.ts'

declare module 'fastify' {
  interface FastifyInstance {
    // This app's own registry: several apps in one process (tests) never share or clash.
    metrics: { registry: Registry, scraped: Record<string, Metric> }
  }
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const
// Job ids already counted, so a record repeated by the feed is not counted twice.
const REMEMBERED_JOBS = 5000

// GET /metrics in Prometheus text format. Queue depths and webhook outcomes are read from Redis at
// scrape time on the api's command connection (no connection per scrape). Job and webhook figures
// are cluster-wide, so every replica reports the same values: aggregate them with max(), not sum().
export default fp<{ config: Config }>(async function metrics (fastify, opts) {
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry, prefix: 'hcpgw_' })

  const http = new Histogram({
    name: 'hcpgw_http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status code',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers
  })
  fastify.addHook('onResponse', async (request, reply) => {
    // Unknown URLs share one label, so scanners cannot grow the series without bound.
    const route = request.is404 ? 'unmatched' : request.routeOptions.url ?? 'unmatched'
    http.observe({ route, method: request.method, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })

  const queues = allJobKinds.map(kind => {
    const q = new Queue(queueName(kind), { connection: fastify.redis, prefix: opts.config.QUEUE_PREFIX })
    q.on('error', err => fastify.log.debug({ err: err.message }, `metrics queue ${kind} error`))
    return { kind, q }
  })
  const queueDepth = new Gauge({
    name: 'hcpgw_queue_jobs',
    help: 'Jobs per job kind and queue state (read at scrape time)',
    labelNames: ['kind', 'state'] as const,
    registers,
    async collect () {
      this.reset()
      try {
        const counts = await Promise.all(queues.map(({ q }) => q.getJobCounts(...QUEUE_STATES)))
        queues.forEach(({ kind }, i) => {
          for (const state of QUEUE_STATES) this.set({ kind, state }, counts[i][state] ?? 0)
        })
      } catch (err) {
        fastify.log.debug({ err: (err as Error).message }, 'queue depths not available for /metrics')
      }
    }
  })

  const jobDuration = new Histogram({
    name: 'hcpgw_job_duration_seconds',
    help: 'Run time of finished jobs (first start to end) by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200],
    registers
  })
  const jobOutcomes = new Counter({
    name: 'hcpgw_jobs_finished_total',
    help: 'Jobs that reached a final state, by kind and outcome (succeeded, failed, cancelled)',
    labelNames: ['kind', 'outcome'] as const,
    registers
  })
  const counted = new Set<string>()
  const unsubscribe = fastify.jobs.subscribe({}, record => {
    if (!isFinalState(record.state)) return
    const key = `${record.id}@${record.finishedAt ?? ''}`
    if (counted.has(key)) return
    counted.add(key)
    if (counted.size > REMEMBERED_JOBS) counted.delete(counted.values().next().value!)
    const labels = { kind: record.kind, outcome: record.state }
    jobOutcomes.inc(labels)
    if (record.startedAt && record.finishedAt) jobDuration.observe(labels, (Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000)
  })

  const deliveryLog = createDeliveryLog(fastify.redis, opts.config.QUEUE_PREFIX, { size: opts.config.WEBHOOK_DELIVERY_LOG_SIZE, ttlSeconds: opts.config.JOB_HISTORY_SECONDS })
  const webhookOutcomes = new Counter({
    name: 'hcpgw_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by result: delivered, retry (will be tried again), failed (refused, not retried), dead (retry period over)',
    labelNames: ['result'] as const,
    registers,
    async collect () {
      try {
        const outcomes = await deliveryLog.outcomes()
        this.reset()
        for (const result of DELIVERY_OUTCOMES) this.inc({ result }, outcomes[result])
      } catch (err) {
        fastify.log.debug({ err: (err as Error).message }, 'webhook outcomes not available for /metrics')
      }
    }
  })

  const caches = () => fastify.hasDecorator('caches')
    ? [['hostedclusters', fastify.caches.clusters], ['nodepools', fastify.caches.nodePools]] as const
    : []
  const cacheSynced = new Gauge({
    name: 'hcpgw_watch_cache_synced',
    help: '1 once the watch cache finished its first LIST',
    labelNames: ['resource'] as const,
    registers,
    collect () {
      for (const [resource, cache] of caches()) this.set({ resource }, cache.freshness().synced ? 1 : 0)
    }
  })
  const cacheStale = new Gauge({
    name: 'hcpgw_watch_cache_stale_seconds',
    help: '0 while the watch stream is up; otherwise how long changes may have gone unseen',
    labelNames: ['resource'] as const,
    registers,
    collect () {
      for (const [resource, cache] of caches()) {
        const age = cache.freshness().ageMs
        if (age !== undefined) this.set({ resource }, age / 1000)
      }
    }
  })
  const cacheLastEvent = new Gauge({
    name: 'hcpgw_watch_cache_last_event_timestamp_seconds',
    help: 'When the watch cache last received any event (bookmarks included)',
    labelNames: ['resource'] as const,
    registers,
    collect () {
      for (const [resource, cache] of caches()) {
        const at = cache.freshness().lastEventAt
        if (at) this.set({ resource }, Date.parse(at) / 1000)
      }
    }
  })
  const cacheRelists = new Gauge({
    name: 'hcpgw_watch_cache_relists',
    help: 'LISTs after the first one (410 Gone or a failed resume) since start',
    labelNames: ['resource'] as const,
    registers,
    collect () {
      for (const [resource, cache] of caches()) this.set({ resource }, cache.freshness().relists)
    }
  })
  const subscriptionsAge = new Gauge({
    name: 'hcpgw_webhook_subscriptions_age_seconds',
    help: 'Age of this replica\'s list of webhook subscriptions (relisted every WEBHOOK_RELIST_SECONDS)',
    registers,
    collect () {
      const age = fastify.hasDecorator('webhooks') ? fastify.webhooks.cache.freshness().ageMs : undefined
      if (age !== undefined) this.set(age / 1000)
    }
  })

  // Values read at scrape time (collect()); the rest are fed as things happen.
  const scraped = { queueDepth, webhookOutcomes, cacheSynced, cacheStale, cacheLastEvent, cacheRelists, subscriptionsAge }
  fastify.decorate('metrics', { registry, scraped })
  fastify.get('/metrics', { config: { public: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics())
  })
  fastify.addHook('preClose', async () => unsubscribe())
  fastify.addHook('onClose', async () => {
    await Promise.all(queues.map(({ q }) => q.close()))
  })
}, { name: 'metrics', dependencies: ['redis', 'jobs'] })
