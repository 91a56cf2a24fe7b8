import t, { type Test } from 'tap'
import { Type } from 'typebox'
import { buildTestApp } from '../../../../helpers/app.ts'

function assertProblem (t: Test, res: { statusCode: number, headers: Record<string, unknown>, json: () => any }, status: number, code: string) {
  t.equal(res.statusCode, status)
  t.match(String(res.headers['content-type']), /^application\/problem\+json/)
  const body = res.json()
  t.equal(body.status, status)
  t.equal(body.code, code)
  t.equal(body.type, `/problems/${code}`)
  t.type(body.title, 'string')
  t.type(body.detail, 'string')
  t.type(body.requestId, 'string')
  return body
}

t.test('unknown routes answer problem+json with a stable code', async t => {
  const { app, as } = await buildTestApp(t)
  for (const [method, url] of [['GET', '/nope'], ['POST', '/api/v1/whatever?x=1'], ['DELETE', '/healthz']] as const) {
    const res = await app.inject({ method, url, headers: as.viewer })
    const body = assertProblem(t, res, 404, 'GW_ERR_ROUTE_NOT_FOUND')
    t.equal(body.instance, url.split('?')[0])
  }
})

t.test('malformed and invalid requests are 4xx problem+json, never 5xx', async t => {
  // A probe route with a strict schema, registered the way every real route is.
  const { app, as } = await buildTestApp(t, {
    extend: app => app.post('/probe/:id', {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[a-z]+$' }) }),
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
        body: Type.Object({ name: Type.String({ minLength: 1 }), replicas: Type.Integer(), mode: Type.Enum(['a', 'b']) }, { additionalProperties: false })
      }
    }, async () => ({ ok: true }))
  })

  const bad = await app.inject({ method: 'POST', url: '/probe/abc', headers: { ...as.operator, 'content-type': 'application/json' }, payload: '{"name": ' })
  assertProblem(t, bad, 400, 'GW_ERR_MALFORMED_BODY')

  const empty = await app.inject({ method: 'POST', url: '/probe/abc', headers: { ...as.operator, 'content-type': 'application/json' }, payload: '' })
  assertProblem(t, empty, 400, 'GW_ERR_MALFORMED_BODY')

  const media = await app.inject({ method: 'POST', url: '/probe/abc', headers: { ...as.operator, 'content-type': 'text/csv' }, payload: 'a,b' })
  assertProblem(t, media, 415, 'GW_ERR_UNSUPPORTED_MEDIA_TYPE')

  const invalid = await app.inject({ method: 'POST', url: '/probe/abc', headers: as.operator, payload: { name: '', replicas: '3', mode: 'c', extra: 1 } })
  const body = assertProblem(t, invalid, 400, 'GW_ERR_VALIDATION')
  const fields = body.errors.map((e: { field: string }) => e.field).sort()
  t.same(fields, ['body.extra', 'body.mode', 'body.name', 'body.replicas'], 'strict bodies: no coercion, unknown fields named')
  t.match(body.errors.find((e: { field: string }) => e.field === 'body.mode').message, /must be one of "a", "b"/)

  const missing = await app.inject({ method: 'POST', url: '/probe/abc', headers: as.operator, payload: { replicas: 1, mode: 'a' } })
  t.same(assertProblem(t, missing, 400, 'GW_ERR_VALIDATION').errors, [{ field: 'body.name', message: "must have required property 'name'", constraint: 'required' }])

  const query = await app.inject({ method: 'POST', url: '/probe/abc?limit=1000', headers: as.operator, payload: { name: 'x', replicas: 1, mode: 'a' } })
  t.equal(assertProblem(t, query, 400, 'GW_ERR_VALIDATION').errors[0].field, 'query.limit')

  const params = await app.inject({ method: 'POST', url: '/probe/ABC', headers: as.operator, payload: { name: 'x', replicas: 1, mode: 'a' } })
  t.equal(assertProblem(t, params, 400, 'GW_ERR_VALIDATION').errors[0].field, 'path.id')

  const big = await app.inject({ method: 'POST', url: '/probe/abc', headers: as.operator, payload: { name: 'x'.repeat(2 * 1024 * 1024), replicas: 1, mode: 'a' } })
  assertProblem(t, big, 413, 'GW_ERR_PAYLOAD_TOO_LARGE')

  const ok = await app.inject({ method: 'POST', url: '/probe/abc?limit=5', headers: as.operator, payload: { name: 'x', replicas: 1, mode: 'a' } })
  t.equal(ok.statusCode, 200)
})

t.test('internal errors hide their details but keep the request id', async t => {
  const { app, as } = await buildTestApp(t, {
    extend: app => app.get('/boom', async () => { throw new Error('secret database password in message') })
  })
  const res = await app.inject({ method: 'GET', url: '/boom', headers: { ...as.viewer, 'x-request-id': 'trace-123' } })
  const body = assertProblem(t, res, 500, 'GW_ERR_INTERNAL')
  t.equal(body.detail, 'Internal error')
  t.equal(body.requestId, 'trace-123')
  t.equal(res.headers['x-request-id'], 'trace-123')
})

t.test('error codes are listed and resolvable', async t => {
  const { app } = await buildTestApp(t)
  const list = await app.inject({ method: 'GET', url: '/problems' })
  t.ok(list.json().some((e: { code: string }) => e.code === 'GW_ERR_VALIDATION'))
  const one = await app.inject({ method: 'GET', url: '/problems/GW_ERR_CONFLICT' })
  t.same(one.json(), { code: 'GW_ERR_CONFLICT', status: 409, title: 'Conflict with the current state of the resource' })
  assertProblem(t, await app.inject({ method: 'GET', url: '/problems/GW_ERR_NOPE' }), 404, 'GW_ERR_NOT_FOUND')
})
