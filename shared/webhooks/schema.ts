import { Type, type Static } from 'typebox'

export const WEBHOOK_EVENT_TYPES = [
  'job.succeeded', 'job.failed', 'job.cancelled',
  'cluster.ready', 'cluster.degraded', 'cluster.deleted',
  'nodepool.ready'
] as const
export type WebhookEventType = typeof WEBHOOK_EVENT_TYPES[number]

// 20 hex characters: short enough for Secret names and BullMQ job ids, never all digits once prefixed.
export const SUBSCRIPTION_ID_PATTERN = '^[a-f0-9]{20}$'
export const DELIVERY_ID_PATTERN = '^wh-[a-f0-9]{32}-[a-f0-9]{20}(-r[0-9]{1,6})?$'

const NamespaceName = Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' })

export const WebhookCreateSchema = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'Where events are POSTed: https (http only when the gateway allows it); private and loopback addresses are refused' }),
  events: Type.Array(Type.Enum([...WEBHOOK_EVENT_TYPES]), { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true }),
  namespaces: Type.Optional(Type.Array(NamespaceName, {
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description: 'Only events of objects in these namespaces; default every namespace (a tenant key: its own)'
  })),
  description: Type.Optional(Type.String({ maxLength: 256 }))
}, { additionalProperties: false })

export const WebhookSchema = Type.Object({
  id: Type.String({ pattern: SUBSCRIPTION_ID_PATTERN }),
  url: Type.String(),
  events: Type.Array(Type.Enum([...WEBHOOK_EVENT_TYPES])),
  namespaces: Type.Optional(Type.Array(Type.String(), { description: 'Absent: every namespace, including events of objects without one' })),
  description: Type.Optional(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  links: Type.Object({ self: Type.String(), deliveries: Type.String() })
}, { $id: 'Webhook' })

export const WebhookCreatedSchema = Type.Intersect([
  Type.Ref('Webhook'),
  Type.Object({
    secret: Type.String({ description: 'Standard Webhooks signing secret (whsec_<base64>); shown only in this answer' })
  })
])

export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'dead'] as const
export type DeliveryState = typeof DELIVERY_STATES[number]

export const DeliveryAttemptSchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  statusCode: Type.Optional(Type.Integer()),
  latencyMs: Type.Integer({ minimum: 0 }),
  error: Type.Optional(Type.String()),
  responseBody: Type.Optional(Type.String({ description: 'The first KiB of the answer' }))
})

export const DeliverySchema = Type.Object({
  id: Type.String({ pattern: DELIVERY_ID_PATTERN }),
  subscriptionId: Type.String(),
  eventId: Type.String({ description: 'The webhook-id header: the same for every attempt and redelivery of the event' }),
  eventType: Type.Enum([...WEBHOOK_EVENT_TYPES]),
  state: Type.Enum([...DELIVERY_STATES], { description: 'pending: will be (re)tried; delivered: a 2xx answer; failed: refused without retry (target not allowed, subscription gone); dead: retry period exhausted' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  attemptCount: Type.Integer({ minimum: 0 }),
  attempts: Type.Array(DeliveryAttemptSchema, { description: 'The most recent attempts, oldest first' }),
  redeliveryOf: Type.Optional(Type.String())
}, { $id: 'WebhookDelivery' })

export type WebhookCreate = Static<typeof WebhookCreateSchema>
export type Webhook = Static<typeof WebhookSchema>
export type DeliveryAttempt = Static<typeof DeliveryAttemptSchema>
export type Delivery = Static<typeof DeliverySchema>

// What a subscription stores (the Secret's data, the signing secret aside).
export interface Subscription {
  id: string
  url: string
  events: WebhookEventType[]
  namespaces?: string[]
  description?: string
  createdBy: string
  createdAt: string
}

// The Standard Webhooks payload: type, timestamp and data; the id travels in the webhook-id header.
export interface WebhookEvent {
  id: string
  type: WebhookEventType
  timestamp: string
  // Where the object lives, for namespace filters; undefined for objects without one.
  namespace?: string
  data: unknown
}

export function webhookLinks (id: string) {
  const self = `/api/v1/webhooks/${id}`
  return { self, deliveries: `${self}/deliveries` }
}

export function toWebhookView (sub: Subscription): Webhook {
  return {
    id: sub.id,
    url: sub.url,
    events: sub.events,
    ...(sub.namespaces ? { namespaces: sub.namespaces } : {}),
    ...(sub.description !== undefined ? { description: sub.description } : {}),
    createdBy: sub.createdBy,
    createdAt: sub.createdAt,
    links: webhookLinks(sub.id)
  }
}

// A subscription hears an event when it asked for the type and, with a namespace filter, the object is in one.
export function wants (sub: Subscription, event: Pick<WebhookEvent, 'type' | 'namespace'>): boolean {
  if (!sub.events.includes(event.type)) return false
  if (!sub.namespaces) return true
  return event.namespace !== undefined && sub.namespaces.includes(event.namespace)
}
