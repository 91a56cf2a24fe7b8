// /status, /scale and CSR /approval subresources.
import t, { type Test } from 'tap'
import { AppsV1Api, CertificatesV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'

const NP = { group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'nodepools', namespace: 'default' }
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

async function setup (t: Test) {
  const server = await startKubeServer({ crdDir: null })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  return { apps: kc.makeApiClient(AppsV1Api), custom: kc.makeApiClient(CustomObjectsApi), certs: kc.makeApiClient(CertificatesV1Api) }
}

t.test('custom resource /status and /scale', async t => {
  const { custom } = await setup(t)
  const created = await custom.createNamespacedCustomObject({ ...NP, body: { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'NodePool', metadata: { name: 'np' }, spec: { replicas: 2 }, status: { replicas: 9 } } })
  t.equal(created.status, undefined, 'status is dropped on create')
  const main = await custom.patchNamespacedCustomObject({ ...NP, name: 'np', body: { status: { replicas: 5 }, spec: { replicas: 2, paused: true } } }, merge)
  t.equal(main.status, undefined, 'main resource writes ignore status')
  t.equal(main.metadata.generation, 2)
  const status = await custom.patchNamespacedCustomObjectStatus({ ...NP, name: 'np', body: { status: { replicas: 1 }, spec: { replicas: 7 }, metadata: { labels: { x: 'y' } } } }, merge)
  t.equal(status.status.replicas, 1)
  t.equal(status.spec.replicas, 2, 'status writes ignore spec')
  t.equal(status.metadata.labels, undefined, 'status writes ignore metadata')
  t.equal(status.metadata.generation, 2, 'status writes keep generation')
  const replacedStatus = await custom.replaceNamespacedCustomObjectStatus({ ...NP, name: 'np', body: { ...status, status: { replicas: 2 } } })
  t.equal(replacedStatus.status.replicas, 2)

  const scale = await custom.getNamespacedCustomObjectScale({ ...NP, name: 'np' })
  t.same(scale.spec, { replicas: 2 })
  t.same(scale.status, { replicas: 2 }, 'no selector: NodePool has no labelSelectorPath')
  t.match(scale, { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'np', namespace: 'default' } })
  const scaled = await custom.patchNamespacedCustomObjectScale({ ...NP, name: 'np', body: { spec: { replicas: 4 } } }, merge)
  t.equal(scaled.spec.replicas, 4)
  const np = await custom.getNamespacedCustomObject({ ...NP, name: 'np' })
  t.equal(np.spec.replicas, 4)
  t.equal(np.metadata.generation, 3)
  await t.rejects(custom.replaceNamespacedCustomObjectScale({ ...NP, name: 'np', body: { ...scaled, metadata: { ...scaled.metadata, resourceVersion: '2' }, spec: { replicas: 1 } } }), { code: 409 })
  await t.rejects(custom.replaceNamespacedCustomObjectScale({ ...NP, name: 'np', body: { ...scaled, spec: { replicas: -1 } } }), { code: 422 })
  await t.rejects(custom.getNamespacedCustomObjectScale({ ...NP, plural: 'hostedclusters', name: 'np' }), { code: 404 })
})

t.test('deployment /scale and /status', async t => {
  const { apps } = await setup(t)
  const d = await apps.createNamespacedDeployment({
    namespace: 'default',
    body: { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }
  })
  t.equal(d.spec?.replicas, 1, 'replicas default to 1')
  t.equal(d.metadata?.generation, 1)
  const scale = await apps.replaceNamespacedDeploymentScale({ namespace: 'default', name: 'web', body: { metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3 } } })
  t.equal(scale.spec?.replicas, 3)
  t.equal(scale.status?.selector, 'app=web')
  const status = await apps.replaceNamespacedDeploymentStatus({ namespace: 'default', name: 'web', body: { ...(await apps.readNamespacedDeployment({ namespace: 'default', name: 'web' })), status: { replicas: 3, readyReplicas: 3 } } })
  t.equal(status.status?.readyReplicas, 3)
  t.equal(status.metadata?.generation, 2, 'scale bumped generation once, status did not')
  t.equal((await apps.readNamespacedDeploymentScale({ namespace: 'default', name: 'web' })).status?.replicas, 3)
})

t.test('CSR approval', async t => {
  const { certs } = await setup(t)
  const csr = await certs.createCertificateSigningRequest({ body: { metadata: { name: 'node-csr' }, spec: { request: 'cmVx', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] } } })
  const approved = await certs.replaceCertificateSigningRequestApproval({ name: 'node-csr', body: { ...csr, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'OK', message: 'ok' }] } } })
  t.match(approved.status?.conditions, [{ type: 'Approved', status: 'True', reason: 'OK' }])
  t.ok(approved.status?.conditions?.[0].lastUpdateTime)
  await t.rejects(certs.replaceCertificateSigningRequestApproval({ name: 'node-csr', body: { ...approved, status: { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Denied', status: 'True' }] } } }), { code: 422 })
})
