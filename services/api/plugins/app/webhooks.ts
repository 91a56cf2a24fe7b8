import fp from 'fastify-plugin'
import type { Config } from '../../../../shared/config.ts'
import { toNodePoolView } from '../../../../shared/clusters/nodepool-view.ts'
import type { KubeObject } from '../../../../shared/kube/kube-object.ts'
import type { CacheEventType } from '../../../../shared/kube/cache-store.ts'
import { createSubscriptionCache, type SubscriptionCache } from '../../../../shared/webhooks/cache.ts'
import { clusterEvent, jobEvent, nodePoolEvent } from '../../../../shared/webhooks/events.ts'
import { createDeliveryQueue, type DeliveryQueue } from '../../../../shared/webhooks/queue.ts'
import { DeliverySchema, WebhookSchema, type WebhookEvent } from '../../../../shared/webhooks/schema.ts'
import { createWebhookService, type WebhookService } from '../../../../shared/webhooks/service.ts'
import { createSubscriptionStore } from '../../../../shared/webhooks/store.ts'
import { parseAllowList } from '../../../../shared/webhooks/target.ts'

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: WebhookService & { cache: SubscriptionCache, queue: DeliveryQueue }
  }
}

// Subscriptions (Secrets in GATEWAY_NAMESPACE), and the event sources that feed the webhook-delivery
// queue: job endings from the job feed, cluster and node pool transitions from the watch caches.
// Every replica sees every event; the Redis claim in publish() makes one of them enqueue it.
export default fp<{ config: Config, offline?: boolean }>(async function webhooks (fastify, opts) {
  const { config } = opts
  const log = (level: 'warn' | 'info', msg: string, extra?: object) => fastify.log[level](extra ?? {}, msg)
  const store = createSubscriptionStore(fastify.kube.config, config.GATEWAY_NAMESPACE)
  const cache = createSubscriptionCache(store, { relistMs: config.WEBHOOK_RELIST_SECONDS * 1000, log })
  const queue = createDeliveryQueue({ redis: fastify.redis, prefix: config.QUEUE_PREFIX, config, log })
  const policy = { allowHttp: config.WEBHOOK_ALLOW_HTTP, allowList: parseAllowList(config.WEBHOOK_ALLOWED_HOSTS) }
  const service = createWebhookService({ store, cache, queue, policy })
  fastify.decorate('webhooks', { ...service, cache, queue })
  fastify.addSchema(WebhookSchema)
  fastify.addSchema(DeliverySchema)
  fastify.addHook('onClose', async () => {
    cache.stop()
    await queue.close()
  })
  if (opts.offline) return

  const publish = (event: WebhookEvent | undefined) => {
    if (!event) return
    queue.publish(event, cache.list())
      .catch(err => fastify.log.warn({ err: (err as Error).message, event: event.id, type: event.type }, 'webhook event not enqueued'))
  }
  const { clusters, nodePools, lister } = fastify.caches
  // The first LIST replays every existing object as ADDED; only changes after it are events.
  const onCluster = (type: CacheEventType, obj: KubeObject, old?: KubeObject) => {
    if (clusters.freshness().synced) publish(clusterEvent(type, obj, old, () => lister.clusterView(obj)))
  }
  const onNodePool = (type: CacheEventType, obj: KubeObject, old?: KubeObject) => {
    if (nodePools.freshness().synced) publish(nodePoolEvent(type, obj, old, () => toNodePoolView(obj)))
  }
  const unsubscribe = [
    fastify.jobs.subscribe({}, record => publish(jobEvent(record))),
    clusters.onEvent(onCluster),
    nodePools.onEvent(onNodePool)
  ]
  fastify.addHook('onReady', async () => {
    await cache.start()
  })
  fastify.addHook('preClose', async () => {
    for (const off of unsubscribe) off()
  })
}, { name: 'webhooks', dependencies: ['redis', 'kube', 'jobs', 'caches'] })
