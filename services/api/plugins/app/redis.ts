import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import { checkRedisRequirements, createRedis } from '../../../../shared/redis/connection.ts'

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis
  }
}

export default fp<{ redisUrl: string, offline?: boolean }>(async function redis (fastify, opts) {
  const client = createRedis(opts.redisUrl, 'command', 'hcpgw-api')
  // Start without Redis so /healthz and /readyz can report it instead of the process dying.
  if (!opts.offline) client.connect().catch(err => fastify.log.warn({ err: err.message }, 'redis not reachable yet'))
  fastify.decorate('redis', client)
  fastify.readiness.register('redis', async () => {
    await client.ping()
    const req = await checkRedisRequirements(client)
    return { ok: true, detail: `redis ${req.version ?? 'unknown version'}`, ...(req.problems.length ? { warnings: req.problems } : {}) }
  })
  fastify.addHook('onClose', async () => {
    if (client.status === 'wait') client.disconnect()
    else await client.quit().catch(() => client.disconnect())
  })
}, { name: 'redis', dependencies: ['readiness'] })
