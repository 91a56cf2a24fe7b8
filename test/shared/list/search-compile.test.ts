import t from 'tap'
import { compileSearch, type FieldMap } from '../../../shared/list/search-compile.ts'
import { parseSearch } from '../../../shared/list/search-parser.ts'

interface Item { name: string, zones?: string[], labels: Record<string, string>, size?: string }

const fields: FieldMap<Item> = {
  name: i => i.name,
  zones: i => i.zones,
  size: i => i.size,
  'labels.*': (i, key) => i.labels[key]
}

const items: Item[] = [
  { name: 'prod-a', zones: ['us-east-1a', 'us-east-1b'], labels: { env: 'prod' }, size: '10' },
  { name: 'prod-B', zones: [], labels: { env: 'prod', tier: 'gold' }, size: '9' },
  { name: 'dev_1', labels: {}, size: '100' },
  { name: 'x%y', labels: { env: 'dev' } }
]

const names = (search: string) => items.filter(compileSearch(parseSearch(search), fields)).map(i => i.name)

t.test('matching rules', async t => {
  t.same(names("name = 'prod-a'"), ['prod-a'])
  t.same(names("name like 'prod-%'"), ['prod-a', 'prod-B'])
  t.same(names("name like 'PROD-%'"), [], 'like is case-sensitive')
  t.same(names("name ilike 'PROD-%'"), ['prod-a', 'prod-B'])
  t.same(names("name like 'dev__'"), ['dev_1'], '_ is one character')
  t.same(names("name like 'x%y'"), ['x%y'])
  t.same(names("name like 'prod.a'"), [], 'regex metacharacters are literal')
  t.same(names("name not like 'prod%'"), ['dev_1', 'x%y'])
  t.same(names("name not ilike 'PROD%'"), ['dev_1', 'x%y'])
  t.same(names("zones = 'us-east-1b'"), ['prod-a'], 'a list matches when any element does')
  t.same(names("zones != 'us-east-1b'"), ['prod-B', 'dev_1', 'x%y'])
  t.same(names('zones is null'), ['prod-B', 'dev_1', 'x%y'], 'missing and empty lists are null')
  t.same(names('zones is not null'), ['prod-a'])
  t.same(names("labels.env in ('prod', 'qa')"), ['prod-a', 'prod-B'])
  t.same(names("labels.env not in ('prod')"), ['dev_1', 'x%y'], 'not in is true for a missing value')
  t.same(names("labels.env != 'prod'"), ['dev_1', 'x%y'])
  t.same(names("labels.tier = 'gold' or labels.env = 'dev'"), ['prod-B', 'x%y'])
  t.same(names("not labels.env = 'prod'"), ['dev_1', 'x%y'])
  t.same(names("labels.env = 'prod' and not (name = 'prod-a')"), ['prod-B'])
  t.same(names('size > 9'), ['prod-a', 'dev_1'], 'numbers compare numerically')
  t.same(names('size >= 10'), ['prod-a', 'dev_1'])
  t.same(names('size < 10'), ['prod-B'])
  t.same(names('size <= 10'), ['prod-a', 'prod-B'])
  t.same(names("name > 'prod-a'"), ['x%y'], 'strings compare by code unit (B < a)')
})

t.test('unknown fields list the searchable ones', async t => {
  t.throws(() => names("nope = 'x'"), {
    code: 'GW_ERR_VALIDATION',
    errors: [{ field: 'query.search', constraint: 'enum', message: "unknown field 'nope' at position 0; searchable fields: name, zones, size, labels.<key>" }]
  })
  t.throws(() => names("labels. = 'x'"), { errors: [{ constraint: 'enum' }] }, 'a prefix needs a key')
  t.throws(() => names("name = 'x' or toString = 'y'"), { errors: [{ message: /unknown field 'toString' at position 14/ }] }, 'inherited keys are not fields')
})
