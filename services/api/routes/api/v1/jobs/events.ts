import { PassThrough } from 'node:stream'
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { JobRecord } from '../../../../../../shared/jobs/schema.ts'
import { problemResponse } from '../../../../schemas/problem.ts'
import { JobIdParams, visibleJob } from './access.ts'

// Proxies drop connections that stay silent; a comment line every 15 s keeps them open.
export const HEARTBEAT_MS = 15_000

const routes: FastifyPluginAsyncTypebox<{ heartbeatMs?: number }> = async function (fastify, opts) {
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS
  // Open streams end when the server closes, or close() would wait for every watching client.
  const open = new Set<AbortController>()
  fastify.addHook('preClose', async () => {
    for (const c of open) c.abort()
  })

  fastify.get('/api/v1/jobs/:id/events', {
    config: { role: 'viewer' },
    schema: {
      tags: ['jobs'],
      summary: 'Follow a job as server-sent events',
      description: 'Each event (event: job) carries the full job record: the current one first, then one per change, ' +
        'the final one last, after which the stream ends. Comment lines are heartbeats.',
      params: JobIdParams,
      response: {
        200: { description: 'text/event-stream of job records', content: { 'text/event-stream': { schema: Type.String() } } },
        404: problemResponse('No such job')
      }
    }
  }, async (request, reply) => {
    await visibleJob(fastify, request, request.params.id)
    const abort = new AbortController()
    const records = fastify.jobs.events(request.params.id, abort.signal)
    // The first record is read before answering, so an unknown job is a 404 problem, not an empty stream.
    const first = await records.next()
    const stream = new PassThrough()
    let seq = 0
    const send = (record: JobRecord) => stream.write(`id: ${++seq}\nevent: job\ndata: ${JSON.stringify(record)}\n\n`)
    if (!first.done) send(first.value)
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), heartbeatMs)
    open.add(abort)
    const finish = () => {
      clearInterval(heartbeat)
      open.delete(abort)
      abort.abort()
      stream.end()
    }
    // The client going away ends the subscription too.
    reply.raw.on('close', finish)
    ;(async () => {
      for await (const record of { [Symbol.asyncIterator]: () => records }) send(record)
    })()
      .catch(err => request.log.warn({ err: (err as Error).message }, 'job event stream failed'))
      .finally(finish)
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(stream)
  })
}

export default routes
