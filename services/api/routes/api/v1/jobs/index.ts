import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { visibleNamespaces } from '../../../../../../shared/auth/principal.ts'
import { allJobKinds } from '../../../../../../shared/jobs/kinds.ts'
import { JOB_STATES } from '../../../../../../shared/jobs/schema.ts'
import { problemResponse } from '../../../../schemas/problem.ts'
import { JobIdParams, callerName, visibleJob } from './access.ts'
import eventsRoute from './events.ts'

const ListQuery = Type.Object({
  kind: Type.Optional(Type.Enum([...allJobKinds])),
  state: Type.Optional(Type.Enum([...JOB_STATES])),
  targetType: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' })),
  targetName: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  targetNamespace: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Jobs created at or after this time' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Jobs created at or before this time' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  continue: Type.Optional(Type.String({ maxLength: 1024, description: 'The continue token of the previous page' }))
}, { additionalProperties: false })

const JobListSchema = Type.Object({
  items: Type.Array(Type.Ref('Job')),
  continue: Type.Optional(Type.String({ description: 'Present when there may be more: pass it back as ?continue=' }))
})

const routes: FastifyPluginAsyncTypebox<{ heartbeatMs?: number }> = async function (fastify, opts) {
  fastify.get('/api/v1/jobs', {
    config: { role: 'viewer' },
    schema: {
      tags: ['jobs'],
      summary: 'List jobs, newest first',
      querystring: ListQuery,
      response: { 200: JobListSchema, 400: problemResponse('Invalid filter or continue token') }
    }
  }, async (request) => {
    const q = request.query
    const target = { type: q.targetType, name: q.targetName, namespace: q.targetNamespace }
    return fastify.jobs.list({
      kind: q.kind,
      state: q.state,
      target,
      since: q.since ? new Date(q.since) : undefined,
      until: q.until ? new Date(q.until) : undefined,
      namespaces: visibleNamespaces(request.principal),
      limit: q.limit,
      continue: q.continue
    })
  })

  fastify.get('/api/v1/jobs/:id', {
    config: { role: 'viewer' },
    schema: {
      tags: ['jobs'],
      summary: 'One job: state, stages, progress, result or error',
      params: JobIdParams,
      response: { 200: Type.Ref('Job'), 404: problemResponse('No such job (or its history expired)') }
    }
  }, async (request) => visibleJob(fastify, request, request.params.id))

  fastify.post('/api/v1/jobs/:id/cancel', {
    config: { role: 'operator' },
    schema: {
      tags: ['jobs'],
      summary: 'Ask the job to stop; it reaches cancelled once its worker has cleaned up',
      params: JobIdParams,
      response: {
        202: Type.Ref('Job'),
        404: problemResponse('No such job'),
        409: problemResponse('The job already ended')
      }
    }
  }, async (request, reply) => {
    await visibleJob(fastify, request, request.params.id)
    const job = await fastify.jobs.cancel(request.params.id, callerName(request))
    return reply.code(202).send(job)
  })

  fastify.post('/api/v1/jobs/:id/retry', {
    config: { role: 'operator' },
    schema: {
      tags: ['jobs'],
      summary: 'Run a failed or cancelled job again, from its first unfinished stage',
      params: JobIdParams,
      response: {
        202: Type.Ref('Job'),
        404: problemResponse('No such job'),
        409: problemResponse('The job is not failed or cancelled')
      }
    }
  }, async (request, reply) => {
    await visibleJob(fastify, request, request.params.id)
    const job = await fastify.jobs.retry(request.params.id, callerName(request))
    return reply.code(202).header('location', job.links.self).send(job)
  })

  await fastify.register(eventsRoute, { heartbeatMs: opts.heartbeatMs })
}

export default routes
