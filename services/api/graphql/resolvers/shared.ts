import { createHash } from 'node:crypto'
import type { MercuriusContext } from 'mercurius'
import type { Principal } from '../../../../shared/auth/principal.ts'
import { etagFor } from '../../../../shared/http/etag.ts'
import { canonicalJson } from '../../plugins/app/idempotency.ts'
import { IfMatchIdempotencyHeaders } from '../../schemas/common.ts'
import { validateInput } from '../errors.ts'

// ifMatch takes the ETag as REST does ("42", W/"42", *) or, for convenience, the bare resourceVersion.
export function ifMatchHeader (value: string | null | undefined): string | undefined {
  if (value == null) return undefined
  const text = value.trim()
  return text === '*' || text.startsWith('"') || text.startsWith('W/') ? text : etagFor(text)
}

// The header rules REST applies to If-Match and Idempotency-Key, with the same field names.
export function checkHeaders (ifMatch: string | null | undefined, idempotencyKey: string | null | undefined): { ifMatch?: string, idempotencyKey?: string } {
  const headers = validateInput<{ 'if-match'?: string, 'idempotency-key'?: string }>(IfMatchIdempotencyHeaders, {
    ...(ifMatch != null ? { 'if-match': ifMatchHeader(ifMatch) } : {}),
    ...(idempotencyKey != null ? { 'idempotency-key': idempotencyKey } : {})
  }, 'headers')
  return { ifMatch: headers['if-match'], idempotencyKey: headers['idempotency-key'] }
}

// Runs a create once per (caller, mutation, key): a retry with the same arguments gets the recorded answer.
export async function idempotent<T extends object> (ctx: MercuriusContext, principal: Principal, mutation: string, key: string | undefined, args: object, fn: () => Promise<T>): Promise<T & { replayed: boolean }> {
  if (key === undefined) return { ...await fn(), replayed: false }
  const fingerprint = createHash('sha256').update(canonicalJson(args)).digest('hex')
  const { value, replayed } = await ctx.app.idempotency.run([principal.name, 'graphql', mutation], key, fingerprint, fn)
  return { ...value, replayed }
}
