import { deepEqual } from './equal.ts'
import { duplicate, fieldPath, invalid } from './messages.ts'
import { isObject, type LocatedCause, type PathSegment, type Schema } from './types.ts'

interface Walk { at: PathSegment[], mapKeys: boolean[] }

function child (w: Walk, seg: PathSegment, isMapKey = false): Walk {
  return { at: [...w.at, seg], mapKeys: [...w.mapKeys, isMapKey] }
}

function listMapErrors (s: Schema, list: unknown[], w: Walk, out: LocatedCause[]): void {
  const bad = list.findIndex(x => x !== null && !isObject(x))
  if (bad >= 0) {
    list.forEach((x, i) => {
      if (x !== null && !isObject(x)) {
        const c = child(w, i)
        out.push(invalid(fieldPath(c.at, c.mapKeys), x, 'must be an object for an array of list-type map', c.at))
      }
    })
    return
  }
  const keys = s['x-kubernetes-list-map-keys'] ?? []
  const seen: Record<string, unknown>[] = []
  list.forEach((x, i) => {
    if (!isObject(x)) return
    const tuple: Record<string, unknown> = {}
    for (const k of keys) tuple[k] = k in x ? x[k] : s.items?.properties?.[k]?.default
    if (seen.some(t => deepEqual(t, tuple))) {
      const c = child(w, i)
      out.push(duplicate(fieldPath(c.at, c.mapKeys), tuple, c.at))
    } else {
      seen.push(tuple)
    }
  })
}

function walk (s: Schema | undefined, v: unknown, w: Walk, out: LocatedCause[]): void {
  if (!s) return
  if (Array.isArray(v)) {
    if (s['x-kubernetes-list-type'] === 'set') {
      v.forEach((x, i) => {
        if (v.findIndex(y => deepEqual(x, y)) !== i) {
          const c = child(w, i)
          out.push(duplicate(fieldPath(c.at, c.mapKeys), x, c.at))
        }
      })
    } else if (s['x-kubernetes-list-type'] === 'map') {
      listMapErrors(s, v, w, out)
    }
    v.forEach((x, i) => walk(s.items, x, child(w, i), out))
    return
  }
  if (!isObject(v)) return
  const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
  for (const [k, x] of Object.entries(v)) {
    const prop = s.properties?.[k]
    if (prop) walk(prop, x, child(w, k), out)
    else if (extra) walk(extra, x, child(w, k, true), out)
  }
}

// structurallisttype.ValidateListSetsAndMaps: duplicate entries of x-kubernetes-list-type set lists and
// duplicate key tuples of map lists.
export function validateListTypes (s: Schema, obj: unknown): LocatedCause[] {
  const out: LocatedCause[] = []
  walk(s, obj, { at: [], mapKeys: [] }, out)
  return out
}
