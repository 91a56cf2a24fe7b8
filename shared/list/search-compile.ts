// Turns a parsed search into a predicate over the caller's items. The caller names the searchable
// fields: `name` reads one value, `labels.*` accepts any `labels.<key>` and receives <key>.
//
// Semantics: a field may yield one string, several (matches when any of them does) or nothing.
// A missing value never equals, is never ordered and never matches like/in; so `!=`, `not like` and
// `not in` are true for it, and `is null` is how to ask for it. <, <=, >, >= compare numerically when
// both sides are numbers, otherwise by code unit (ISO timestamps order correctly that way).
import { queryError } from './query-error.ts'
import type { SearchNode } from './search-parser.ts'

export type FieldValue = string | readonly string[] | undefined
// key is what follows the prefix of a `prefix.*` field ('' for plain fields)
export type FieldGetter<T> = (item: T, key: string) => FieldValue
export type FieldMap<T> = Readonly<Record<string, FieldGetter<T>>>
export type Predicate<T> = (item: T) => boolean

function describeFields (fields: FieldMap<unknown>): string {
  return Object.keys(fields).map(f => f.endsWith('.*') ? `${f.slice(0, -1)}<key>` : f).join(', ')
}

function resolve<T> (fields: FieldMap<T>, field: string, pos: number): (item: T) => FieldValue {
  const plain = Object.hasOwn(fields, field) && !field.endsWith('.*') ? fields[field] : undefined
  if (plain !== undefined) return item => plain(item, '')
  for (const [name, getter] of Object.entries(fields)) {
    if (!name.endsWith('.*')) continue
    const prefix = name.slice(0, -1)
    if (field.startsWith(prefix) && field.length > prefix.length) {
      const key = field.slice(prefix.length)
      return item => getter(item, key)
    }
  }
  throw queryError('search', `unknown field '${field}' at position ${pos}; searchable fields: ${describeFields(fields as FieldMap<unknown>)}`, 'enum')
}

function likePattern (pattern: string, ignoreCase: boolean): RegExp {
  let source = ''
  for (const c of pattern) {
    if (c === '%') source += '.*'
    else if (c === '_') source += '.'
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'si' : 's')
}

const NUMBER = /^-?\d+(\.\d+)?$/

function order (a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b)
  return a < b ? -1 : a > b ? 1 : 0
}

// true when any value satisfies test; false for a missing value
function some (v: FieldValue, test: (s: string) => boolean): boolean {
  if (v === undefined) return false
  if (typeof v === 'string') return test(v)
  for (const s of v) if (test(s)) return true
  return false
}

function comparison<T> (node: Extract<SearchNode, { kind: 'compare' }>, read: (item: T) => FieldValue): Predicate<T> {
  const x = node.value
  switch (node.op) {
    case '=': return item => some(read(item), s => s === x)
    case '!=': return item => !some(read(item), s => s === x)
    case '<': return item => some(read(item), s => order(s, x) < 0)
    case '<=': return item => some(read(item), s => order(s, x) <= 0)
    case '>': return item => some(read(item), s => order(s, x) > 0)
    case '>=': return item => some(read(item), s => order(s, x) >= 0)
    case 'like':
    case 'ilike': {
      const re = likePattern(x, node.op === 'ilike')
      return item => some(read(item), s => re.test(s))
    }
    case 'not like':
    case 'not ilike': {
      const re = likePattern(x, node.op === 'not ilike')
      return item => !some(read(item), s => re.test(s))
    }
  }
}

export function compileSearch<T> (node: SearchNode, fields: FieldMap<T>): Predicate<T> {
  switch (node.kind) {
    case 'and': {
      const l = compileSearch(node.left, fields)
      const r = compileSearch(node.right, fields)
      return item => l(item) && r(item)
    }
    case 'or': {
      const l = compileSearch(node.left, fields)
      const r = compileSearch(node.right, fields)
      return item => l(item) || r(item)
    }
    case 'not': {
      const inner = compileSearch(node.operand, fields)
      return item => !inner(item)
    }
    case 'compare': return comparison(node, resolve(fields, node.field, node.pos))
    case 'in': {
      const read = resolve(fields, node.field, node.pos)
      const set = new Set(node.values)
      const hit = (item: T) => some(read(item), s => set.has(s))
      return node.negated ? item => !hit(item) : hit
    }
    case 'null': {
      const read = resolve(fields, node.field, node.pos)
      const missing = (item: T) => {
        const v = read(item)
        return v === undefined || (typeof v !== 'string' && v.length === 0)
      }
      return node.negated ? item => !missing(item) : missing
    }
  }
}
