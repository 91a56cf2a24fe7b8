// Fault injection: latency, 500s, 429s with Retry-After, deterministic through `random`.
import t from 'tap'
import { createFaults } from '../../../../services/sim/kube/faults.ts'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'

t.test('errors, throttling and latency on non-watch requests', async t => {
  const values = [0.05, 0.15, 0.5]
  let i = 0
  const server = await startKubeServer({ crdDir: null, faults: { errorRate: 0.1, throttleRate: 0.1, random: () => values[i++ % values.length] } })
  t.teardown(() => server.close())
  const get = () => fetch(`${server.url}/api/v1/namespaces`)
  const error = await get()
  t.equal(error.status, 500)
  t.match(await error.json(), { kind: 'Status', reason: 'InternalError', code: 500 })
  const throttled = await get()
  t.equal(throttled.status, 429)
  t.equal(throttled.headers.get('retry-after'), '1')
  t.match(await throttled.json(), { reason: 'TooManyRequests', details: { retryAfterSeconds: 1 }, code: 429 })
  t.equal((await get()).status, 200)
  const watch = await fetch(`${server.url}/api/v1/namespaces?watch=true&timeoutSeconds=1`)
  t.equal(watch.status, 200, 'watches are not failed by the error rates')
  await watch.body?.cancel()

  server.faults.set({ errorRate: 0, throttleRate: 0, latencyMs: 150 })
  const started = Date.now()
  t.equal((await get()).status, 200)
  t.ok(Date.now() - started >= 140, 'latency added')
  t.equal(server.faults.get().latencyMs, 150)
  t.equal((await fetch(`${server.url}/healthz`)).status, 200)
})

t.test('fault options are checked', async t => {
  t.throws(() => createFaults({ errorRate: 2 }), RangeError)
  const f = createFaults()
  t.throws(() => f.set({ latencyMs: -1 }), RangeError)
  t.equal(f.roll(), null)
})

t.test('targeted faults fail the matching requests only, as many times as asked', async t => {
  const server = await startKubeServer({ crdDir: null })
  t.teardown(() => server.close())
  const ns = (name: string) => fetch(`${server.url}/api/v1/namespaces/${name}`)
  await fetch(`${server.url}/api/v1/namespaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'a' } }) })
  const twice = server.faults.inject({ method: 'get', path: /\/namespaces\/a$/, times: 2 })
  const failed = await ns('a')
  t.equal(failed.status, 500)
  t.match(await failed.json(), { reason: 'InternalError', message: /injected fault for GET \/api\/v1\/namespaces\/a/ })
  t.equal((await ns('b')).status, 404, 'another path is not touched')
  t.equal((await ns('a')).status, 500)
  t.equal((await ns('a')).status, 200, 'let through after `times` failures')
  t.equal(twice.hits(), 2)
  const always = server.faults.inject({ path: /\/namespaces\/a$/ })
  for (let i = 0; i < 3; i++) t.equal((await ns('a')).status, 500)
  const watch = await fetch(`${server.url}/api/v1/namespaces/a?watch=true&timeoutSeconds=1`)
  t.equal(watch.status, 200, 'watches are not failed')
  await watch.body?.cancel()
  always.remove()
  t.equal((await ns('a')).status, 200, 'removed')
  t.equal(always.hits(), 3)
  t.throws(() => server.faults.inject({ path: /x/, times: 0 }), RangeError)
  server.faults.inject({ path: /^\/apis\/velero\.io\//, status: 404 })
  const unserved = await fetch(`${server.url}/apis/velero.io/v1/namespaces/x/backups`)
  t.equal(unserved.status, 404, 'a 404 rule plays a group that is not served')
  t.match(await unserved.json(), { reason: 'NotFound' })
})
