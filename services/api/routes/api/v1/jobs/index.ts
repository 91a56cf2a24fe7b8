import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponse } from '../../../../schemas/problem.ts'
import { JobIdParams, JobListQuerySchema, callerName, toJobListQuery, visibleJob } from './access.ts'
import eventsRoute from './events.ts'

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
      querystring: JobListQuerySchema,
      response: { 200: JobListSchema, 400: problemResponse('Invalid filter or continue token') }
    }
  }, async (request) => fastify.jobs.list(toJobListQuery(request.query, request.principal)))

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
