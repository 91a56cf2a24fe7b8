import { randomBytes } from 'node:crypto'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { GatewayError } from '../../../../../shared/errors.ts'
import { generateApiKey, hashApiKey } from '../../../../../shared/auth/api-keys.ts'
import { canonicalJson, parseIdempotencyKey, requestFingerprint } from '../../../../../services/api/plugins/app/idempotency.ts'
import { buildTestApp } from '../../../../helpers/app.ts'

const PREFIX = `hcpgw-test-idem-${process.pid}-${randomBytes(4).toString('hex')}`
const alice = generateApiKey()
const bob = generateApiKey()
const API_KEYS = JSON.stringify([
  { name: 'alice', hash: hashApiKey(alice), role: 'operator' },
  { name: 'bob', hash: hashApiKey(bob), role: 'operator' }
])

interface Probe {
  calls: number
  gate: Promise<void> | null
  failNext: 'server' | 'client' | null
}

async function build (t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) {
  const probe: Probe = { calls: 0, gate: null, failNext: null }
  const allEnv = { API_KEYS, QUEUE_PREFIX: PREFIX, ...env }
  const { app } = await buildTestApp(t, {
    env: allEnv,
    extend: app => {
      app.register(async app => {
        app.post('/api/v1/namespaces/:ns/things', { config: { idempotent: true } }, async (request, reply) => {
          const n = ++probe.calls
          if (probe.gate) await probe.gate
          const fail = probe.failNext
          probe.failNext = null
          if (fail === 'server') throw new Error('backend exploded')
          if (fail === 'client') throw new GatewayError('GW_ERR_VALIDATION', 'body.name is taken', { errors: [{ field: 'body.name', message: 'is taken' }] })
          const { ns } = request.params as { ns: string }
          reply.code(201).header('location', `/api/v1/namespaces/${ns}/things/${n}`).header('etag', `"${n}"`)
          return { n, body: request.body }
        })
        app.post('/api/v1/plain', async () => ({ n: ++probe.calls }))
      })
    }
  })
  t.teardown(async () => {
    const keys = await app.redis.keys(`${PREFIX}:idem:*`)
    if (keys.length > 0) await app.redis.del(...keys)
  })
  return { app, probe }
}

function post (app: FastifyInstance, payload: unknown, opts: { key?: string, who?: string, url?: string } = {}) {
  return app.inject({
    method: 'POST',
    url: opts.url ?? '/api/v1/namespaces/team-a/things',
    headers: { authorization: `Bearer ${opts.who ?? alice}`, ...(opts.key !== undefined ? { 'idempotency-key': opts.key } : {}) },
    payload: payload as object
  })
}

t.test('header parsing and fingerprints', async t => {
  t.equal(parseIdempotencyKey(undefined), null)
  t.equal(parseIdempotencyKey('abc-123'), 'abc-123')
  t.equal(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"'), '8e03978e-40d5-43e8-bc93-6894a57f9324', 'structured-field string')
  t.equal(parseIdempotencyKey('x'.repeat(255)), 'x'.repeat(255))
  for (const bad of ['', '""', 'x'.repeat(256), 'caf\u00e9', 'a"b', ['a', 'b']]) {
    t.equal((t.throws(() => parseIdempotencyKey(bad)) as GatewayError).code, 'GW_ERR_BAD_REQUEST', JSON.stringify(bad))
  }
  t.equal(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null, u: undefined }), '{"a":null,"b":[1,{"c":2,"d":1}]}')
  const base = { body: { a: 1, b: 2 }, params: { ns: 'x' }, query: {} }
  t.equal(requestFingerprint(base), requestFingerprint({ ...base, body: { b: 2, a: 1 } }), 'key order does not matter')
  t.not(requestFingerprint(base), requestFingerprint({ ...base, params: { ns: 'y' } }))
  t.not(requestFingerprint(base), requestFingerprint({ ...base, query: { dryRun: 'true' } }))
})

t.test('a completed request is replayed, not run again', async t => {
  const { app, probe } = await build(t)
  const first = await post(app, { name: 'one', size: 3 }, { key: 'k-1' })
  t.equal(first.statusCode, 201)
  t.equal(first.headers['idempotency-replayed'], undefined)

  const again = await post(app, { size: 3, name: 'one' }, { key: 'k-1' })
  t.equal(probe.calls, 1, 'the handler ran once')
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotency-replayed'], 'true')
  t.equal(again.headers.location, first.headers.location)
  t.equal(again.headers.etag, first.headers.etag)
  t.match(again.headers['content-type'], /^application\/json/)
  t.equal(again.body, first.body)
  t.not(again.headers['x-request-id'], first.headers['x-request-id'], 'the replay is still a new exchange')

  const ttl = await app.redis.ttl((await app.redis.keys(`${PREFIX}:idem:*`))[0])
  t.ok(ttl > 86000 && ttl <= 86400, `stored for IDEMPOTENCY_TTL_SECONDS (ttl ${ttl})`)

  t.equal((await post(app, { name: 'one', size: 3 }, { key: 'k-1', who: bob })).statusCode, 201, 'keys are scoped per caller')
  t.equal(probe.calls, 2)
  t.equal((await post(app, { name: 'one', size: 3 }, { key: 'k-2' })).statusCode, 201, 'a new key is a new request')
  t.equal(probe.calls, 3)
  t.equal((await post(app, { name: 'one', size: 3 })).statusCode, 201, 'no key, no idempotency')
  t.equal(probe.calls, 4)
})

t.test('the same key with another request is 422; a bad key is 400', async t => {
  const { app, probe } = await build(t)
  await post(app, { name: 'one' }, { key: 'k' })
  const other = await post(app, { name: 'two' }, { key: 'k' })
  t.equal(other.statusCode, 422)
  t.equal(other.json().code, 'GW_ERR_UNPROCESSABLE')
  t.equal(other.json().idempotencyKey, 'k')
  const otherPath = await post(app, { name: 'one' }, { key: 'k', url: '/api/v1/namespaces/team-b/things' })
  t.equal(otherPath.statusCode, 422, 'path parameters are part of the fingerprint')
  t.equal(probe.calls, 1)

  const bad = await post(app, { name: 'one' }, { key: 'x'.repeat(300) })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().errors[0].field, 'header.idempotency-key')
  t.equal(probe.calls, 1)

  const ignored = await app.inject({ method: 'POST', url: '/api/v1/plain', headers: { authorization: `Bearer ${alice}`, 'idempotency-key': 'k' }, payload: {} })
  t.equal(ignored.statusCode, 200, 'routes without config.idempotent ignore the header')
})

t.test('4xx answers are stored, 5xx answers release the key', async t => {
  const { app, probe } = await build(t)
  probe.failNext = 'client'
  const rejected = await post(app, { name: 'taken' }, { key: 'c' })
  t.equal(rejected.statusCode, 400)
  const rejectedAgain = await post(app, { name: 'taken' }, { key: 'c' })
  t.equal(rejectedAgain.statusCode, 400)
  t.equal(rejectedAgain.headers['idempotency-replayed'], 'true')
  t.match(rejectedAgain.headers['content-type'], /^application\/problem\+json/)
  t.same(rejectedAgain.json().errors, [{ field: 'body.name', message: 'is taken' }])
  t.equal(probe.calls, 1)

  probe.failNext = 'server'
  t.equal((await post(app, { name: 'x' }, { key: 's' })).statusCode, 500)
  const retried = await post(app, { name: 'x' }, { key: 's' })
  t.equal(retried.statusCode, 201, 'the retry ran')
  t.equal(retried.headers['idempotency-replayed'], undefined)
  t.equal(probe.calls, 3)
})

t.test('a key in flight answers 409; a dead replica\'s marker expires', async t => {
  const { app, probe } = await build(t, { IDEMPOTENCY_LOCK_MS: '1000' })
  let release!: () => void
  probe.gate = new Promise(resolve => { release = resolve })
  const slow = post(app, { name: 'slow' }, { key: 'f' })
  while (probe.calls === 0) await new Promise(resolve => setTimeout(resolve, 5))

  const busy = await post(app, { name: 'slow' }, { key: 'f' })
  t.equal(busy.statusCode, 409)
  t.equal(busy.json().code, 'GW_ERR_CONFLICT')
  t.equal(busy.headers['retry-after'], '1')
  const pttl = await app.redis.pttl((await app.redis.keys(`${PREFIX}:idem:*`))[0])
  t.ok(pttl > 0 && pttl <= 1000, `in-flight markers expire (pttl ${pttl})`)

  // The first request outlives its marker, as a crashed replica would; the retry takes over.
  await new Promise(resolve => setTimeout(resolve, 1100))
  probe.gate = null
  const takeover = await post(app, { name: 'slow' }, { key: 'f' })
  t.equal(takeover.statusCode, 201)
  t.equal(takeover.json().n, 2)
  release()
  t.equal((await slow).json().n, 1)

  const replay = await post(app, { name: 'slow' }, { key: 'f' })
  t.equal(replay.headers['idempotency-replayed'], 'true')
  t.equal(replay.json().n, 2, 'the late first request did not overwrite the stored answer')
})
