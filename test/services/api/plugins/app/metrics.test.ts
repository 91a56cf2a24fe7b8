import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { register as globalRegistry } from 'prom-client'
import { buildTestApp } from '../../../../helpers/app.ts'

// One sample's value from the Prometheus text, or undefined when the series is absent.
function sample (text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    const braces = /\{(.*)\}/.exec(line)?.[1] ?? ''
    if (want.every(w => braces.split(',').includes(w))) return Number(line.split(' ').at(-1))
  }
  return undefined
}

t.test('GET /metrics', async t => {
  const { app, as } = await buildTestApp(t, { worker: true })
  const scrape = async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
    return res.body
  }

  await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: as.viewer })
  await app.inject({ method: 'GET', url: '/no/such/route/123' })
  const { job } = await app.jobs.submit({ kind: 'cluster-destroy', target: { type: 'cluster', name: 'm', namespace: 'team-a' }, params: { name: 'm', namespace: 'team-a' }, createdBy: 'test' })

  let text = await scrape()
  t.equal(sample(text, 'hcpgw_http_request_duration_seconds_count', { route: '/api/v1/webhooks', method: 'GET', status_code: '200' }), 1)
  t.equal(sample(text, 'hcpgw_http_request_duration_seconds_count', { route: 'unmatched', method: 'GET', status_code: '404' }), 1, 'unknown URLs share one label')
  for (const kind of ['cluster-destroy', 'webhook-delivery', 'etcd-snapshot']) {
    for (const state of ['waiting', 'active', 'delayed', 'failed']) t.type(sample(text, 'hcpgw_queue_jobs', { kind, state }), 'number', `${kind} ${state}`)
  }
  t.equal(sample(text, 'hcpgw_webhook_delivery_attempts_total', { result: 'delivered' }), 0)
  t.equal(sample(text, 'hcpgw_watch_cache_synced', { resource: 'hostedclusters' }), 1)
  t.equal(sample(text, 'hcpgw_watch_cache_stale_seconds', { resource: 'nodepools' }), 0)
  t.type(sample(text, 'hcpgw_process_cpu_user_seconds_total'), 'number', 'default process metrics')

  const end = Date.now() + 8000
  while (sample(text, 'hcpgw_jobs_finished_total', { kind: 'cluster-destroy', outcome: 'succeeded' }) !== 1 && Date.now() < end) {
    await sleep(50)
    text = await scrape()
  }
  t.equal(sample(text, 'hcpgw_jobs_finished_total', { kind: 'cluster-destroy', outcome: 'succeeded' }), 1, `job ${job.id} counted once`)
  t.equal(sample(text, 'hcpgw_job_duration_seconds_count', { kind: 'cluster-destroy', outcome: 'succeeded' }), 1)

  t.equal(globalRegistry.getSingleMetric('hcpgw_http_request_duration_seconds'), undefined, 'the global registry is left alone')
})

t.test('two apps in one process keep separate registries', async t => {
  const one = await buildTestApp(t)
  const two = await buildTestApp(t)
  await one.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: one.as.viewer })
  const text = (await two.app.inject({ method: 'GET', url: '/metrics' })).body
  t.equal(sample(text, 'hcpgw_http_request_duration_seconds_count', { route: '/api/v1/webhooks', method: 'GET', status_code: '200' }), undefined)
  t.not(one.app.metrics.registry, two.app.metrics.registry)
})
