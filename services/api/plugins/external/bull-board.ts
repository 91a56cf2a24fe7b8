import fp from 'fastify-plugin'
import { Queue } from 'bullmq'
import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { FastifyAdapter } from '@bull-board/fastify'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../../../../shared/config.ts'
import { tokenFromHeaders } from '../../../../shared/auth/authenticator.ts'
import { hasRole, type Principal } from '../../../../shared/auth/principal.ts'
import { GatewayError } from '../../../../shared/errors.ts'
import { allJobKinds, queueName } from '../../../../shared/jobs/kinds.ts'
import { sendProblem } from '../app/problem-handler.ts'

export const QUEUE_DASHBOARD_PREFIX = '/admin/queues'

// A browser cannot send a Bearer header, so the dashboard also takes HTTP Basic with the API key as
// the password (any user name): the browser's own prompt then works.
function keyFrom (request: FastifyRequest): string | null {
  const basic = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(request.headers.authorization ?? '')
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : null
  }
  return tokenFromHeaders(request.headers)
}

/**
 * The BullMQ dashboard for every job kind's queue, admins only (it can retry, promote and remove jobs).
 * @see {@link https://github.com/felixmosh/bull-board}
 */
export default fp<{ config: Config }>(async function bullBoard (fastify, opts) {
  const queues = allJobKinds.map(kind => {
    const q = new Queue(queueName(kind), { connection: fastify.redis, prefix: opts.config.QUEUE_PREFIX })
    q.on('error', err => fastify.log.debug({ err: err.message }, `dashboard queue ${kind} error`))
    return q
  })
  const serverAdapter = new FastifyAdapter()
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PREFIX)
  // @bull-board/fastify 9.10.1 pins its own @bull-board/api copy; the adapter is the same shape, but
  // TypeScript sees two declarations of its private fields.
  type ServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter']
  createBullBoard({
    queues: queues.map(q => new BullMQAdapter(q)),
    serverAdapter: serverAdapter as unknown as ServerAdapter,
    options: { uiConfig: { boardTitle: 'hcp-gateway jobs' } }
  })

  await fastify.register(async function dashboard (scope) {
    // bull-board adds its own routes (pages, static files, its JSON API). The gateway-wide key check
    // would refuse Basic credentials, so they are public to it and this scope's hook decides instead.
    scope.addHook('onRoute', route => {
      route.config = { ...route.config, public: true, role: 'admin' }
    })
    scope.addHook('onRequest', async (request, reply) => {
      const principal: Principal | null = fastify.auth.authenticate(keyFrom(request))
      if (!principal) {
        reply.header('www-authenticate', 'Basic realm="hcp-gateway queues", Bearer realm="hcp-gateway"')
        return sendProblem(reply, new GatewayError('GW_ERR_UNAUTHENTICATED', 'the queue dashboard needs an admin API key (Bearer, X-API-Key, or Basic with the key as password)'))
      }
      if (!hasRole(principal, 'admin')) {
        return sendProblem(reply, new GatewayError('GW_ERR_FORBIDDEN', `the queue dashboard needs the admin role; key ${principal.name} has ${principal.role}`))
      }
      request.principal = principal
    })
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PREFIX })
  })

  fastify.addHook('onClose', async () => {
    await Promise.all(queues.map(q => q.close()))
  })
}, { name: 'bull-board', dependencies: ['auth', 'redis'] })
