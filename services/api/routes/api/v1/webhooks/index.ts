import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Principal } from '../../../../../../shared/auth/principal.ts'
import { GatewayError } from '../../../../../../shared/errors.ts'
import {
  DELIVERY_ID_PATTERN, SUBSCRIPTION_ID_PATTERN, WebhookCreateSchema, WebhookCreatedSchema
} from '../../../../../../shared/webhooks/schema.ts'
import { problemResponse } from '../../../../schemas/problem.ts'

const IdParams = Type.Object({ id: Type.String({ pattern: SUBSCRIPTION_ID_PATTERN, description: 'Webhook subscription id' }) })
const DeliveryParams = Type.Object({
  id: Type.String({ pattern: SUBSCRIPTION_ID_PATTERN }),
  deliveryId: Type.String({ pattern: DELIVERY_ID_PATTERN })
})
const DeliveriesQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 })
}, { additionalProperties: false })

const tags = ['webhooks']

function caller (request: FastifyRequest): Principal {
  if (!request.principal) throw new GatewayError('GW_ERR_UNAUTHENTICATED', 'an API key is required')
  return request.principal
}

const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  // Not idempotent-replayable on purpose: a replay would have to keep the signing secret in Redis.
  fastify.post('/api/v1/webhooks', {
    config: { role: 'operator' },
    schema: {
      tags,
      summary: 'Subscribe a URL to events; the answer carries the signing secret, shown only this once',
      body: WebhookCreateSchema,
      response: {
        201: WebhookCreatedSchema,
        403: problemResponse('A tenant key asked for namespaces outside its own'),
        422: problemResponse('The target URL is refused (scheme, loopback, link-local or private address)')
      }
    }
  }, async (request, reply) => {
    const { webhook, secret } = await fastify.webhooks.create(caller(request), request.body)
    return reply.code(201).header('location', webhook.links.self).header('cache-control', 'no-store').send({ ...webhook, secret })
  })

  fastify.get('/api/v1/webhooks', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'List webhook subscriptions (never their secrets)',
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('Webhook')) }) }
    }
  }, async (request) => ({ items: await fastify.webhooks.list(caller(request)) }))

  fastify.get('/api/v1/webhooks/:id', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'One webhook subscription',
      params: IdParams,
      response: { 200: Type.Ref('Webhook'), 404: problemResponse('No such subscription') }
    }
  }, async (request) => fastify.webhooks.get(caller(request), request.params.id))

  fastify.delete('/api/v1/webhooks/:id', {
    config: { role: 'operator' },
    schema: {
      tags,
      summary: 'Delete a webhook subscription; deliveries still queued for it stop',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), 404: problemResponse('No such subscription') }
    }
  }, async (request, reply) => {
    await fastify.webhooks.remove(caller(request), request.params.id)
    return reply.code(204).send(null)
  })

  fastify.get('/api/v1/webhooks/:id/deliveries', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'Recent deliveries of a subscription, newest first: attempts, status codes, latency, errors',
      params: IdParams,
      querystring: DeliveriesQuery,
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('WebhookDelivery')) }), 404: problemResponse('No such subscription') }
    }
  }, async (request) => ({ items: await fastify.webhooks.deliveries(caller(request), request.params.id, request.query.limit) }))

  fastify.get('/api/v1/webhooks/:id/deliveries/:deliveryId', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'One delivery',
      params: DeliveryParams,
      response: { 200: Type.Ref('WebhookDelivery'), 404: problemResponse('No such delivery (or it expired)') }
    }
  }, async (request) => fastify.webhooks.delivery(caller(request), request.params.id, request.params.deliveryId))

  fastify.post('/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver', {
    config: { role: 'operator' },
    schema: {
      tags,
      summary: 'Send the event again (same webhook-id) as a new delivery with a fresh retry period',
      params: DeliveryParams,
      response: {
        202: Type.Ref('WebhookDelivery'),
        404: problemResponse('No such delivery (or it expired)'),
        409: problemResponse('The event payload has expired')
      }
    }
  }, async (request, reply) => {
    const delivery = await fastify.webhooks.redeliver(caller(request), request.params.id, request.params.deliveryId)
    return reply.code(202).header('location', `/api/v1/webhooks/${request.params.id}/deliveries/${delivery.id}`).send(delivery)
  })
}

export default routes
