import t from 'tap'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { Queue } from 'bullmq'
import { buildTestApp } from '../../../helpers/app.ts'
import { redisUrl } from '../../../helpers/jobs.ts'
import { queueName } from '../../../../shared/jobs/kinds.ts'
import { createS3Client } from '../../../../shared/storage/s3-client.ts'
import { createReadyCluster, until, workerS3Env } from '../../../fixtures/backups/cluster.ts'

t.test('a schedule backs up on its cron, prunes by keepLast, survives a Redis flush and reports missed runs', async t => {
  const { app, as, twin, config } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true, env: workerS3Env })
  const kc = twin.kubeConfig
  await createReadyCluster(app, as.operator, kc, 'sched', { 'sim.hcp-gateway.io/etcd-db-size': '1Mi' })
  const url = '/api/v1/clusters/sched/backup-schedules'

  const badCron = await app.inject({ method: 'POST', url, headers: as.operator, payload: { cron: 'every day', retention: { keepLast: 1 } } })
  t.equal(badCron.statusCode, 400)
  t.match(badCron.json().errors, [{ field: 'body.cron' }])
  const noRule = await app.inject({ method: 'POST', url, headers: as.operator, payload: { cron: '0 * * * *', retention: {} } })
  t.match(noRule.json().errors, [{ field: 'body.retention' }])
  t.equal((await app.inject({ method: 'POST', url, headers: as.viewer, payload: { cron: '0 * * * *', retention: { keepLast: 1 } } })).statusCode, 403)

  const created = await app.inject({ method: 'POST', url, headers: as.operator, payload: { cron: '*/2 * * * * *', retention: { keepLast: 1 }, strategy: 'exec' } })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json().id as string

  // A Redis flush loses the timer, not the schedule: the definitions are registered again at start.
  const queue = new Queue(queueName('backup-prune'), { connection: { url: redisUrl }, prefix: config.QUEUE_PREFIX })
  t.teardown(() => queue.close())
  t.ok(await queue.getJobScheduler(id), 'registered with BullMQ')
  await queue.removeJobScheduler(id)
  t.equal(await queue.getJobScheduler(id), undefined)
  t.equal(await app.backups.schedules.registerAll(), 1)
  t.ok(await queue.getJobScheduler(id), 'registered again from its ConfigMap')

  const seen: string[] = []
  const keys: string[] = []
  await until('two scheduled backups', async () => {
    const s = (await app.inject({ method: 'GET', url: `/api/v1/backup-schedules/${id}`, headers: as.viewer })).json()
    if (s.lastBackupId && !seen.includes(s.lastBackupId)) {
      const b = await app.inject({ method: 'GET', url: `/api/v1/backups/${s.lastBackupId}`, headers: as.viewer })
      if (b.statusCode !== 200) return false
      seen.push(s.lastBackupId)
      keys.push(b.json().objectKey)
    }
    return seen.length >= 2
  }, 40000, 100)
  const view = (await app.inject({ method: 'GET', url, headers: as.viewer })).json().items[0]
  t.equal(view.lastResult, 'succeeded')
  t.equal(view.missedRuns, 0)
  // Stop the timer first, so no later run changes what is checked (one already running may finish).
  const del = await app.inject({ method: 'DELETE', url: `/api/v1/backup-schedules/${id}`, headers: as.operator })
  t.equal(del.statusCode, 204)
  t.equal(await queue.getJobScheduler(id), undefined, 'the timer is gone')
  const list = await until('pruned to one', async () => {
    const items = (await app.inject({ method: 'GET', url: '/api/v1/clusters/sched/backups', headers: as.viewer })).json().items as Array<{ id: string, scheduleId: string }>
    return items.length === 1 ? items : undefined
  }, 20000, 200)
  t.equal(list[0].scheduleId, id)
  const s3 = createS3Client(twin.objectStore)
  t.teardown(() => s3.destroy())
  t.ok(await s3.send(new HeadObjectCommand({ Bucket: twin.objectStore.bucket, Key: (list[0] as unknown as { objectKey: string }).objectKey })), 'the kept backup\'s object is there')
  t.ok(!list.some(b => b.id === seen[0]), `the older backup ${seen[0]} was pruned`)
  await t.rejects(s3.send(new HeadObjectCommand({ Bucket: twin.objectStore.bucket, Key: keys[0] })), 'its object is gone')

  t.same((await app.inject({ method: 'GET', url, headers: as.viewer })).json().items, [])

  // A monthly schedule that never ran in five months: the runs whose period passed are missed.
  const monthly = await app.inject({ method: 'POST', url, headers: as.operator, payload: { cron: '0 0 1 * *', retention: { maxAgeDays: 30 } } })
  const mid = monthly.json().id as string
  const longAgo = new Date(Date.now() - 160 * 24 * 3600 * 1000).toISOString()
  await kc.makeApiClient(CoreV1Api).patchNamespacedConfigMap({ namespace: config.GATEWAY_NAMESPACE, name: mid, body: { data: { createdAt: longAgo } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))
  const missed = (await app.inject({ method: 'GET', url: `/api/v1/backup-schedules/${mid}`, headers: as.viewer })).json()
  t.ok(missed.missedRuns >= 4 && missed.missedRuns <= 5, `missed runs reported (${missed.missedRuns})`)
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/backup-schedules/${mid}`, headers: as.tenant })).statusCode, 404)
})
