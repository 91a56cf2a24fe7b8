import t from 'tap'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'
import { startHypershiftSim } from '../../../../services/sim/hypershift/index.ts'
import { releaseImageFor } from '../../../../services/sim/hypershift/release-catalog.ts'
import { clusterDestroyJob } from '../../../../services/worker/jobs/cluster-destroy.ts'
import { CLUSTER_LABEL, clusterDestroyKey } from '../../../../shared/jobs/cluster-destroy.ts'
import { inState, startJobService, startTestWorkers, testPrefix, waitForJob } from '../../../helpers/jobs.ts'

const crdPath = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))
const crdDir = existsSync(crdPath) ? crdPath : null
const HS = { group: 'hypershift.openshift.io', version: 'v1beta1' }
const NS = 'clusters'
type Obj = { metadata: { name: string, finalizers?: string[] }, status?: { conditions?: Array<{ type: string, status: string }> } }

const kube = await startKubeServer({ crdDir, port: 0, log: () => {} })
const sim = await startHypershiftSim({ kubeconfig: kube.kubeconfig(), timing: { stepMs: 15 }, log: () => {} })
t.teardown(async () => { await sim.close(); await kube.close() })
const kc = new KubeConfig()
kc.loadFromString(kube.kubeconfig())
const custom = kc.makeApiClient(CustomObjectsApi)
const core = kc.makeApiClient(CoreV1Api)
await core.createNamespace({ body: { metadata: { name: NS } } })

const prefix = testPrefix('destroy')
const { jobs } = await startJobService(t, { prefix, policies: [clusterDestroyJob.policy] })
await startTestWorkers(t, { prefix, processors: [clusterDestroyJob], kubeConfig: kc })

function hostedCluster (name: string, finalizers?: string[]) {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name, namespace: NS, ...(finalizers ? { finalizers } : {}) },
    spec: {
      release: { image: releaseImageFor('4.19.3') },
      pullSecret: { name: `${name}-pull-secret` },
      dns: { baseDomain: 'example.com' },
      controllerAvailabilityPolicy: 'SingleReplica',
      networking: { clusterNetwork: [{ cidr: '10.132.0.0/14' }], serviceNetwork: [{ cidr: '172.31.0.0/16' }], networkType: 'OVNKubernetes' },
      etcd: { managementType: 'Managed', managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } } },
      platform: { type: 'Agent', agent: { agentNamespace: 'agents' } },
      services: ['APIServer', 'OAuthServer', 'Konnectivity', 'Ignition'].map(service => ({ service, servicePublishingStrategy: { type: 'Route', route: {} } }))
    }
  }
}

function nodePool (name: string, cluster: string) {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name, namespace: NS },
    spec: { clusterName: cluster, replicas: 1, release: { image: releaseImageFor('4.19.3') }, arch: 'amd64', management: { autoRepair: false, upgradeType: 'Replace' }, platform: { type: 'Agent', agent: {} } }
  }
}

async function secret (name: string, labels: Record<string, string> = {}) {
  await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name, namespace: NS, labels }, stringData: { value: 'x' } } })
}

const gone = async (read: () => Promise<unknown>) => {
  try {
    await read()
    return false
  } catch (err) {
    return (err as { code?: number }).code === 404
  }
}
const hcGone = (name: string) => gone(() => custom.getNamespacedCustomObject({ ...HS, plural: 'hostedclusters', namespace: NS, name }))

async function createCluster (name: string, extraFinalizers?: string[]) {
  await custom.createNamespacedCustomObject({ ...HS, plural: 'hostedclusters', namespace: NS, body: hostedCluster(name, extraFinalizers) })
  await custom.createNamespacedCustomObject({ ...HS, plural: 'nodepools', namespace: NS, body: nodePool(`${name}-workers`, name) })
  await secret(`${name}-pull-secret`, { [CLUSTER_LABEL]: name })
  await secret(`${name}-ssh-key`, { [CLUSTER_LABEL]: name })
  // Available = the operator has set its finalizer and built the control plane namespace.
  const end = Date.now() + 10000
  while (Date.now() < end) {
    const hc = await custom.getNamespacedCustomObject({ ...HS, plural: 'hostedclusters', namespace: NS, name }) as Obj
    if (hc.status?.conditions?.some(c => c.type === 'Available' && c.status === 'True')) return
    await sleep(30)
  }
  throw new Error(`cluster ${name} never became Available`)
}

function destroy (name: string, extra: Record<string, unknown> = {}) {
  return jobs.submit({
    kind: 'cluster-destroy',
    target: { type: 'cluster', name, namespace: NS },
    params: { name, namespace: NS, ...extra },
    createdBy: 'alice',
    naturalKey: clusterDestroyKey(NS, name)
  })
}

t.test('destroy removes node pools, the cluster, its control plane and its labelled secrets', async t => {
  await createCluster('alpha')
  await secret('unrelated')
  await secret('beta-like', { [CLUSTER_LABEL]: 'someone-else' })
  const { job, created } = await destroy('alpha', { gracePeriodSeconds: 20 })
  t.ok(created)
  t.equal(job.id, 'cluster-destroy.clusters.alpha')
  t.same(job.stages.map(s => s.name), ['delete-nodepools', 'delete-hostedcluster', 'wait-finalizers', 'remove-secrets'])
  const again = await destroy('alpha', { gracePeriodSeconds: 20 })
  t.equal(again.job.id, job.id, 'a second destroy while one runs returns the same job')
  t.notOk(again.created)

  const done = await waitForJob(jobs, job.id, inState('succeeded', 'failed'), 15000)
  t.equal(done.state, 'succeeded', JSON.stringify(done.error))
  t.same(done.stages.map(s => s.state), ['succeeded', 'succeeded', 'succeeded', 'succeeded'])
  t.equal(done.progress.percent, 100)
  const deleted = (done.result as { deleted: Array<{ kind: string, name: string }> }).deleted
  t.same(deleted.map(o => `${o.kind}/${o.name}`).sort(),
    ['HostedCluster/alpha', 'NodePool/alpha-workers', 'Secret/alpha-pull-secret', 'Secret/alpha-ssh-key'])

  t.ok(await hcGone('alpha'), 'HostedCluster gone')
  t.ok(await gone(() => custom.getNamespacedCustomObject({ ...HS, plural: 'nodepools', namespace: NS, name: 'alpha-workers' })), 'NodePool gone')
  t.ok(await gone(() => core.readNamespace({ name: `${NS}-alpha` })), 'control plane namespace gone')
  t.ok(await gone(() => core.readNamespacedSecret({ namespace: NS, name: 'alpha-pull-secret' })), 'labelled secret gone')
  t.ok(await gone(() => core.readNamespacedSecret({ namespace: NS, name: 'alpha-admin-kubeconfig' })), 'operator secrets gone')
  t.resolves(core.readNamespacedSecret({ namespace: NS, name: 'unrelated' }), 'unlabelled secrets stay')
  t.resolves(core.readNamespacedSecret({ namespace: NS, name: 'beta-like' }), 'other clusters\' secrets stay')

  const rerun = await destroy('alpha')
  t.equal(rerun.job.id, 'cluster-destroy.clusters.alpha_2', 'destroying again after a success is a new run')
  const second = await waitForJob(jobs, rerun.job.id, inState('succeeded', 'failed'), 10000)
  t.equal(second.state, 'succeeded', 'every stage treats "already gone" as done')
  t.same(second.result, { deleted: [] })
})

t.test('a cluster stuck on a finalizer times out with a clear error; forced, it completes', async t => {
  await createCluster('stuck', ['example.com/hold'])
  const { job } = await destroy('stuck', { gracePeriodSeconds: 1 })
  const failed = await waitForJob(jobs, job.id, inState('succeeded', 'failed'), 15000)
  t.equal(failed.state, 'failed')
  t.equal(failed.attempts, 1, 'a stuck cluster is not retried blindly')
  t.equal(failed.error?.code, 'GW_ERR_UPSTREAM_TIMEOUT')
  t.match(failed.error?.message, /^cluster stuck is stuck deleting: finalizers \[example\.com\/hold\] remain/)
  t.same(failed.stages.map(s => s.state), ['succeeded', 'succeeded', 'failed', 'skipped'])
  t.notOk(await hcGone('stuck'))

  await t.rejects(destroy('stuck', { gracePeriodSeconds: 1, force: true }).then(async r => {
    const j = await waitForJob(jobs, r.job.id, inState('succeeded', 'failed'), 15000)
    if (j.state === 'failed') throw new Error(j.error?.message)
  }), /a forced destroy needs a reason/, 'force without a reason is refused by the job too')

  const forced = await destroy('stuck', { gracePeriodSeconds: 1, force: true, reason: 'INC-42: finalizer owner is gone' })
  t.equal(forced.job.id, job.id, 'the failed destroy is retried with the new params')
  const done = await waitForJob(jobs, job.id, inState('succeeded', 'failed'), 15000)
  t.equal(done.state, 'succeeded', JSON.stringify(done.error))
  t.match(done.result, {
    deleted: [{ kind: 'NodePool', name: 'stuck-workers' }, { kind: 'HostedCluster', name: 'stuck' }, { kind: 'Secret' }, { kind: 'Secret' }],
    forced: { reason: 'INC-42: finalizer owner is gone', finalizers: ['HostedCluster stuck: example.com/hold'] }
  })
  t.ok(await hcGone('stuck'))
})

t.test('bad params fail at once', async t => {
  const { job } = await jobs.submit({
    kind: 'cluster-destroy',
    target: { type: 'cluster', name: 'x', namespace: NS },
    params: { name: 'Not A Name', namespace: NS },
    createdBy: 'alice'
  })
  const failed = await waitForJob(jobs, job.id, inState('failed'))
  t.equal(failed.error?.code, 'GW_ERR_VALIDATION')
  t.equal(failed.attempts, 1)
  t.same(failed.stages.map(s => s.state), ['skipped', 'skipped', 'skipped', 'skipped'])
})
