import type { FastifyReply, FastifyRequest } from 'fastify'
import { assertRole, type Principal, type Role } from '../../../shared/auth/principal.ts'
import { GatewayError } from '../../../shared/errors.ts'

declare module 'mercurius' {
  interface MercuriusContext {
    // Set from the Authorization header (HTTP) or the connection_init payload (WebSocket).
    principal: Principal | null
  }
}

export interface GraphqlContextBase {
  principal: Principal | null
}

// HTTP: the principal the route's preHandler authenticated.
export function httpContext (request: FastifyRequest, _reply: FastifyReply): GraphqlContextBase {
  return { principal: request.principal }
}

export function principalOf (ctx: { principal?: Principal | null }): Principal {
  if (!ctx.principal) throw new GatewayError('GW_ERR_UNAUTHENTICATED', 'an API key is required: Authorization: Bearer <key>')
  return ctx.principal
}

// The REST role rules: reads need viewer, writes operator, credentials admin.
export function requireRole (ctx: { principal?: Principal | null }, role: Role): Principal {
  const principal = principalOf(ctx)
  assertRole(principal, role)
  return principal
}

// connection_init payload: { authorization: 'Bearer <key>' } (or { headers: { authorization } }).
export function tokenFromConnectionParams (payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null
  const p = payload as { authorization?: unknown, Authorization?: unknown, headers?: { authorization?: unknown } }
  const value = p.authorization ?? p.Authorization ?? p.headers?.authorization
  if (typeof value !== 'string') return null
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value)
  return match ? match[1] : null
}
