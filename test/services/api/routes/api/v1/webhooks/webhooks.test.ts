import t from 'tap'
import { CoreV1Api } from '@kubernetes/client-node'
import { buildTestApp } from '../../../../../../helpers/app.ts'
import { dropPrefix } from '../../../../../../helpers/jobs.ts'

t.test('webhook subscriptions', async t => {
  // http allowed (no TLS receiver in tests), but no allow-list: loopback and private targets are refused.
  const a = await buildTestApp(t, { env: { WEBHOOK_ALLOW_HTTP: 'true', GATEWAY_NAMESPACE: 'gw-hooks' } })
  const { app, as } = a
  const create = (payload: object, headers = as.operator) => app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload })
  // A public address: nothing listens there, but it passes the SSRF check without DNS.
  const target = 'https://93.184.215.14/hooks'

  t.test('create shows the secret once; reads never do', async t => {
    const res = await create({ url: target, events: ['job.succeeded', 'cluster.ready'], description: 'ci' })
    t.equal(res.statusCode, 201)
    const created = res.json()
    t.match(created.id, /^[a-f0-9]{20}$/)
    t.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/)
    t.ok(Buffer.from(created.secret.slice(6), 'base64').length >= 24)
    t.equal(res.headers.location, `/api/v1/webhooks/${created.id}`)
    t.equal(created.createdBy, 'test-operator')
    t.notOk('namespaces' in created, 'an unlimited key subscribes to every namespace')

    const one = await app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.id}`, headers: as.viewer })
    t.equal(one.statusCode, 200)
    t.notOk('secret' in one.json())
    t.equal(one.json().url, target)
    const list = await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: as.viewer })
    t.ok(list.json().items.some((w: { id: string }) => w.id === created.id))
    t.notOk(list.body.includes(created.secret.slice(6)), 'the secret appears in no list')

    // stored as a labelled Secret in the gateway namespace, created on demand
    const secret = await a.twin.kubeConfig.makeApiClient(CoreV1Api).readNamespacedSecret({ namespace: 'gw-hooks', name: `webhook-${created.id}` })
    t.equal(secret.metadata?.labels?.['hcp-gateway.io/webhook'], 'true')
    t.equal(Buffer.from(secret.data!.secret, 'base64').toString(), created.secret)
  })

  t.test('roles: viewers read, operators write', async t => {
    t.equal((await create({ url: target, events: ['job.failed'] }, as.viewer)).statusCode, 403)
    t.equal((await app.inject({ method: 'GET', url: '/api/v1/webhooks' })).statusCode, 401)
    const { id } = (await create({ url: target, events: ['job.failed'] })).json()
    t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: as.viewer })).statusCode, 403)
    t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: as.operator })).statusCode, 204)
    t.equal((await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: as.viewer })).statusCode, 404)
    t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: as.operator })).statusCode, 404)
    t.equal((await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers: as.viewer })).statusCode, 404)
  })

  t.test('tenant keys see and create only subscriptions within their namespaces', async t => {
    const global = (await create({ url: target, events: ['job.succeeded'] })).json()
    const other = (await create({ url: target, events: ['job.succeeded'], namespaces: ['team-b'] })).json()
    const mine = await create({ url: target, events: ['job.succeeded'] }, as.tenant)
    t.equal(mine.statusCode, 201)
    t.same(mine.json().namespaces, ['team-a'])
    t.equal((await create({ url: target, events: ['job.succeeded'], namespaces: ['team-a', 'team-b'] }, as.tenant)).statusCode, 403)

    const list = (await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: as.tenant })).json().items as Array<{ id: string }>
    t.same(list.map(w => w.id), [mine.json().id])
    for (const id of [global.id, other.id]) {
      t.equal((await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: as.tenant })).statusCode, 404)
      t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: as.tenant })).statusCode, 404)
    }
  })

  t.test('SSRF: loopback, link-local, private and tricky targets are refused at create', async t => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/hook',
      'https://192.168.1.10/hook',
      'https://100.64.0.1/hook',
      'http://localhost:8080/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'https://[fe80::1]/hook',
      'https://[fd00::1]/hook',
      'http://0.0.0.0/hook',
      'ftp://93.184.215.14/hook',
      'https://user:pw@93.184.215.14/hook',
      'not a url'
    ]) {
      const res = await create({ url, events: ['job.succeeded'] })
      t.equal(res.statusCode, 422, url)
      t.equal(res.json().code, 'GW_ERR_WEBHOOK_TARGET_REFUSED', url)
    }
  })

  t.test('body validation', async t => {
    t.equal((await create({ url: target, events: [] })).statusCode, 400)
    t.equal((await create({ url: target, events: ['job.exploded'] })).statusCode, 400)
    t.equal((await create({ url: target, events: ['job.failed'], namespaces: ['Not_A_Name'] })).statusCode, 400)
    t.equal((await app.inject({ method: 'GET', url: '/api/v1/webhooks/nope', headers: as.viewer })).statusCode, 400)
  })

  t.test('subscriptions survive a flush of every Redis key', async t => {
    const { id } = (await create({ url: target, events: ['nodepool.ready'] })).json()
    await dropPrefix(app.redis, a.config.QUEUE_PREFIX)
    const res = await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: as.viewer })
    t.equal(res.statusCode, 200)
    t.same(res.json().events, ['nodepool.ready'])
    t.same((await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers: as.viewer })).json(), { items: [] })
  })
})
