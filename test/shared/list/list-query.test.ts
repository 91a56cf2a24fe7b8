import t from 'tap'
import { decodeCursor, encodeCursor, queryHash } from '../../../shared/list/cursor.ts'
import { createListQuery, type ListParams } from '../../../shared/list/list-query.ts'

interface Item { ns: string, name: string, created: string, size: number, tags: string[] }

function makeItems (n: number): Item[] {
  return Array.from({ length: n }, (_, i) => ({
    ns: i % 3 === 0 ? 'b' : 'a',
    name: `item-${String(i).padStart(5, '0')}`,
    created: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
    size: i % 7,
    tags: i % 2 === 0 ? ['even'] : []
  }))
}

const query = () => createListQuery<Item>({
  fields: { name: i => i.name, namespace: i => i.ns, tags: i => i.tags, size: i => String(i.size) },
  order: { name: i => i.name, namespace: i => i.ns, createdAt: i => i.created, size: i => i.size },
  identity: i => [i.ns, i.name]
})

// every item once, following continue tokens to the end
function drain (q: ReturnType<typeof query>, items: () => readonly Item[], params: ListParams, between?: (page: number) => void): string[] {
  const seen: string[] = []
  let token: string | undefined
  let page = 0
  do {
    const res = q.run(items(), { ...params, continue: token })
    seen.push(...res.items.map(i => `${i.ns}/${i.name}`))
    token = res.continue
    between?.(page++)
  } while (token !== undefined)
  return seen
}

t.test('defaults, order, tie-break and totals', async t => {
  const q = query()
  const items = makeItems(250)
  const first = q.run(items)
  t.equal(first.limit, 100)
  t.equal(first.total, 250)
  t.equal(first.items.length, 100)
  t.type(first.continue, 'string')
  t.equal(first.items[0].name, 'item-00000', 'default order is name asc')
  const bySize = q.run(items, { order: 'size DESC, createdAt', limit: '5' })
  const cmp = (a: string | number, b: string | number) => a < b ? -1 : a > b ? 1 : 0
  const reference = [...items].sort((a, b) => cmp(b.size, a.size) || cmp(a.created, b.created) || cmp(a.ns, b.ns) || cmp(a.name, b.name))
  t.same(bySize.items, reference.slice(0, 5), 'size desc, then createdAt asc, then namespace/name')
  t.equal(bySize.items[0].size, 6)
  t.equal(q.run(items, { search: "tags = 'even' and namespace = 'b'", limit: 500 }).total, 42)
  t.same(q.run([], {}), { items: [], limit: 100, total: 0 })
  t.same(q.searchFields, ['name', 'namespace', 'tags', 'size'])
  t.same(q.orderFields, ['name', 'namespace', 'createdAt', 'size'])
  t.match(q.prepare({ search: " name  like 'x%' ", order: 'size desc' }), { search: "name like 'x%'", order: 'size desc', limit: 100, after: null })
})

t.test('keyset paging visits every item once, in order, whatever the page size', async t => {
  const q = query()
  const items = makeItems(1001)
  const all = q.run(items, { order: 'createdAt desc', limit: 500 })
  const expected = [...all.items, ...q.run(items, { order: 'createdAt desc', limit: 500, continue: all.continue }).items]
  for (const limit of [1, 7, 100, 500]) {
    const seen = drain(q, () => items, { order: 'createdAt desc', limit }, undefined)
    t.equal(seen.length, items.length, `limit ${limit}: all items`)
    if (limit === 500) t.same(seen.slice(0, 1000), expected.map(i => `${i.ns}/${i.name}`))
  }
})

t.test('items inserted or removed between pages neither repeat nor disappear', async t => {
  const q = query()
  let items = makeItems(300)
  const original = new Set(items.map(i => `${i.ns}/${i.name}`))
  const removed = new Set<string>()
  const seen = drain(q, () => items, { limit: 50 }, page => {
    if (page === 1) {
      // drop one item already served and one still ahead; add one ahead and one behind the cursor
      const gone = items.filter(i => i.name === 'item-00010' || i.name === 'item-00250')
      for (const g of gone) removed.add(`${g.ns}/${g.name}`)
      items = items.filter(i => !gone.includes(i))
      items = [...items, { ns: 'a', name: 'item-00000a', created: 'x', size: 0, tags: [] }, { ns: 'a', name: 'item-99999', created: 'x', size: 0, tags: [] }]
    }
  })
  t.equal(new Set(seen).size, seen.length, 'no duplicates')
  t.ok(seen.includes('a/item-99999'), 'an item inserted ahead of the cursor shows up')
  t.notOk(seen.includes('a/item-00000a'), 'an item inserted behind the cursor does not')
  t.notOk(seen.includes(`${[...removed].find(k => k.endsWith('00250'))}`), 'an item removed ahead of the cursor is skipped')
  t.same([...original].filter(k => !removed.has(k) && !seen.includes(k)), [], 'every untouched item was served')
})

t.test('continue tokens are bound to their search and order', async t => {
  const q = query()
  const items = makeItems(50)
  const page = q.run(items, { search: "namespace = 'a'", order: 'size', limit: 5 })
  t.ok(page.continue)
  t.equal(q.run(items, { search: "namespace  =  'a'", order: 'size asc', limit: 10, continue: page.continue }).items.length, 10, 'same search and order in other spelling, other limit: fine')
  t.throws(() => q.run(items, { search: "namespace = 'b'", order: 'size', continue: page.continue }), {
    code: 'GW_ERR_VALIDATION', status: 400, errors: [{ field: 'query.continue', constraint: 'mismatch' }]
  })
  t.throws(() => q.run(items, { search: "namespace = 'a'", continue: page.continue }), { errors: [{ constraint: 'mismatch' }] }, 'different order')
  for (const bad of ['!!!', 'bm90IGpzb24', Buffer.from(JSON.stringify({ v: 1, h: 'x', k: [1] })).toString('base64url'), Buffer.from(JSON.stringify({ v: 2 })).toString('base64url')]) {
    t.throws(() => q.run(items, { continue: bad }), { errors: [{ field: 'query.continue', constraint: 'format' }] }, bad)
  }
  const hash = queryHash('', 'name asc')
  t.same(decodeCursor(encodeCursor(hash, ['a', 1]), hash, 2), ['a', 1])
  t.throws(() => decodeCursor(encodeCursor(hash, ['a', Number.NaN]), hash, 2), { errors: [{ constraint: 'format' }] })
})

t.test('parameter validation', async t => {
  const q = query()
  const items = makeItems(3)
  const bad = (params: ListParams, field: string, constraint: string, message: RegExp) =>
    t.throws(() => q.run(items, params), { code: 'GW_ERR_VALIDATION', errors: [{ field, constraint, message }] }, JSON.stringify(params))
  bad({ limit: 0 }, 'query.limit', 'minimum', /at least 1/)
  bad({ limit: 501 }, 'query.limit', 'maximum', /at most 500/)
  bad({ limit: 'ten' }, 'query.limit', 'type', /integer from 1 to 500/)
  bad({ limit: 2.5 }, 'query.limit', 'type', /integer/)
  bad({ order: 'color' }, 'query.order', 'enum', /cannot order by 'color'; allowed: name, namespace, createdAt, size/)
  bad({ order: 'name sideways' }, 'query.order', 'syntax', /term 1 \('name sideways'\)/)
  bad({ order: 'name, name desc' }, 'query.order', 'syntax', /appears twice/)
  bad({ order: 'name,' }, 'query.order', 'syntax', /term 2/)
  bad({ search: "name = 'a" }, 'query.search', 'syntax', /closing quote/)
  t.equal(q.run(items, { search: '   ', limit: ' 2 ' }).items.length, 2, 'blank search means no filter')
})

t.test('5 000 items: filter + sort + page stays in the low milliseconds', async t => {
  const q = query()
  const items = makeItems(5000)
  const time = (fn: () => void) => {
    const start = process.hrtime.bigint()
    fn()
    return Number(process.hrtime.bigint() - start) / 1e6
  }
  // a fresh array each time defeats the per-snapshot memo: the honest cost of a changed cache
  const cold: number[] = []
  for (let i = 0; i < 10; i++) {
    const copy = items.slice()
    cold.push(time(() => q.run(copy, { search: "tags = 'even' or size > 3", order: 'createdAt desc, name', limit: 100 })))
  }
  cold.sort((a, b) => a - b)
  const warm = time(() => { for (let i = 0; i < 100; i++) q.run(items, { search: "tags = 'even' or size > 3", order: 'createdAt desc, name', limit: 100 }) }) / 100
  t.comment(`uncached median ${cold[5].toFixed(2)} ms, cached ${warm.toFixed(3)} ms per page`)
  t.ok(cold[5] < 40, 'uncached well under 40 ms even on a busy CI core')
  t.ok(warm < 2, 'a repeated query on an unchanged snapshot is a binary search and a slice')
  const a = q.run(items, { limit: 3 })
  t.equal(q.run(items, { limit: 3 }).items[0], a.items[0])
})
