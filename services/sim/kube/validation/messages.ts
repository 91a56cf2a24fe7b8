import type { CauseReason, LocatedCause, PathSegment, ValidationCause } from './types.ts'

// Go's fmt %q for the strings the validator prints; JSON escaping matches it for printable text.
export function goQuote (s: string): string {
  return JSON.stringify(s).replace(/\\u007f/g, '\\x7f')
}

// field.Error's rendering of a bad value: strings quoted, scalars plain, null as "null".
export function formatValue (v: unknown): string {
  if (v === null || v === undefined) return '"null"'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return goValue(v)
}

// Go's %#v of decoded JSON, as printed for list-map key tuples and objects.
function goValue (v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'number') return Number.isInteger(v) ? `${v}` : `${v}`
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`
  const entries = Object.keys(v as object).sort().map(k => `${goQuote(k)}:${goValue((v as Record<string, unknown>)[k])}`)
  return `map[string]interface {}{${entries.join(', ')}}`
}

// kube-openapi paths: properties and map keys joined with '.', list items as [i].
export function openapiPath (at: PathSegment[]): string {
  let out = ''
  for (const s of at) {
    if (typeof s === 'number') out += `[${s}]`
    else out += out === '' ? s : `.${s}`
  }
  return out
}

// field.Path rendering (CEL and list-type errors): map keys as [key], root as <nil>.
export function fieldPath (at: PathSegment[], mapKeys: boolean[]): string {
  if (at.length === 0) return '<nil>'
  let out = ''
  at.forEach((s, i) => {
    if (typeof s === 'number') out += `[${s}]`
    else if (mapKeys[i]) out += `[${s}]`
    else out += out === '' ? s : `.${s}`
  })
  return out
}

export function cause (reason: CauseReason, field: string, message: string, at: PathSegment[]): LocatedCause {
  return { reason, field, message, at }
}

export function required (field: string, at: PathSegment[], detail = ''): LocatedCause {
  return cause('FieldValueRequired', field, detail ? `Required value: ${detail}` : 'Required value', at)
}

export function invalid (field: string, value: unknown, detail: string, at: PathSegment[]): LocatedCause {
  return cause('FieldValueInvalid', field, `Invalid value: ${formatValue(value)}: ${detail}`, at)
}

export function typeInvalid (field: string, value: unknown, detail: string, at: PathSegment[]): LocatedCause {
  return cause('FieldValueTypeInvalid', field, `Invalid value: ${formatValue(value)}: ${detail}`, at)
}

export function notSupported (field: string, value: unknown, supported: unknown[], at: PathSegment[]): LocatedCause {
  const values = supported.map(v => goQuote(typeof v === 'string' ? v : JSON.stringify(v)))
  const detail = values.length > 0 ? `: supported values: ${values.join(', ')}` : ''
  return cause('FieldValueNotSupported', field, `Unsupported value: ${formatValue(value)}${detail}`, at)
}

export function tooLong (field: string, max: number, at: PathSegment[]): LocatedCause {
  return cause('FieldValueTooLong', field, `Too long: may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}`, at)
}

export function tooMany (field: string, actual: number, max: number, at: PathSegment[]): LocatedCause {
  return cause('FieldValueTooMany', field, `Too many: ${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}`, at)
}

export function duplicate (field: string, value: unknown, at: PathSegment[]): LocatedCause {
  return cause('FieldValueDuplicate', field, `Duplicate value: ${formatValue(value)}`, at)
}

export function forbidden (field: string, detail: string, at: PathSegment[]): LocatedCause {
  return cause('FieldValueForbidden', field, detail ? `Forbidden: ${detail}` : 'Forbidden', at)
}

// The 422 message of apierrors.NewInvalid: `<Kind>.<group> "<name>" is invalid: <cause>` or, for several
// causes, `[<cause>, <cause>]`.
export function invalidMessage (kind: string, group: string, name: string, causes: ValidationCause[]): string {
  const qualified = group ? `${kind}.${group}` : kind
  // field.ErrorList.ToAggregate drops repeated messages.
  const parts = [...new Set(causes.map(c => `${c.field}: ${c.message}`))]
  const body = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`
  return `${qualified} ${goQuote(name)} is invalid: ${body}`
}

// Drop the internal location before handing causes to the server.
export function publicCauses (causes: LocatedCause[]): ValidationCause[] {
  return causes.map(c => ({ reason: c.reason, message: c.message, field: c.field }))
}
