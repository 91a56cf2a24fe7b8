import { deepEqual } from './equal.ts'
import { isObject, type LocatedCause, type PathSegment, type Schema } from './types.ts'

// The old value correlated with a child of (newValue, oldValue): same property / map key, or for
// list-type map the item with the same keys and for set the equal item. Atomic lists do not correlate.
function correlate (s: Schema, seg: PathSegment, newValue: unknown, oldValue: unknown): { schema?: Schema, found: boolean, old?: unknown } {
  if (typeof seg === 'number') {
    if (!Array.isArray(newValue) || !Array.isArray(oldValue) || !s.items) return { found: false }
    const item = newValue[seg]
    const listType = s['x-kubernetes-list-type']
    let match: unknown
    if (listType === 'map' && isObject(item)) {
      const keys = s['x-kubernetes-list-map-keys'] ?? []
      match = oldValue.find(o => isObject(o) && keys.every(k => deepEqual(o[k], item[k])))
    } else if (listType === 'set') {
      match = oldValue.find(o => deepEqual(o, item))
    }
    return match === undefined ? { found: false } : { schema: s.items, found: true, old: match }
  }
  if (!isObject(newValue) || !isObject(oldValue) || !(seg in oldValue)) return { found: false }
  const sub = s.properties?.[seg] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined)
  return { schema: sub ?? {}, found: true, old: oldValue[seg] }
}

// True when the value at `at`, or any correlatable ancestor of it, is unchanged from the old object.
function unchanged (s: Schema, newObj: unknown, oldObj: unknown, at: PathSegment[]): boolean {
  let schema: Schema = s
  let nv = newObj
  let ov = oldObj
  if (deepEqual(nv, ov)) return true
  for (const seg of at) {
    const c = correlate(schema, seg, nv, ov)
    if (!c.found) return false
    nv = (nv as Record<string | number, unknown>)[seg]
    ov = c.old
    schema = c.schema ?? {}
    if (deepEqual(nv, ov)) return true
  }
  return false
}

// CRDValidationRatcheting: on update, errors about values that did not change are dropped so objects
// stored under an older schema stay writable. Rules reading oldSelf (transition rules) always count.
export function ratchet (s: Schema, causes: LocatedCause[], newObj: unknown, oldObj: unknown): LocatedCause[] {
  return causes.filter(c => c.transition === true || !unchanged(s, newObj, oldObj, c.at))
}
