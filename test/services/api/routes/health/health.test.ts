import t from 'tap'
import { buildTestApp } from '../../../../helpers/app.ts'

t.test('/healthz answers while dependencies are down', async t => {
  const { app } = await buildTestApp(t, { redisUrl: 'redis://127.0.0.1:1' })
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('/readyz reports every dependency by name', async t => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.equal(body.status, 'ready')
  t.same(Object.keys(body.checks).sort(), ['cache.hostedclusters', 'cache.nodepools', 'kube', 'objectStorage', 'redis'])
  for (const check of Object.values(body.checks) as Array<{ ok: boolean, latencyMs: number }>) {
    t.equal(check.ok, true)
    t.type(check.latencyMs, 'number')
  }
  t.match(body.checks.redis.detail, /^redis \d/)
  t.match(body.checks.objectStorage.detail, /bucket test-artifacts/)
})

t.test('/readyz is a 503 problem naming what is down', async t => {
  const { app, twin } = await buildTestApp(t, { redisUrl: 'redis://127.0.0.1:1' })
  await twin.s3.close()
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.match(String(res.headers['content-type']), /application\/problem\+json/)
  const body = res.json()
  t.equal(body.code, 'GW_ERR_NOT_READY')
  t.match(body.detail, /redis/)
  t.match(body.detail, /objectStorage/)
  t.notMatch(body.detail, /kube/)
  t.equal(body.checks.redis.ok, false)
  t.equal(body.checks.objectStorage.ok, false)
  t.equal(body.checks.kube.ok, true)
})
