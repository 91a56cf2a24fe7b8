import { compileSchemaRules, type CompiledRule } from './cel-compile.ts'
import { toCel, validateCel } from './cel.ts'
import { validateListTypes } from './list-type.ts'
import { loadCrdFiles } from './load-crds.ts'
import { invalid, publicCauses } from './messages.ts'
import { applyDefaults, prune, pruneNulls } from './prune.ts'
import { ratchet } from './ratcheting.ts'
import { validateScale, type ScaleSubresource } from './scale.ts'
import { validateAgainstSchema } from './schema-validate.ts'
import { isObject, type JsonObject, type LocatedCause, type Schema, type ValidationCause } from './types.ts'

export type { ValidationCause, Schema } from './types.ts'
export { invalidMessage } from './messages.ts'
export { validateAgainstSchema } from './schema-validate.ts'
export { prune, applyDefaults } from './prune.ts'

export interface CrdValidator {
  crds: object[]
  has (group: string, version: string, plural: string): boolean
  validate (input: { group: string; version: string; plural: string; object: any; oldObject?: any; subresource?: 'status' }): { object: any; causes: ValidationCause[] }
  stats (): { crds: number; rules: number; evaluableRules: number }
  // Rules this engine cannot run (skipped, never failing an object), with the reason.
  unsupportedRules (): Array<{ rule: string, reason: string }>
}

interface VersionEntry {
  kind: string
  schema: Schema
  scale?: ScaleSubresource
  hasStatus: boolean
  rules: CompiledRule[]
}

// strategy.go: these schema errors mean the object lacks the shape CEL rules were written for.
const blocking = new Set(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid'])

function str (v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function indexCrds (crds: JsonObject[]): Map<string, VersionEntry> {
  const byKey = new Map<string, VersionEntry>()
  for (const crd of crds) {
    const spec = isObject(crd.spec) ? crd.spec : {}
    const names = isObject(spec.names) ? spec.names : {}
    const versions = Array.isArray(spec.versions) ? spec.versions : []
    for (const v of versions) {
      if (!isObject(v) || v.served === false) continue
      const schema = (isObject(v.schema) && isObject(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : {}) as Schema
      const sub = isObject(v.subresources) ? v.subresources : {}
      byKey.set(`${str(spec.group)}/${str(v.name)}/${str(names.plural)}`, {
        kind: str(names.kind),
        schema,
        scale: isObject(sub.scale) ? sub.scale as ScaleSubresource : undefined,
        hasStatus: 'status' in sub,
        rules: compileSchemaRules(schema)
      })
    }
  }
  return byKey
}

// Prune, null-prune and default as the CRD decoder does on every read and write.
export function normalize (schema: Schema, object: unknown): unknown {
  const copy = structuredClone(object)
  prune(copy, schema, true)
  pruneNulls(copy, schema)
  applyDefaults(copy, schema)
  return copy
}

function validateEntry (entry: VersionEntry, object: unknown, old: unknown, subresource?: 'status'): LocatedCause[] {
  const update = old !== undefined
  let schemaErrs = validateAgainstSchema(entry.schema, object)
  if (update) schemaErrs = ratchet(entry.schema, schemaErrs, object, old)
  const scalePath = subresource === 'status' ? entry.scale?.statusReplicasPath : entry.scale?.specReplicasPath
  const errs = [...schemaErrs, ...validateScale(object, scalePath)]
  if (!update || validateListTypes(entry.schema, old).length === 0) errs.push(...validateListTypes(entry.schema, object))
  if (entry.rules.length === 0) return errs
  if (errs.some(e => blocking.has(e.reason))) {
    errs.push(invalid('<nil>', null, 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation', []))
    return errs
  }
  let celErrs = validateCel(entry.schema, toCel(object, entry.schema, true), update ? toCel(old, entry.schema, true) : undefined)
  if (update) celErrs = ratchet(entry.schema, celErrs, object, old)
  return [...errs, ...celErrs]
}

export function createCrdValidator (crds: JsonObject[]): CrdValidator {
  const byKey = indexCrds(crds)
  const entries = [...new Set(byKey.values())]
  const allRules = entries.flatMap(e => e.rules)
  return {
    crds,
    has: (group, version, plural) => byKey.has(`${group}/${version}/${plural}`),
    validate ({ group, version, plural, object, oldObject, subresource }) {
      const entry = byKey.get(`${group}/${version}/${plural}`)
      if (!entry) throw new Error(`no CustomResourceDefinition serves ${plural}.${group}/${version}`)
      const out = normalize(entry.schema, object)
      const old = oldObject === undefined || oldObject === null ? undefined : normalize(entry.schema, oldObject)
      return { object: out, causes: publicCauses(validateEntry(entry, out, old, subresource)) }
    },
    stats: () => ({
      crds: crds.length,
      rules: allRules.length,
      evaluableRules: allRules.filter(r => r.unsupported === undefined).length
    }),
    unsupportedRules: () => allRules.filter(r => r.unsupported !== undefined).map(r => ({ rule: r.rule.rule, reason: r.unsupported ?? '' }))
  }
}

export async function loadCrdValidator (dir: string): Promise<CrdValidator> {
  return createCrdValidator(await loadCrdFiles(dir))
}
