import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { loggerOptions } from '../../shared/logger.ts'
import app, { type AppOptions } from './app.ts'
import { validatorCompiler } from './validator.ts'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export async function buildApi (opts: AppOptions): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: loggerOptions(opts.config.LOG_LEVEL, 'api'),
    // A caller's X-Request-Id is kept when it is sane, so logs correlate across systems.
    genReqId: req => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    connectionTimeout: 60_000,
    requestTimeout: 120_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true }
  }).withTypeProvider<TypeBoxTypeProvider>()
  fastify.setValidatorCompiler(validatorCompiler)
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  await fastify.register(app, opts)
  return fastify
}
