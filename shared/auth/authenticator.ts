import { createHash, timingSafeEqual } from 'node:crypto'
import type { ApiKeyRecord } from './api-keys.ts'
import type { Principal } from './principal.ts'

export interface Authenticator {
  authenticate (token: string | null | undefined): Principal | null
  readonly size: number
}

// Transport-free: REST uses it from a hook, GraphQL from its connection init.
export function createAuthenticator (records: ApiKeyRecord[]): Authenticator {
  const entries = records.map(record => ({
    digest: Buffer.from(record.hash.slice('sha256:'.length), 'hex'),
    principal: Object.freeze({
      name: record.name,
      role: record.role,
      ...(record.tenant ? { tenant: Object.freeze({ namespaces: Object.freeze([...record.tenant.namespaces]) as string[] }) } : {})
    }) as Principal
  }))
  return {
    authenticate (token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 512) return null
      const digest = createHash('sha256').update(token, 'utf8').digest()
      // Every stored hash is compared, each in constant time, so timing says nothing about which keys exist.
      let found: Principal | null = null
      for (const entry of entries) {
        if (timingSafeEqual(digest, entry.digest) && found === null) found = entry.principal
      }
      return found
    },
    get size () {
      return entries.length
    }
  }
}

// Accepts `Authorization: Bearer <key>` (scheme case-insensitive, RFC 9110 §11.1) or a bare X-API-Key.
export function tokenFromHeaders (headers: Record<string, string | string[] | undefined>): string | null {
  const authorization = headers.authorization
  if (typeof authorization === 'string') {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)
    return match ? match[1] : null
  }
  const apiKey = headers['x-api-key']
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey.trim() : null
}
