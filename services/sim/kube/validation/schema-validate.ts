import { formatChecker } from './formats.ts'
import { goQuote, invalid, notSupported, openapiPath, required, tooLong, tooMany, typeInvalid } from './messages.ts'
import { goRegExp } from './regex.ts'
import { deepEqual } from './equal.ts'
import { isObject, type LocatedCause, type PathSegment, type Schema } from './types.ts'

// Go's %v of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e6.
export function goFloat (n: number): string {
  if (n === 0 || !Number.isFinite(n)) return String(n)
  const [mant, exp] = n.toExponential().split('e')
  const e = Number(exp)
  if (e < -4 || e >= 6) return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  return String(n)
}

function jsonType (v: unknown): string {
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'boolean'
  if (typeof v === 'number' || typeof v === 'bigint') return typeof v === 'bigint' || Number.isInteger(v) ? 'integer' : 'number'
  if (Array.isArray(v)) return 'array'
  return 'object'
}

function schemaTypes (s: Schema): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string']
  return s.type ? [s.type] : []
}

function typeMatches (types: string[], actual: string): boolean {
  return types.includes(actual) || (actual === 'integer' && types.includes('number'))
}

// The bound as kube-openapi prints it: int64 formatting for integer data, float64 %v otherwise.
function bound (limit: number, data: number): string {
  return Number.isInteger(data) ? String(Math.trunc(limit)) : goFloat(limit)
}

function inBody (p: string): string {
  return p === '' ? '' : `${p} in body `
}

function validateString (s: Schema, data: string, at: PathSegment[], out: LocatedCause[]): void {
  const p = openapiPath(at)
  const length = [...data].length
  if (s.maxLength !== undefined && length > s.maxLength) {
    out.push(tooLong(p, s.maxLength, at))
  } else if (s.minLength !== undefined && length < s.minLength) {
    out.push(invalid(p, data, `${inBody(p)}should be at least ${s.minLength} chars long`, at))
  } else if (s.pattern !== undefined && !goRegExp(s.pattern).test(data)) {
    out.push(invalid(p, data, `${inBody(p)}should match '${s.pattern}'`, at))
  }
  const check = formatChecker(s.format)
  if (check && !check(data)) out.push(typeInvalid(p, data, `${inBody(p)}must be of type ${s.format}: ${goQuote(data)}`, at))
}

function validateNumber (s: Schema, data: number, at: PathSegment[], out: LocatedCause[]): void {
  const p = openapiPath(at)
  if (s.multipleOf !== undefined && s.multipleOf > 0) {
    const q = data / s.multipleOf
    if (Math.abs(q - Math.round(q)) > 1e-9) out.push(invalid(p, data, `${inBody(p)}should be a multiple of ${goFloat(s.multipleOf)}`, at))
  }
  if (s.maximum !== undefined && (s.exclusiveMaximum ? data >= s.maximum : data > s.maximum)) {
    const rel = s.exclusiveMaximum ? 'less than' : 'less than or equal to'
    out.push(invalid(p, data, `${inBody(p)}should be ${rel} ${bound(s.maximum, data)}`, at))
  }
  if (s.minimum !== undefined && (s.exclusiveMinimum ? data <= s.minimum : data < s.minimum)) {
    const rel = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to'
    out.push(invalid(p, data, `${inBody(p)}should be ${rel} ${bound(s.minimum, data)}`, at))
  }
}

function validateArray (s: Schema, data: unknown[], at: PathSegment[], out: LocatedCause[]): void {
  const p = openapiPath(at)
  if (s.items) data.forEach((item, i) => validateAgainstSchema(s.items as Schema, item, [...at, i], out))
  if (s.minItems !== undefined && data.length < s.minItems) {
    out.push(invalid(p, data.length, `${inBody(p)}should have at least ${s.minItems} items`, at))
  }
  if (s.maxItems !== undefined && data.length > s.maxItems) out.push(tooMany(p, data.length, s.maxItems, at))
  if (s.uniqueItems && data.some((v, i) => data.findIndex(w => deepEqual(v, w)) !== i)) {
    out.push(invalid(p, '', `${inBody(p)}shouldn't contain duplicates`, at))
  }
}

function validateObject (s: Schema, data: Record<string, unknown>, at: PathSegment[], out: LocatedCause[]): void {
  const p = openapiPath(at)
  const keys = Object.keys(data)
  if (s.minProperties !== undefined && keys.length < s.minProperties) {
    out.push(invalid(p, keys.length, `${inBody(p)}should have at least ${s.minProperties} properties`, at))
    return
  }
  if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
    out.push(tooMany(p, keys.length, s.maxProperties, at))
    return
  }
  const props = s.properties ?? {}
  if (s.additionalProperties === false) {
    for (const k of keys) {
      if (!(k in props)) out.push(invalid(p, '', `${p}.${k}${p === '' ? '' : ' in body'} is a forbidden property`, at))
    }
  } else if (typeof s.additionalProperties === 'object') {
    for (const k of keys) {
      if (!(k in props)) validateAgainstSchema(s.additionalProperties, data[k], [...at, k], out)
    }
  }
  for (const [k, prop] of Object.entries(props)) {
    if (k in data) validateAgainstSchema(prop, data[k], [...at, k], out)
  }
  for (const k of s.required ?? []) {
    if (!(k in data)) out.push(required(openapiPath([...at, k]), at))
  }
}

function validateComposition (s: Schema, data: unknown, at: PathSegment[], out: LocatedCause[]): void {
  const p = openapiPath(at)
  for (const sub of s.allOf ?? []) validateAgainstSchema(sub, data, at, out)
  if (s.anyOf && s.anyOf.length > 0) {
    let best: LocatedCause[] | undefined
    for (const sub of s.anyOf) {
      const errs = validateAgainstSchema(sub, data, at, [])
      if (errs.length === 0) { best = undefined; break }
      if (!best || errs.length < best.length) best = errs
    }
    if (best) out.push(invalid('<nil>', '', `${p} must validate at least one schema (anyOf)`, at), ...best)
  }
  if (s.oneOf && s.oneOf.length > 0) {
    const passing = s.oneOf.filter(sub => validateAgainstSchema(sub, data, at, []).length === 0).length
    if (passing !== 1) out.push(invalid('<nil>', '', `${p} must validate one and only one schema (oneOf)`, at))
  }
  if (s.not && validateAgainstSchema(s.not, data, at, []).length === 0) {
    out.push(invalid('<nil>', '', `${p} must not validate the schema (not)`, at))
  }
}

// kube-openapi's SchemaValidator as apiextensions-apiserver runs it, with its errors converted the way
// kubeOpenAPIResultToFieldErrors does. Causes are appended to `out` (and returned).
export function validateAgainstSchema (s: Schema, data: unknown, at: PathSegment[] = [], out: LocatedCause[] = []): LocatedCause[] {
  const p = openapiPath(at)
  const types = schemaTypes(s)
  if (data === null || data === undefined) {
    if (types.length > 0 && !s.nullable) out.push(typeInvalid(p, 'null', `${inBody(p)}must be of type ${types.join(',')}: "null"`, at))
    return out
  }
  const actual = jsonType(data)
  if (types.length > 0 && !typeMatches(types, actual)) {
    out.push(typeInvalid(p, actual, `${inBody(p)}must be of type ${types.join(',')}: ${goQuote(actual)}`, at))
    if (s.enum && !s.enum.some(e => deepEqual(e, data))) out.push(notSupported(p, data, s.enum, at))
    return out
  }
  validateComposition(s, data, at, out)
  if (typeof data === 'string') validateString(s, data, at, out)
  else if (typeof data === 'number') validateNumber(s, data, at, out)
  if (s.enum && !s.enum.some(e => deepEqual(e, data))) out.push(notSupported(p, data, s.enum, at))
  if (Array.isArray(data)) validateArray(s, data, at, out)
  else if (isObject(data)) validateObject(s, data, at, out)
  return out
}
