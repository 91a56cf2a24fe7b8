import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { GatewayError } from '../../../../shared/errors.ts'
import { problemResponse } from '../../schemas/problem.ts'

const CheckSchema = Type.Object({
  ok: Type.Boolean(),
  latencyMs: Type.Integer(),
  detail: Type.Optional(Type.String()),
  warnings: Type.Optional(Type.Array(Type.String()))
})

const ReadySchema = Type.Object({
  status: Type.Literal('ready'),
  checks: Type.Record(Type.String(), CheckSchema)
})

const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/healthz', {
    config: { public: true },
    schema: {
      security: [],
      tags: ['health'],
      summary: 'The process is alive (no dependency is checked)',
      response: { 200: Type.Object({ status: Type.Literal('ok') }) }
    }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/readyz', {
    config: { public: true },
    schema: {
      security: [],
      tags: ['health'],
      summary: 'Every dependency (Redis, Kubernetes API, object storage, ...) answers',
      response: { 200: ReadySchema, 503: problemResponse('A dependency is not ready; checks names each one') }
    }
  }, async () => {
    const checks = await fastify.readiness.run()
    const failing = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name)
    if (failing.length > 0) {
      throw new GatewayError('GW_ERR_NOT_READY', `not ready: ${failing.join(', ')}`, { extensions: { checks } })
    }
    return { status: 'ready' as const, checks }
  })
}

export default routes
