import t from 'tap'
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node'
import { buildTestApp } from '../../../helpers/app.ts'
import { createReadyCluster, waitJob, workerS3Env } from '../../../fixtures/backups/cluster.ts'

t.test('OADP: a Velero Backup followed to Completed, then a Restore once the cluster is gone', async t => {
  const { app, as, twin } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true, env: workerS3Env })
  const kc = twin.kubeConfig
  // OADP installed: its namespace exists (the twin serves velero.io/v1 and plays Velero).
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'openshift-adp' } } })
  await createReadyCluster(app, as.operator, kc, 'vel')
  const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/vel/oadp-backups', headers: as.operator, payload: {} })
  t.equal(post.statusCode, 202, post.body)
  const job = await waitJob(app, as.viewer, post.json().id)
  t.equal(job.state, 'succeeded', JSON.stringify(job.error))
  const name = (job.result as { backupName: string }).backupName
  const custom = kc.makeApiClient(CustomObjectsApi)
  const cr = await custom.getNamespacedCustomObject({ group: 'velero.io', version: 'v1', plural: 'backups', namespace: 'openshift-adp', name }) as { spec: Record<string, unknown>, status: { phase: string } }
  t.same(cr.spec.includedNamespaces, ['clusters', 'clusters-vel'])
  t.equal(cr.spec.storageLocation, 'default')
  t.equal(cr.spec.snapshotMoveData, true)
  t.equal(cr.status.phase, 'Completed')

  const early = await app.inject({ method: 'POST', url: `/api/v1/oadp-backups/${name}/restore`, headers: as.operator, payload: {} })
  t.equal(early.statusCode, 409, 'the cluster must be destroyed first')
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/oadp-backups/${name}/restore`, headers: as.tenant, payload: {} })).statusCode, 404, 'tenant outside: 404')
  const destroy = await app.inject({ method: 'DELETE', url: '/api/v1/clusters/vel', headers: as.operator })
  t.equal(destroy.statusCode, 202)
  t.equal((await waitJob(app, as.viewer, destroy.json().id)).state, 'succeeded')
  await new Promise(resolve => setTimeout(resolve, 300))
  const restore = await app.inject({ method: 'POST', url: `/api/v1/oadp-backups/${name}/restore`, headers: as.operator, payload: {} })
  t.equal(restore.statusCode, 202, restore.body)
  const done = await waitJob(app, as.viewer, restore.json().id)
  t.equal(done.state, 'succeeded', JSON.stringify(done.error))
})

t.test('OADP on a management cluster without Velero: a 422 that says so, and nothing created', async t => {
  const { app, as, twin } = await buildTestApp(t, { twin: { crdDir: 'shared', hypershiftStepMs: 10 }, worker: true, env: workerS3Env })
  const kc = twin.kubeConfig
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'openshift-adp' } } })
  await createReadyCluster(app, as.operator, kc, 'novel')
  // What an API server without the velero.io group answers.
  twin.kube.faults.inject({ path: /^\/apis\/velero\.io\//, status: 404 })
  const post = await app.inject({ method: 'POST', url: '/api/v1/clusters/novel/oadp-backups', headers: as.operator, payload: {} })
  t.equal(post.statusCode, 422, post.body)
  t.match(post.json(), { code: 'GW_ERR_UNPROCESSABLE', detail: /Velero|OADP/ })
  const restore = await app.inject({ method: 'POST', url: '/api/v1/oadp-backups/some-backup/restore', headers: as.operator, payload: {} })
  t.equal(restore.statusCode, 422, restore.body)
  const jobs = await app.inject({ method: 'GET', url: '/api/v1/jobs?kind=oadp-backup', headers: as.viewer })
  t.same(jobs.json().items, [], 'no job submitted')
})
