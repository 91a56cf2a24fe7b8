// search + order + keyset pagination over an in-memory list (the watch caches' snapshots). One engine
// serves clusters and node pools over REST and GraphQL: the caller supplies the searchable fields, the
// orderable fields and each item's namespace/name, which break ties so the order is total.
//
// Speed: compiled queries are cached by their text, and the filtered + sorted result is remembered per
// input array. A watch cache hands out the same frozen array until something changes, so repeated
// pages of an unchanged cache cost a binary search and a slice. After a change, rows are laid out in
// the previous result's order before sorting: unchanged objects keep their identity, so the input is
// almost sorted and the engine's merge sort (TimSort) finishes in close to linear time.
import { decodeCursor, encodeCursor, queryHash } from './cursor.ts'
import { compareKeys, parseOrder, printOrder, type OrderFields, type SortValue } from './order.ts'
import { queryError } from './query-error.ts'
import { compileSearch, type FieldMap, type Predicate } from './search-compile.ts'
import { parseSearch, printSearch } from './search-parser.ts'

export interface ListQueryOptions<T> {
  fields: FieldMap<T>
  order: OrderFields<T>
  identity: (item: T) => readonly [namespace: string, name: string]
  defaultOrder?: string
  defaultLimit?: number
  maxLimit?: number
}

export interface ListParams {
  search?: string
  order?: string
  limit?: number | string
  continue?: string
}

export interface ListPage<T> {
  items: T[]
  limit: number
  continue?: string
  // items matching the search, across all pages
  total: number
}

export interface PreparedQuery<T> {
  predicate: Predicate<T> | null
  // canonical forms, e.g. to echo back or to key a cache
  search: string
  order: string
  limit: number
  after: SortValue[] | null
  hash: string
}

export interface ListQuery<T> {
  // validates and compiles the parameters; throws GW_ERR_VALIDATION problems naming query.<param>
  prepare (params?: ListParams): PreparedQuery<T>
  run (items: readonly T[], params?: ListParams): ListPage<T>
  searchFields: string[]
  orderFields: string[]
}

interface Compiled<T> {
  predicate: Predicate<T> | null
  search: string
  order: string
  getters: Array<(item: T) => SortValue>
  desc: boolean[]
  hash: string
}

interface Sorted<T> { items: T[], keys: SortValue[][] }

const COMPILED_MAX = 256
const RESULTS_PER_SNAPSHOT = 16
const PREVIOUS_MAX = 32

export function createListQuery<T> (opts: ListQueryOptions<T>): ListQuery<T> {
  const defaultOrder = opts.defaultOrder ?? 'name asc'
  const defaultLimit = opts.defaultLimit ?? 100
  const maxLimit = opts.maxLimit ?? 500
  const compiled = new Map<string, Compiled<T>>()
  const results = new WeakMap<readonly T[], Map<string, Sorted<T>>>()
  // the latest sorted result per query, as the starting order for the next snapshot's sort
  const previous = new Map<string, T[]>()
  const tieBreak: Array<(item: T) => SortValue> = [item => opts.identity(item)[0], item => opts.identity(item)[1]]

  function compile (searchText: string, orderText: string): Compiled<T> {
    const cacheKey = `${searchText}\u0000${orderText}`
    const hit = compiled.get(cacheKey)
    if (hit !== undefined) {
      // refresh its place so the map evicts the least recently used
      compiled.delete(cacheKey)
      compiled.set(cacheKey, hit)
      return hit
    }
    const ast = searchText === '' ? null : parseSearch(searchText)
    const predicate = ast === null ? null : compileSearch(ast, opts.fields)
    const terms = parseOrder(orderText, opts.order)
    const search = ast === null ? '' : printSearch(ast)
    const order = printOrder(terms)
    const entry: Compiled<T> = {
      predicate,
      search,
      order,
      getters: [...terms.map(t => opts.order[t.field]), ...tieBreak],
      desc: [...terms.map(t => t.desc), false, false],
      hash: queryHash(search, order)
    }
    compiled.set(cacheKey, entry)
    if (compiled.size > COMPILED_MAX) compiled.delete(compiled.keys().next().value!)
    return entry
  }

  function parseLimit (value: number | string | undefined): number {
    if (value === undefined || value === '') return defaultLimit
    const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN
    if (!Number.isInteger(n)) throw queryError('limit', `must be an integer from 1 to ${maxLimit}`, 'type')
    if (n < 1) throw queryError('limit', `must be at least 1 (got ${n})`, 'minimum')
    if (n > maxLimit) throw queryError('limit', `must be at most ${maxLimit} (got ${n})`, 'maximum')
    return n
  }

  function prepareWith (params: ListParams): { c: Compiled<T>, limit: number, after: SortValue[] | null } {
    const c = compile((params.search ?? '').trim(), (params.order ?? '').trim() || defaultOrder)
    const limit = parseLimit(params.limit)
    const after = params.continue === undefined || params.continue === '' ? null : decodeCursor(params.continue, c.hash, c.getters.length)
    return { c, limit, after }
  }

  function sorted (items: readonly T[], c: Compiled<T>): Sorted<T> {
    let bySnapshot = results.get(items)
    const hit = bySnapshot?.get(c.hash)
    if (hit !== undefined) return hit
    const rows = presorted(items, c, previous.get(c.hash))
    rows.sort((a, b) => compareKeys(a.key, b.key, c.desc))
    const out: Sorted<T> = { items: rows.map(r => r.item), keys: rows.map(r => r.key) }
    previous.delete(c.hash)
    previous.set(c.hash, out.items)
    if (previous.size > PREVIOUS_MAX) previous.delete(previous.keys().next().value!)
    if (bySnapshot === undefined) results.set(items, bySnapshot = new Map())
    if (bySnapshot.size >= RESULTS_PER_SNAPSHOT) bySnapshot.delete(bySnapshot.keys().next().value!)
    bySnapshot.set(c.hash, out)
    return out
  }

  // the matching rows, those already in `before` in that order, then the rest (new or changed objects)
  function presorted (items: readonly T[], c: Compiled<T>, before: T[] | undefined): Array<{ item: T, key: SortValue[] }> {
    let rank: Map<T, number> | undefined
    if (before !== undefined) {
      rank = new Map()
      for (let i = 0; i < before.length; i++) rank.set(before[i], i)
    }
    const placed: Array<{ item: T, key: SortValue[] } | undefined> = rank === undefined ? [] : new Array(before!.length)
    const rest: Array<{ item: T, key: SortValue[] }> = []
    for (const item of items) {
      if (c.predicate !== null && !c.predicate(item)) continue
      const key: SortValue[] = new Array(c.getters.length)
      for (let i = 0; i < key.length; i++) key[i] = c.getters[i](item)
      const row = { item, key }
      const r = rank?.get(item)
      if (r === undefined) rest.push(row)
      else placed[r] = row
    }
    if (rank === undefined) return rest
    const out: Array<{ item: T, key: SortValue[] }> = []
    for (const row of placed) if (row !== undefined) out.push(row)
    for (const row of rest) out.push(row)
    return out
  }

  // index of the first key strictly after `after`
  function firstAfter (keys: SortValue[][], after: SortValue[], desc: boolean[]): number {
    let lo = 0
    let hi = keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareKeys(keys[mid], after, desc) <= 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  return {
    prepare (params = {}) {
      const { c, limit, after } = prepareWith(params)
      return { predicate: c.predicate, search: c.search, order: c.order, limit, after, hash: c.hash }
    },
    run (items, params = {}) {
      const { c, limit, after } = prepareWith(params)
      const all = sorted(items, c)
      const start = after === null ? 0 : firstAfter(all.keys, after, c.desc)
      const end = Math.min(all.items.length, start + limit)
      const page: ListPage<T> = { items: all.items.slice(start, end), limit, total: all.items.length }
      if (end < all.items.length) page.continue = encodeCursor(c.hash, all.keys[end - 1])
      return page
    },
    searchFields: Object.keys(opts.fields),
    orderFields: Object.keys(opts.order)
  }
}
