import { isObject, type JsonObject, type Schema } from './types.ts'

const rootMetaFields = new Set(['apiVersion', 'kind', 'metadata'])

function preservesUnknown (s: Schema): boolean {
  return s['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties === true
}

function additional (s: Schema): Schema | undefined {
  return typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
}

// structuralpruning.Prune: drops object fields the schema does not specify, in place. apiVersion,
// kind and metadata survive at the resource root and in embedded resources (metadata is the API
// server's to validate).
export function prune (value: unknown, schema: Schema | undefined, isRoot = false): void {
  if (Array.isArray(value)) {
    for (const item of value) prune(item, schema?.items)
    return
  }
  if (!isObject(value)) return
  if (!schema) {
    for (const k of Object.keys(value)) delete value[k]
    return
  }
  const keepMeta = isRoot || schema['x-kubernetes-embedded-resource'] === true
  const preserve = preservesUnknown(schema)
  const extra = additional(schema)
  for (const k of Object.keys(value)) {
    if (keepMeta && rootMetaFields.has(k) && (k === 'metadata' || typeof value[k] === 'string')) continue
    const prop = schema.properties?.[k]
    if (prop) prune(value[k], prop)
    else if (extra) prune(value[k], extra)
    else if (!preserve) delete value[k]
  }
}

function isNonNullableNull (v: unknown, s: Schema | undefined): boolean {
  return v === null && s !== undefined && s.nullable !== true
}

// structuraldefaulting.PruneNonNullableNullsWithoutDefaults: a null in a field that is neither
// nullable nor defaulted is treated as if the field were absent.
export function pruneNulls (value: unknown, schema: Schema | undefined): void {
  if (!schema) return
  if (Array.isArray(value)) {
    for (const item of value) pruneNulls(item, schema.items)
    return
  }
  if (!isObject(value)) return
  const extra = additional(schema)
  for (const k of Object.keys(value)) {
    const prop = schema.properties?.[k] ?? extra
    if (!prop) continue
    if (isNonNullableNull(value[k], prop) && prop.default === undefined) delete value[k]
    else pruneNulls(value[k], prop)
  }
}

// structuraldefaulting.Default: fills absent (or non-nullable null) properties from `default`, then
// recurses, so defaults nested in a default value or in present objects apply too. Objects that are
// absent stay absent.
export function applyDefaults (value: unknown, schema: Schema | undefined): void {
  if (!schema) return
  if (Array.isArray(value)) {
    const items = schema.items
    if (!items) return
    value.forEach((item, i) => {
      if (isNonNullableNull(item, items)) {
        if (items.default === undefined) return
        value[i] = structuredClone(items.default)
      }
      applyDefaults(value[i], items)
    })
    return
  }
  if (!isObject(value)) return
  const obj: JsonObject = value
  for (const [k, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.default === undefined) continue
    if (!(k in obj) || isNonNullableNull(obj[k], prop)) obj[k] = structuredClone(prop.default)
  }
  const extra = additional(schema)
  for (const k of Object.keys(obj)) {
    const prop = schema.properties?.[k]
    if (prop) {
      applyDefaults(obj[k], prop)
    } else if (extra) {
      if (isNonNullableNull(obj[k], extra)) {
        if (extra.default === undefined) continue
        obj[k] = structuredClone(extra.default)
      }
      applyDefaults(obj[k], extra)
    }
  }
}
