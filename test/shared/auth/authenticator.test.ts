import t from 'tap'
import { generateApiKey, hashApiKey } from '../../../shared/auth/api-keys.ts'
import { createAuthenticator, tokenFromHeaders } from '../../../shared/auth/authenticator.ts'

t.test('authenticate maps a key to its principal and rejects everything else', async t => {
  const admin = generateApiKey()
  const tenant = generateApiKey()
  const auth = createAuthenticator([
    { name: 'root', hash: hashApiKey(admin), role: 'admin' },
    { name: 'team-a', hash: hashApiKey(tenant), role: 'operator', tenant: { namespaces: ['team-a'] } }
  ])
  t.equal(auth.size, 2)
  t.same(auth.authenticate(admin), { name: 'root', role: 'admin' })
  t.same(auth.authenticate(tenant), { name: 'team-a', role: 'operator', tenant: { namespaces: ['team-a'] } })
  for (const bad of [null, undefined, '', admin + 'x', admin.slice(0, -1), hashApiKey(admin), 'x'.repeat(10_000)]) {
    t.equal(auth.authenticate(bad), null, String(bad).slice(0, 20))
  }
  const p = auth.authenticate(tenant)!
  t.throws(() => { (p.tenant!.namespaces as string[]).push('team-b') }, 'principals are immutable')
})

t.test('tokens come from a Bearer Authorization or X-API-Key header', async t => {
  t.equal(tokenFromHeaders({ authorization: 'Bearer abc' }), 'abc')
  t.equal(tokenFromHeaders({ authorization: 'bearer   abc ' }), 'abc', 'scheme is case-insensitive')
  t.equal(tokenFromHeaders({ authorization: 'Basic abc' }), null)
  t.equal(tokenFromHeaders({ authorization: 'Bearer a b' }), null)
  t.equal(tokenFromHeaders({ 'x-api-key': 'abc' }), 'abc')
  t.equal(tokenFromHeaders({ authorization: 'Basic abc', 'x-api-key': 'abc' }), null, 'a wrong Authorization is not silently ignored')
  t.equal(tokenFromHeaders({}), null)
})
