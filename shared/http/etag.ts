import { GatewayError } from '../errors.ts'

// ETag = the Kubernetes resourceVersion, as a strong validator: two representations with the same
// resourceVersion are the same object state.
export interface EntityTag {
  weak: boolean
  opaque: string
}

export type IfMatch = '*' | EntityTag[]

const ETAGC = /^[\x21\x23-\x7E\x80-\xFF]*$/

export function etagFor (resourceVersion: string): string {
  if (!ETAGC.test(resourceVersion)) throw new TypeError(`resourceVersion ${JSON.stringify(resourceVersion)} cannot be an entity-tag`)
  return `"${resourceVersion}"`
}

function malformed (header: string): never {
  throw new GatewayError('GW_ERR_BAD_REQUEST', `If-Match is not a valid list of entity-tags: ${JSON.stringify(header.slice(0, 200))}`, {
    errors: [{ field: 'header.if-match', message: 'must be "*" or a comma-separated list of entity-tags such as "42"', constraint: 'format' }]
  })
}

// RFC 9110 §13.1.1: If-Match = "*" / #entity-tag, entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE.
// Empty list elements are allowed by the # rule. Returns null when there is no header.
export function parseIfMatch (header: string | string[] | undefined): IfMatch | null {
  if (header === undefined) return null
  const text = (Array.isArray(header) ? header.join(', ') : header).trim()
  if (text === '*') return '*'
  const tags: EntityTag[] = []
  let rest = text
  while (rest.length > 0) {
    const m = /^(W\/)?"([^"]*)"[ \t]*(?:,[ \t]*|$)/.exec(rest)
    if (m === null) {
      const empty = /^,[ \t]*/.exec(rest)
      if (empty === null) malformed(text)
      rest = rest.slice(empty[0].length)
      continue
    }
    if (!ETAGC.test(m[2])) malformed(text)
    tags.push({ weak: m[1] !== undefined, opaque: m[2] })
    rest = rest.slice(m[0].length)
  }
  if (tags.length === 0) malformed(text)
  return tags
}

// If-Match uses the strong comparison: a weak tag never matches. `currentRv` is undefined when the
// resource does not exist, which fails even "*".
export function ifMatchSatisfied (ifMatch: IfMatch | null, currentRv: string | undefined): boolean {
  if (ifMatch === null) return true
  if (currentRv === undefined) return false
  if (ifMatch === '*') return true
  return ifMatch.some(tag => !tag.weak && tag.opaque === currentRv)
}

export function checkIfMatch (header: string | string[] | undefined, currentRv: string | undefined): void {
  if (ifMatchSatisfied(parseIfMatch(header), currentRv)) return
  throw new GatewayError('GW_ERR_PRECONDITION_FAILED', currentRv === undefined
    ? 'If-Match was given but the resource does not exist'
    : `If-Match does not match the current version ${etagFor(currentRv)}; read the resource again and retry`, {
    extensions: { currentResourceVersion: currentRv ?? null }
  })
}

// The single strong tag of an If-Match, to send as metadata.resourceVersion so the Kubernetes API
// rejects the write (409) if the object changed between our read and our write.
export function resourceVersionFromIfMatch (header: string | string[] | undefined): string | undefined {
  const ifMatch = parseIfMatch(header)
  if (ifMatch === null || ifMatch === '*') return undefined
  const strong = ifMatch.filter(tag => !tag.weak)
  return strong.length === 1 ? strong[0].opaque : undefined
}

// The Kubernetes API answered 409 to a write with a stale resourceVersion.
export function conflictFromKube (currentRv: string | undefined, detail?: string): GatewayError {
  return new GatewayError('GW_ERR_CONFLICT', detail ?? 'the resource was changed by someone else; read it again and retry', {
    extensions: { currentResourceVersion: currentRv ?? null }
  })
}
