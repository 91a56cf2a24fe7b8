import { Type } from 'typebox'
import { DELIVERY_ID_PATTERN, SUBSCRIPTION_ID_PATTERN, WebhookCreateSchema, type Webhook, type WebhookCreate } from '../../../../shared/webhooks/schema.ts'
import { requireRole } from '../context.ts'
import { validateInput } from '../errors.ts'
import type { MutationResolvers, QueryResolvers, WebhookResolvers } from '../generated.ts'

// The REST path and query rules of /api/v1/webhooks.
const IdParams = Type.Object({ id: Type.String({ pattern: SUBSCRIPTION_ID_PATTERN }) })
const DeliveryParams = Type.Object({ id: Type.String({ pattern: SUBSCRIPTION_ID_PATTERN }), deliveryId: Type.String({ pattern: DELIVERY_ID_PATTERN }) })
const DeliveriesQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }, { additionalProperties: false })

const subscriptionId = (id: string) => validateInput<{ id: string }>(IdParams, { id }, 'params').id

export const Query: Pick<QueryResolvers, 'webhooks' | 'webhook'> = {
  async webhooks (_root, _args, ctx) {
    return ctx.app.webhooks.list(requireRole(ctx, 'viewer'))
  },
  async webhook (_root, args, ctx) {
    return ctx.app.webhooks.get(requireRole(ctx, 'viewer'), subscriptionId(args.id))
  }
}

export const WebhookType: Pick<WebhookResolvers, 'deliveries'> = {
  async deliveries (parent: Webhook, args, ctx) {
    const { limit } = validateInput<{ limit: number }>(DeliveriesQuery, args.first == null ? {} : { limit: args.first }, 'querystring')
    return ctx.app.webhooks.deliveries(requireRole(ctx, 'viewer'), parent.id, limit)
  }
}

export const Mutation: Pick<MutationResolvers, 'createWebhook' | 'deleteWebhook' | 'redeliverWebhook'> = {
  // Like REST, never replayable by idempotency key: a replay would have to keep the signing secret.
  async createWebhook (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    return ctx.app.webhooks.create(principal, validateInput<WebhookCreate>(WebhookCreateSchema, args.input, 'body'))
  },
  async deleteWebhook (_root, args, ctx) {
    await ctx.app.webhooks.remove(requireRole(ctx, 'operator'), subscriptionId(args.id))
    return true
  },
  async redeliverWebhook (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const { id, deliveryId } = validateInput<{ id: string, deliveryId: string }>(DeliveryParams, { id: args.id, deliveryId: args.deliveryId }, 'params')
    return ctx.app.webhooks.redeliver(principal, id, deliveryId)
  }
}
