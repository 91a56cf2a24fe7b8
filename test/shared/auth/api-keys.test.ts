import t from 'tap'
import { ConfigError } from '../../../shared/config.ts'
import {
  API_KEY_PATTERN, DEMO_KEY_NAME, generateApiKey, hashApiKey, parseApiKeys, resolveApiKeys
} from '../../../shared/auth/api-keys.ts'

const HASH = hashApiKey('hcpgw_0123456789abcdefghijABCDEFGHIJ')

t.test('generated keys have the documented format and are distinct', async t => {
  const keys = new Set(Array.from({ length: 50 }, generateApiKey))
  t.equal(keys.size, 50)
  for (const key of keys) t.match(key, API_KEY_PATTERN)
})

t.test('hashApiKey is sha256 in lower-case hex with a scheme prefix', async t => {
  t.equal(hashApiKey('abc'), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
})

t.test('parseApiKeys accepts valid records', async t => {
  const keys = parseApiKeys(JSON.stringify([
    { name: 'ci', hash: HASH, role: 'operator' },
    { name: 'team-a', hash: HASH, role: 'viewer', tenant: { namespaces: ['team-a', 'shared'] } }
  ]))
  t.equal(keys.length, 2)
  t.same(keys[1].tenant, { namespaces: ['team-a', 'shared'] })
  t.same(parseApiKeys(''), [], 'empty means no keys')
})

t.test('parseApiKeys errors name API_KEYS and the entry', async t => {
  const cases: Array<[string, RegExp]> = [
    ['{not json', /^invalid configuration: API_KEYS is not valid JSON/],
    ['{}', /API_KEYS \/ must be array/],
    [JSON.stringify([{ name: 'x', hash: 'md5:abc', role: 'viewer' }]), /API_KEYS \/0\/hash must match pattern/],
    [JSON.stringify([{ name: 'x', hash: HASH, role: 'root' }]), /API_KEYS \/0\/role/],
    [JSON.stringify([{ name: 'x', hash: HASH, role: 'admin', key: 'plain' }]), /additional properties \(key\)/],
    [JSON.stringify([{ name: 'x', hash: HASH, role: 'admin', tenant: { namespaces: [] } }]), /\/0\/tenant\/namespaces/],
    [JSON.stringify([{ name: 'x', hash: HASH, role: 'admin' }, { name: 'x', hash: HASH, role: 'viewer' }]), /\/1\/name "x" is used by more than one key/]
  ]
  for (const [text, message] of cases) {
    const err = t.throws(() => parseApiKeys(text)) as Error
    t.type(err, ConfigError)
    t.match(err.message, message, text)
    t.notMatch(err.message, /\n/)
  }
})

t.test('a demo admin key is generated only when needed and allowed', async t => {
  const none = resolveApiKeys({ API_KEYS: '[]', NODE_ENV: 'development' })
  t.match(none.demoKey, API_KEY_PATTERN)
  t.same(none.keys, [{ name: DEMO_KEY_NAME, hash: hashApiKey(none.demoKey!), role: 'admin' }], 'only the hash is kept')

  const viewerOnly = resolveApiKeys({ API_KEYS: JSON.stringify([{ name: 'v', hash: HASH, role: 'viewer' }]), NODE_ENV: 'test' })
  t.ok(viewerOnly.demoKey, 'no admin configured yet')
  t.equal(viewerOnly.keys.length, 2)

  const withAdmin = resolveApiKeys({ API_KEYS: JSON.stringify([{ name: 'a', hash: HASH, role: 'admin' }]), NODE_ENV: 'development' })
  t.equal(withAdmin.demoKey, null)
  t.equal(withAdmin.keys.length, 1)

  t.equal(resolveApiKeys({ API_KEYS: '[]', NODE_ENV: 'production' }).demoKey, null, 'off by default in production')
  t.ok(resolveApiKeys({ API_KEYS: '[]', NODE_ENV: 'production', AUTH_DEMO_KEY: true }).demoKey, 'explicitly on')
  t.equal(resolveApiKeys({ API_KEYS: '[]', NODE_ENV: 'development', AUTH_DEMO_KEY: false }).demoKey, null, 'explicitly off')

  t.throws(() => resolveApiKeys({ API_KEYS: JSON.stringify([{ name: DEMO_KEY_NAME, hash: HASH, role: 'viewer' }]), NODE_ENV: 'test' }),
    /reserved for the generated demo key/)
})
