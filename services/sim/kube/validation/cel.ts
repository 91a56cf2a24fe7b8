import { Optional } from '@marcbachmann/cel-js'
import { rulesOf, type CompiledRule } from './cel-compile.ts'
import { deepEqual } from './equal.ts'
import { duplicate, fieldPath, forbidden, invalid, required } from './messages.ts'
import { isObject, type LocatedCause, type PathSegment, type Schema } from './types.ts'

// CEL sees integers as int (bigint), numbers as double, and at the resource root only
// metadata.name/generateName (as in kube-apiserver).
export function toCel (v: unknown, s: Schema | undefined, isRoot = false): unknown {
  if (Array.isArray(v)) return v.map(x => toCel(x, s?.items))
  if (isObject(v)) {
    const out: Record<string, unknown> = {}
    const extra = typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined
    for (const [k, x] of Object.entries(v)) {
      if (isRoot && k === 'metadata' && isObject(x)) {
        const meta: Record<string, unknown> = {}
        if (typeof x.name === 'string') meta.name = x.name
        if (typeof x.generateName === 'string') meta.generateName = x.generateName
        out[k] = meta
        continue
      }
      out[k] = toCel(x, s?.properties?.[k] ?? extra)
    }
    return out
  }
  if (typeof v === 'number' && Number.isInteger(v) && s?.type !== 'number') return BigInt(v)
  return v
}

interface Walk { at: PathSegment[], mapKeys: boolean[] }

function appendFieldPath (w: Walk, relative: string | undefined): Walk {
  if (!relative) return w
  const at = [...w.at]
  const mapKeys = [...w.mapKeys]
  for (const m of relative.matchAll(/\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/g)) {
    if (m[1] !== undefined) { at.push(m[1]); mapKeys.push(false) } else if (m[2] !== undefined) { at.push(m[2]); mapKeys.push(true) } else { at.push(Number(m[3])); mapKeys.push(false) }
  }
  return { at, mapKeys }
}

// cel-go's wording for the runtime errors rules commonly hit.
function runtimeMessage (err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0]
  const oob = /index out of bounds, index (-?\d+)/.exec(text)
  if (oob) return `index out of bounds: ${oob[1]}`
  const key = /^No such key: (.*)$/.exec(text)
  if (key) return `no such key: ${key[1]}`
  if (/no matching overload/.test(text)) return `no such overload: ${text}`
  return text
}

function ruleText (c: CompiledRule): string {
  return c.rule.message?.trim() || c.rule.rule.trim()
}

function ruleMessage (c: CompiledRule, vars: Record<string, unknown>): string {
  if (c.messageProgram) {
    try {
      const msg = c.messageProgram(vars)
      if (typeof msg === 'string' && msg.trim() !== '' && !msg.includes('\n')) return msg
    } catch {}
  }
  return c.rule.message?.trim() || `failed rule: ${c.rule.rule.trim()}`
}

function failure (c: CompiledRule, s: Schema, w: Walk, vars: Record<string, unknown>): LocatedCause {
  const target = appendFieldPath(w, c.rule.fieldPath)
  const field = fieldPath(target.at, target.mapKeys)
  const detail = ruleMessage(c, vars)
  const type = s.type ?? ''
  let out: LocatedCause
  switch (c.rule.reason) {
    case 'FieldValueForbidden': out = forbidden(field, detail, w.at); break
    case 'FieldValueRequired': out = required(field, w.at, detail); break
    case 'FieldValueDuplicate': out = duplicate(field, type, w.at); break
    default: out = invalid(field, type, detail, w.at)
  }
  out.transition = c.usesOldSelf
  return out
}

function evaluateRules (s: Schema, self: unknown, old: unknown, hasOld: boolean, w: Walk, out: LocatedCause[]): void {
  for (const c of rulesOf(s)) {
    if (!c.program) continue
    if (c.usesOldSelf && !hasOld && !c.rule.optionalOldSelf) continue
    const vars: Record<string, unknown> = { self }
    if (c.usesOldSelf) vars.oldSelf = c.rule.optionalOldSelf ? (hasOld ? Optional.of(old) : Optional.none()) : old
    let result: unknown
    try {
      result = c.program(vars)
    } catch (err) {
      const e = invalid(fieldPath(w.at, w.mapKeys), s.type ?? '', `${runtimeMessage(err)} evaluating rule: ${ruleText(c)}`, w.at)
      e.transition = c.usesOldSelf
      out.push(e)
      continue
    }
    if (result !== true) out.push(failure(c, s, w, vars))
  }
}

function oldListItem (s: Schema, item: unknown, oldList: unknown): { value: unknown, found: boolean } {
  if (s['x-kubernetes-list-type'] !== 'map' || !Array.isArray(oldList) || !isObject(item)) return { value: undefined, found: false }
  const keys = s['x-kubernetes-list-map-keys'] ?? []
  const match = oldList.find(o => isObject(o) && keys.every(k => deepEqual(o[k], item[k])))
  return match === undefined ? { value: undefined, found: false } : { value: match, found: true }
}

function walk (s: Schema, v: unknown, old: unknown, hasOld: boolean, w: Walk, out: LocatedCause[]): void {
  if (v === undefined) return
  evaluateRules(s, v, old, hasOld, w, out)
  if (Array.isArray(v)) {
    if (!s.items) return
    v.forEach((item, i) => {
      const o = hasOld ? oldListItem(s, item, old) : { value: undefined, found: false }
      walk(s.items as Schema, item, o.value, o.found, { at: [...w.at, i], mapKeys: [...w.mapKeys, false] }, out)
    })
    return
  }
  if (!isObject(v)) return
  const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
  const oldObj = hasOld && isObject(old) ? old : undefined
  for (const [k, x] of Object.entries(v)) {
    const prop = s.properties?.[k]
    const sub = prop ?? extra
    if (!sub) continue
    const found = oldObj !== undefined && k in oldObj
    walk(sub, x, found ? oldObj[k] : undefined, found, { at: [...w.at, k], mapKeys: [...w.mapKeys, !prop] }, out)
  }
}

// Runs the x-kubernetes-validations rules over an object (already converted with toCel). Rules that
// read oldSelf run only where an old value correlates (object fields, map keys, list-map items).
export function validateCel (s: Schema, obj: unknown, oldObj: unknown): LocatedCause[] {
  const out: LocatedCause[] = []
  walk(s, obj, oldObj, oldObj !== undefined, { at: [], mapKeys: [] }, out)
  return out
}
