import type { Principal } from '../auth/principal.ts'
import { GatewayError } from '../errors.ts'
import type { SubscriptionCache } from './cache.ts'
import type { DeliveryQueue } from './queue.ts'
import { toWebhookView, type Delivery, type Subscription, type Webhook, type WebhookCreate } from './schema.ts'
import { newSigningSecret, newSubscriptionId, subscriptionNotFound, type SubscriptionStore } from './store.ts'
import { checkTarget, type TargetPolicy } from './target.ts'

export interface WebhookServiceDeps {
  store: SubscriptionStore
  cache: SubscriptionCache
  queue: DeliveryQueue
  policy: TargetPolicy
}

// A tenant key sees a subscription only when every namespace it listens to is one of the tenant's;
// an unfiltered subscription (all namespaces) belongs to unlimited keys only.
export function canSeeSubscription (principal: Principal, sub: Subscription): boolean {
  const tenant = principal.tenant
  if (!tenant) return true
  return !!sub.namespaces && sub.namespaces.every(ns => tenant.namespaces.includes(ns))
}

// The one implementation of the webhook rules; REST (and any later transport) calls it.
export function createWebhookService (deps: WebhookServiceDeps) {
  async function find (principal: Principal, id: string): Promise<Subscription> {
    // Reads go to Kubernetes: the cache (for events) may lag another replica's write by a relist.
    const sub = (await deps.store.read(id))?.subscription
    if (!sub || !canSeeSubscription(principal, sub)) throw subscriptionNotFound(id)
    return sub
  }

  async function findDelivery (principal: Principal, id: string, deliveryId: string): Promise<Delivery> {
    await find(principal, id)
    const delivery = await deps.queue.log.get(deliveryId)
    if (!delivery || delivery.subscriptionId !== id) throw new GatewayError('GW_ERR_NOT_FOUND', `delivery ${deliveryId} of webhook ${id} does not exist (or has expired)`)
    return delivery
  }

  return {
    async create (principal: Principal, input: WebhookCreate): Promise<{ webhook: Webhook, secret: string }> {
      let namespaces = input.namespaces
      if (principal.tenant) {
        namespaces ??= [...principal.tenant.namespaces]
        const outside = namespaces.filter(ns => !principal.tenant!.namespaces.includes(ns))
        if (outside.length > 0) {
          throw new GatewayError('GW_ERR_FORBIDDEN', `API key ${principal.name} may not subscribe to events of namespace ${outside.join(', ')}`)
        }
      }
      const checked = await checkTarget(input.url, deps.policy)
      const sub: Subscription = {
        id: newSubscriptionId(),
        url: checked.url.href,
        events: input.events,
        ...(namespaces ? { namespaces } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        createdBy: principal.name,
        createdAt: new Date().toISOString()
      }
      const secret = newSigningSecret()
      await deps.store.create(sub, secret)
      deps.cache.put(sub)
      return { webhook: toWebhookView(sub), secret }
    },

    async list (principal: Principal): Promise<Webhook[]> {
      const subs = await deps.store.list()
      return subs.filter(s => canSeeSubscription(principal, s))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map(toWebhookView)
    },

    async get (principal: Principal, id: string): Promise<Webhook> {
      return toWebhookView(await find(principal, id))
    },

    async remove (principal: Principal, id: string): Promise<void> {
      await find(principal, id)
      const removed = await deps.store.remove(id)
      deps.cache.drop(id)
      if (!removed) throw subscriptionNotFound(id)
    },

    async deliveries (principal: Principal, id: string, limit: number): Promise<Delivery[]> {
      await find(principal, id)
      return deps.queue.log.list(id, limit)
    },

    delivery: findDelivery,

    async redeliver (principal: Principal, id: string, deliveryId: string): Promise<Delivery> {
      return deps.queue.redeliver(await findDelivery(principal, id, deliveryId))
    }
  }
}

export type WebhookService = ReturnType<typeof createWebhookService>
