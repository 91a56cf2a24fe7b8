import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../../../shared/config.ts'
import { GatewayError } from '../../../../shared/errors.ts'
import { resolveApiKeys } from '../../../../shared/auth/api-keys.ts'
import { createAuthenticator, tokenFromHeaders } from '../../../../shared/auth/authenticator.ts'
import { assertRole, type Principal, type Role } from '../../../../shared/auth/principal.ts'
import { sendProblem } from './problem-handler.ts'

export interface AuthOptions {
  config: Pick<Config, 'API_KEYS' | 'AUTH_DEMO_KEY' | 'NODE_ENV'>
  // Route URL prefixes that are public without declaring it (routes added by third-party plugins such as swagger-ui).
  publicPrefixes?: string[]
}

declare module 'fastify' {
  interface FastifyContextConfig {
    // No API key needed (health, metrics, docs, the OpenAPI document, problem types).
    public?: boolean
    // The lowest role allowed. Default: viewer for GET/HEAD/OPTIONS, operator for every other method.
    role?: Role
  }
  interface FastifyInstance {
    auth: {
      // The generated demo admin key, to print once at start; null when keys are configured.
      demoKey: string | null
      authenticate (token: string | null | undefined): Principal | null
    }
  }
  interface FastifyRequest {
    // The authenticated caller; null only on public routes (and before the onRequest hook ran).
    principal: Principal | null
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const CHALLENGE = 'Bearer realm="hcp-gateway"'

// Mutations must opt in to viewers explicitly, so a route that forgets `role` fails closed.
export function requiredRole (request: FastifyRequest): Role {
  return request.routeOptions.config.role ?? (READ_METHODS.has(request.method) ? 'viewer' : 'operator')
}

export default fp<AuthOptions>(async function auth (fastify, opts) {
  const { keys, demoKey } = resolveApiKeys(opts.config)
  const authenticator = createAuthenticator(keys)
  const publicPrefixes = opts.publicPrefixes ?? ['/docs']
  if (keys.length === 0) fastify.log.warn('API_KEYS is empty and no demo key was generated: every authenticated route answers 401')

  fastify.decorate('auth', { demoKey, authenticate: (token: string | null | undefined) => authenticator.authenticate(token) })
  fastify.decorateRequest('principal', null)

  function isPublic (request: FastifyRequest): boolean {
    if (request.routeOptions.config.public === true) return true
    const url = request.routeOptions.url
    return url !== undefined && publicPrefixes.some(prefix => url === prefix || url.startsWith(prefix + '/'))
  }

  function unauthenticated (reply: FastifyReply, token: string | null): FastifyReply {
    reply.header('www-authenticate', token === null ? CHALLENGE : `${CHALLENGE}, error="invalid_token"`)
    return sendProblem(reply, new GatewayError('GW_ERR_UNAUTHENTICATED', token === null
      ? 'an API key is required: Authorization: Bearer <key> or X-API-Key'
      : 'the API key is not valid'))
  }

  fastify.addHook('onRequest', async (request, reply) => {
    // Unknown routes have no route config. Under /api/ an anonymous caller learns nothing about which
    // routes exist (401 first); elsewhere, and for authenticated callers, the 404 problem stands.
    if (request.is404) {
      const token = tokenFromHeaders(request.headers)
      request.principal = authenticator.authenticate(token)
      if (request.principal === null && request.url.startsWith('/api/')) return unauthenticated(reply, token)
      return
    }
    if (isPublic(request)) return
    const token = tokenFromHeaders(request.headers)
    const principal = authenticator.authenticate(token)
    if (principal === null) return unauthenticated(reply, token)
    request.principal = principal
    assertRole(principal, requiredRole(request))
  })
}, { name: 'auth', dependencies: ['problem-handler'] })
