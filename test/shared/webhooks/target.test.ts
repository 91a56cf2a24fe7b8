import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkTarget, embeddedIPv4, isForbiddenAddress, parseAllowList, type Resolver } from '../../../shared/webhooks/target.ts'
import { RESPONSE_PREFIX_BYTES, send } from '../../../shared/webhooks/send.ts'
import { retryPlan, RETRY_JITTER } from '../../../shared/webhooks/queue.ts'

t.test('forbidden addresses', async t => {
  for (const a of ['127.0.0.1', '127.1.2.3', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254',
    '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd12:3456::1', 'fc00::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::10.0.0.1', 'not-an-ip']) {
    t.ok(isForbiddenAddress(a), a)
  }
  for (const a of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8']) {
    t.notOk(isForbiddenAddress(a), a)
  }
  t.equal(embeddedIPv4('::ffff:7f00:1'), '127.0.0.1')
  t.equal(embeddedIPv4('2606:4700::1111'), undefined)
})

t.test('checkTarget', async t => {
  const none = parseAllowList('')
  const dns = (table: Record<string, string[]>): Resolver => async host => {
    const found = table[host]
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
    return found.map(address => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  const resolve = dns({ 'public.example': ['93.184.215.14'], 'inside.example': ['10.0.0.7'], 'mixed.example': ['93.184.215.14', '127.0.0.1'] })
  const refused = (p: Promise<unknown>, why: RegExp) => t.rejects(p, { name: 'GatewayError', code: 'GW_ERR_WEBHOOK_TARGET_REFUSED', message: why })

  const ok = await checkTarget('https://public.example:8443/x?y=1', { allowHttp: false, allowList: none, resolve })
  t.equal(ok.address, '93.184.215.14')
  t.equal(ok.host, 'public.example')
  await refused(checkTarget('http://public.example/x', { allowHttp: false, allowList: none, resolve }), /scheme must be https/)
  await refused(checkTarget('https://inside.example/x', { allowHttp: false, allowList: none, resolve }), /resolves to 10\.0\.0\.7/)
  await refused(checkTarget('https://mixed.example/x', { allowHttp: false, allowList: none, resolve }), /127\.0\.0\.1/)
  await refused(checkTarget('https://nowhere.example/x', { allowHttp: false, allowList: none, resolve }), /does not resolve/)
  // the real resolver: localhost is loopback whichever family it answers with
  await refused(checkTarget('http://localhost:9/x', { allowHttp: true, allowList: none }), /loopback/)

  const allow = parseAllowList(' 10.0.0.0/8, inside.example ,*.corp.example, 127.0.0.1')
  t.equal((await checkTarget('https://inside.example/x', { allowHttp: false, allowList: allow, resolve })).address, '10.0.0.7')
  t.equal((await checkTarget('https://10.9.9.9/x', { allowHttp: false, allowList: allow })).address, '10.9.9.9')
  t.equal((await checkTarget('http://127.0.0.1:9/x', { allowHttp: true, allowList: allow })).address, '127.0.0.1')
  t.ok(await checkTarget('https://hooks.corp.example/x', { allowHttp: false, allowList: allow, resolve: dns({ 'hooks.corp.example': ['192.168.1.1'] }) }))
  await refused(checkTarget('https://169.254.169.254/x', { allowHttp: false, allowList: allow }), /169\.254\.169\.254/)
  await refused(checkTarget('http://[::1]:9/x', { allowHttp: true, allowList: allow }), /::1/)
})

t.test('send connects to the checked address, not to a fresh DNS answer', async t => {
  let seenHost: string | undefined
  const server = createServer((req, res) => {
    seenHost = req.headers.host
    if (req.url === '/slow') return
    res.end('y'.repeat(10_000))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const port = (server.address() as AddressInfo).port
  // 'rebind.invalid' cannot resolve at all: only the pinned lookup can reach the server.
  const target = { url: new URL(`http://rebind.invalid:${port}/hook`), host: 'rebind.invalid', address: '127.0.0.1', family: 4 as const }
  const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`
  const res = await send(target, { id: 'evt_1', body: '{}', secret }, 2000)
  t.equal(res.ok, true)
  t.equal(res.statusCode, 200)
  t.equal(seenHost, `rebind.invalid:${port}`)
  t.equal(res.responseBody?.length, RESPONSE_PREFIX_BYTES)

  const slow = await send({ ...target, url: new URL(`http://rebind.invalid:${port}/slow`) }, { id: 'evt_2', body: '{}', secret }, 200)
  t.equal(slow.ok, false)
  t.equal(slow.error, 'no answer within 200 ms')
  t.ok(slow.latencyMs >= 150 && slow.latencyMs < 2000)
})

t.test('the retry plan covers the configured period', async t => {
  for (const [hours, base] of [[24, 20000], [1, 1000], [0.0003, 30]]) {
    const plan = retryPlan({ WEBHOOK_RETRY_HOURS: hours, WEBHOOK_RETRY_BASE_MS: base })
    let shortest = 0
    for (let n = 1; n < plan.attempts; n++) shortest += base * 2 ** (n - 1) * (1 - RETRY_JITTER)
    t.ok(shortest >= plan.periodMs, `${hours} h from ${base} ms: ${plan.attempts} attempts`)
    t.equal(plan.backoff.type, 'exponential')
    t.equal(plan.backoff.jitter, RETRY_JITTER)
  }
  t.equal(retryPlan({ WEBHOOK_RETRY_HOURS: 24, WEBHOOK_RETRY_BASE_MS: 20000 }).attempts, 14)
})
