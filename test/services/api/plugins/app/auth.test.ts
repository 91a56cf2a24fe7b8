import t from 'tap'
import { generateApiKey, hashApiKey } from '../../../../../shared/auth/api-keys.ts'
import { canSeeNamespace } from '../../../../../shared/auth/principal.ts'
import { GatewayError } from '../../../../../shared/errors.ts'
import { buildTestApp } from '../../../../helpers/app.ts'

const keys = { viewer: generateApiKey(), operator: generateApiKey(), admin: generateApiKey(), tenant: generateApiKey() }
const env = {
  API_KEYS: JSON.stringify([
    { name: 'view', hash: hashApiKey(keys.viewer), role: 'viewer' },
    { name: 'ops', hash: hashApiKey(keys.operator), role: 'operator' },
    { name: 'root', hash: hashApiKey(keys.admin), role: 'admin' },
    { name: 'team-a', hash: hashApiKey(keys.tenant), role: 'operator', tenant: { namespaces: ['team-a'] } }
  ])
}
const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

async function build (t: Parameters<typeof buildTestApp>[0], extraEnv: Record<string, string> = {}) {
  return buildTestApp(t, {
    env: { ...env, ...extraEnv },
    extend: app => {
      app.register(async app => {
        app.get('/api/v1/open', { config: { public: true } }, async request => ({ principal: request.principal }))
        app.get('/api/v1/who', async request => ({ principal: request.principal }))
        app.post('/api/v1/things', async () => ({ created: true }))
        app.post('/api/v1/calc', { config: { role: 'viewer' } }, async () => ({ calculated: true }))
        app.get('/api/v1/secret', { config: { role: 'admin' } }, async () => ({ secret: 's3cr3t' }))
        app.get('/api/v1/ns/:ns', async request => {
          const { ns } = request.params as { ns: string }
          if (!canSeeNamespace(request.principal, ns)) throw new GatewayError('GW_ERR_NOT_FOUND', `namespace ${ns} not found`)
          return { ns }
        })
        app.get('/docs/extra', async () => ({ docs: true }))
      })
    }
  })
}

t.test('missing or invalid keys get 401 problem+json with a Bearer challenge', async t => {
  const { app } = await build(t)
  const missing = await app.inject({ method: 'GET', url: '/api/v1/who' })
  t.equal(missing.statusCode, 401)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="hcp-gateway"')
  t.equal(missing.json().code, 'GW_ERR_UNAUTHENTICATED')

  const wrong = await app.inject({ method: 'GET', url: '/api/v1/who', headers: bearer(generateApiKey()) })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.headers['www-authenticate'], 'Bearer realm="hcp-gateway", error="invalid_token"')
  t.equal(wrong.json().detail, 'the API key is not valid')

  const basic = await app.inject({ method: 'GET', url: '/api/v1/who', headers: { authorization: 'Basic dXNlcjpwYXNz' } })
  t.equal(basic.statusCode, 401)
})

t.test('a valid key sets request.principal, by Authorization or X-API-Key', async t => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/api/v1/who', headers: bearer(keys.viewer) })
  t.equal(res.statusCode, 200)
  t.same(res.json().principal, { name: 'view', role: 'viewer' })
  const viaHeader = await app.inject({ method: 'GET', url: '/api/v1/who', headers: { 'x-api-key': keys.tenant } })
  t.same(viaHeader.json().principal, { name: 'team-a', role: 'operator', tenant: { namespaces: ['team-a'] } })
})

t.test('public routes need no key; existing public prefixes too', async t => {
  const { app } = await build(t)
  const open = await app.inject({ method: 'GET', url: '/api/v1/open' })
  t.equal(open.statusCode, 200)
  t.same(open.json(), { principal: null })
  t.equal((await app.inject({ method: 'GET', url: '/docs/extra' })).statusCode, 200, '/docs is public by prefix')
  t.equal((await app.inject({ method: 'GET', url: '/docs' })).statusCode < 400, true, 'swagger-ui itself')
})

t.test('roles: mutations default to operator, route config raises or lowers it', async t => {
  const { app } = await build(t)
  const viewerPost = await app.inject({ method: 'POST', url: '/api/v1/things', headers: bearer(keys.viewer), payload: {} })
  t.equal(viewerPost.statusCode, 403)
  t.equal(viewerPost.json().code, 'GW_ERR_FORBIDDEN')
  t.equal(viewerPost.json().requiredRole, 'operator')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/things', headers: bearer(keys.operator), payload: {} })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/calc', headers: bearer(keys.viewer), payload: {} })).statusCode, 200)

  t.equal((await app.inject({ method: 'GET', url: '/api/v1/secret', headers: bearer(keys.operator) })).statusCode, 403)
  const secret = await app.inject({ method: 'GET', url: '/api/v1/secret', headers: bearer(keys.admin) })
  t.same(secret.json(), { secret: 's3cr3t' })
})

t.test('tenant keys get 404 outside their namespaces', async t => {
  const { app } = await build(t)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/ns/team-a', headers: bearer(keys.tenant) })).statusCode, 200)
  const other = await app.inject({ method: 'GET', url: '/api/v1/ns/team-b', headers: bearer(keys.tenant) })
  t.equal(other.statusCode, 404)
  t.equal(other.json().code, 'GW_ERR_NOT_FOUND')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/ns/team-b', headers: bearer(keys.admin) })).statusCode, 200)
})

t.test('unknown routes: 401 under /api/ for anonymous callers, 404 otherwise', async t => {
  const { app } = await build(t)
  const anon = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' })
  t.equal(anon.statusCode, 401)
  t.equal(anon.headers['www-authenticate'], 'Bearer realm="hcp-gateway"')
  const badKey = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: bearer('hcpgw_wrong') })
  t.equal(badKey.statusCode, 401)
  t.match(badKey.headers['www-authenticate'], /error="invalid_token"/)
  const known = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: bearer(keys.viewer) })
  t.equal(known.statusCode, 404)
  t.equal(known.json().code, 'GW_ERR_ROUTE_NOT_FOUND')
  const outside = await app.inject({ method: 'GET', url: '/nope' })
  t.equal(outside.statusCode, 404)
  t.equal(outside.json().code, 'GW_ERR_ROUTE_NOT_FOUND')
})

t.test('a demo admin key is exposed once when no admin key is configured', async t => {
  const { app } = await build(t, { API_KEYS: '[]' })
  const demo = app.auth.demoKey
  t.match(demo, /^hcpgw_[0-9A-Za-z]{32}$/)
  const res = await app.inject({ method: 'GET', url: '/api/v1/secret', headers: bearer(demo!) })
  t.equal(res.statusCode, 200)
  t.same(app.auth.authenticate(demo), { name: 'demo-admin', role: 'admin' }, 'usable outside HTTP (GraphQL)')

  const { app: configured } = await build(t)
  t.equal(configured.auth.demoKey, null)
})

t.test('a malformed API_KEYS stops the app at start, naming the variable', async t => {
  await t.rejects(buildTestApp(t, { env: { API_KEYS: '[{"name":"x"}]' } }), /API_KEYS \/0 must have required properties/)
})
