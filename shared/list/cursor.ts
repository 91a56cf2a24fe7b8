// Opaque continue tokens for keyset pagination: the sort key of the last item served plus a short
// hash of the search and order it was served under, base64url-encoded JSON. Because the token holds
// a key and not an offset, items created or deleted between pages neither repeat nor vanish from the
// pages still to come.
import { createHash } from 'node:crypto'
import type { SortValue } from './order.ts'
import { queryError } from './query-error.ts'

interface Token { v: 1, h: string, k: SortValue[] }

export function queryHash (canonicalSearch: string, canonicalOrder: string): string {
  return createHash('sha256').update(`${canonicalSearch}\u0000${canonicalOrder}`).digest('base64url').slice(0, 16)
}

export function encodeCursor (hash: string, key: readonly SortValue[]): string {
  const token: Token = { v: 1, h: hash, k: [...key] }
  return Buffer.from(JSON.stringify(token)).toString('base64url')
}

export function decodeCursor (text: string, hash: string, arity: number): SortValue[] {
  let token: Partial<Token> | null = null
  try {
    if (/^[A-Za-z0-9_-]+$/.test(text)) token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Token>
  } catch {
    token = null
  }
  const key = token?.k
  const valid = token !== null && typeof token === 'object' && token.v === 1 && typeof token.h === 'string' &&
    Array.isArray(key) && key.length === arity && key.every(x => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))
  if (!valid) throw queryError('continue', 'not a continue token issued by this list; start again without continue', 'format')
  if (token!.h !== hash) {
    throw queryError('continue', 'the continue token belongs to a different search or order; repeat the request with the same search and order, or start again without continue', 'mismatch')
  }
  return key as SortValue[]
}
