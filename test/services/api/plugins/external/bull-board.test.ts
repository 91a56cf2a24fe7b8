import t from 'tap'
import { buildTestApp } from '../../../../helpers/app.ts'
import { allJobKinds, queueName } from '../../../../../shared/jobs/kinds.ts'

t.test('the queue dashboard is for admins only and shows every job kind', async t => {
  const { app, as } = await buildTestApp(t)
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })

  const anonymous = await get('/admin/queues')
  t.equal(anonymous.statusCode, 401)
  t.match(anonymous.headers['www-authenticate'], /^Basic realm=/)
  t.equal(anonymous.json().code, 'GW_ERR_UNAUTHENTICATED')
  t.equal((await get('/admin/queues/api/queues', as.operator)).statusCode, 403)
  t.equal((await get('/admin/queues/api/queues', { authorization: 'Bearer hcpgw_wrong' })).statusCode, 401)

  const page = await get('/admin/queues', as.admin)
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)

  const api = await get('/admin/queues/api/queues', as.admin)
  t.equal(api.statusCode, 200)
  const names = (api.json().queues as Array<{ name: string }>).map(q => q.name).sort()
  t.same(names, allJobKinds.map(queueName).sort())
  t.ok(names.includes('hcpgw-webhook-delivery'))

  // browsers: Basic with the API key as the password
  const key = as.admin.authorization.slice('Bearer '.length)
  t.equal((await get('/admin/queues/api/queues', { authorization: `Basic ${Buffer.from(`me:${key}`).toString('base64')}` })).statusCode, 200)
  const viewerKey = as.viewer.authorization.slice('Bearer '.length)
  t.equal((await get('/admin/queues/api/queues', { authorization: `Basic ${Buffer.from(`me:${viewerKey}`).toString('base64')}` })).statusCode, 403)
})
