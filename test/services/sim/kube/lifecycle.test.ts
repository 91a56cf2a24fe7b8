// Finalizers, garbage collection with each propagation policy, namespace deletion, dryRun.
import t, { type Test } from 'tap'
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'

const HC = { group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters' }
const NP = { ...HC, plural: 'nodepools' }
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

async function setup (t: Test) {
  const server = await startKubeServer({ crdDir: null })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  const core = kc.makeApiClient(CoreV1Api)
  const custom = kc.makeApiClient(CustomObjectsApi)
  await core.createNamespace({ body: { metadata: { name: 'clusters' } } })
  return { server, core, custom }
}

const until = async (cond: () => Promise<boolean>, ms = 2000) => {
  const end = Date.now() + ms
  while (!await cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}
const code = async (p: Promise<unknown>) => p.then(() => 200, (e: ApiException<string>) => e.code)

t.test('finalizers hold deletion until the last one is removed', async t => {
  const { custom } = await setup(t)
  await custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', metadata: { name: 'a', finalizers: ['example.com/a', 'example.com/b'] }, spec: { x: 1 } } })
  const deleting = await custom.deleteNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a' })
  t.ok(deleting.metadata.deletionTimestamp, 'delete answers 200 with the object, now terminating')
  t.equal(deleting.metadata.deletionGracePeriodSeconds, 0)
  const again = await custom.deleteNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a' })
  t.equal(again.metadata.resourceVersion, deleting.metadata.resourceVersion, 'a second delete changes nothing')

  const added = await custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { metadata: { finalizers: ['example.com/a', 'example.com/b', 'example.com/c'] } } }, merge).catch(e => e)
  t.equal(added.code, 422)
  t.match(JSON.parse(added.body).message, 'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/c"}')

  const spec = await custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { spec: { x: 2 } } }, merge)
  t.equal(spec.spec.x, 2, 'spec changes are allowed while terminating')
  await custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { metadata: { finalizers: ['example.com/b'] } } }, merge)
  t.equal(await code(custom.getNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a' })), 200)
  await custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: [{ op: 'remove', path: '/metadata/finalizers' }] })
  t.equal(await code(custom.getNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a' })), 404, 'gone with the last finalizer')
})

t.test('garbage collection: Background, Foreground, Orphan', async t => {
  const { custom } = await setup(t)
  const owner = async (name: string) => {
    const o = await custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', metadata: { name }, spec: {} } })
    await custom.createNamespacedCustomObject({
      ...NP,
      namespace: 'clusters',
      body: {
        apiVersion: 'hypershift.openshift.io/v1beta1',
        kind: 'NodePool',
        metadata: { name: `${name}-np`, finalizers: name === 'fg' ? ['example.com/hold'] : [], ownerReferences: [{ apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', name, uid: o.metadata.uid, blockOwnerDeletion: true }] },
        spec: { replicas: 1 }
      }
    })
    return o
  }
  const exists = async (api: typeof HC, name: string) => (await code(custom.getNamespacedCustomObject({ ...api, namespace: 'clusters', name }))) === 200

  await owner('bg')
  await custom.deleteNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'bg', propagationPolicy: 'Background' })
  t.notOk(await exists(HC, 'bg'), 'Background: owner goes first')
  await until(async () => !await exists(NP, 'bg-np'))
  t.pass('Background: dependent collected after the owner')

  await owner('fg')
  const fg = await custom.deleteNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'fg', body: { propagationPolicy: 'Foreground' } })
  t.ok(fg.metadata.finalizers.includes('foregroundDeletion'))
  t.ok(fg.metadata.deletionTimestamp)
  await until(async () => {
    const np = await custom.getNamespacedCustomObject({ ...NP, namespace: 'clusters', name: 'fg-np' })
    return np.metadata.deletionTimestamp !== undefined
  })
  t.ok(await exists(HC, 'fg'), 'Foreground: owner waits while a dependent is still there')
  await custom.patchNamespacedCustomObject({ ...NP, namespace: 'clusters', name: 'fg-np', body: { metadata: { finalizers: null } } }, merge)
  await until(async () => !await exists(HC, 'fg'))
  t.pass('Foreground: owner removed once dependents are gone')

  await owner('or')
  await custom.deleteNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'or', propagationPolicy: 'Orphan' })
  const orphan = await custom.getNamespacedCustomObject({ ...NP, namespace: 'clusters', name: 'or-np' })
  t.equal(orphan.metadata.ownerReferences, undefined, 'Orphan: dependents lose the owner reference and stay')
})

t.test('delete preconditions, deletecollection and namespace deletion', async t => {
  const { core } = await setup(t)
  const made = await core.createNamespacedSecret({ namespace: 'clusters', body: { metadata: { name: 's', labels: { a: 'b' } }, stringData: { k: 'v' } } })
  t.equal(await code(core.deleteNamespacedSecret({ namespace: 'clusters', name: 's', body: { preconditions: { uid: 'other' } } })), 409)
  t.equal(await code(core.deleteNamespacedSecret({ namespace: 'clusters', name: 's', body: { preconditions: { resourceVersion: '1' } } })), 409)
  t.equal(await code(core.deleteNamespacedSecret({ namespace: 'clusters', name: 's', propagationPolicy: 'Sideways' })), 422)
  t.equal(await code(core.deleteNamespacedSecret({ namespace: 'clusters', name: 's', body: { preconditions: { uid: made.metadata!.uid } } })), 200)

  for (const n of ['x', 'y', 'z']) await core.createNamespacedConfigMap({ namespace: 'clusters', body: { metadata: { name: n, labels: { keep: n === 'z' ? 'yes' : 'no' } } } })
  await core.deleteCollectionNamespacedConfigMap({ namespace: 'clusters', labelSelector: 'keep=no' })
  t.same((await core.listNamespacedConfigMap({ namespace: 'clusters' })).items.map(i => i.metadata!.name), ['z'])

  await core.createNamespacedConfigMap({ namespace: 'clusters', body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } } })
  const ns = await core.deleteNamespace({ name: 'clusters' })
  t.equal((ns as { status?: { phase?: string } }).status?.phase, 'Terminating')
  t.equal(await code(core.createNamespacedConfigMap({ namespace: 'clusters', body: { metadata: { name: 'late' } } })), 403, 'no new content in a terminating namespace')
  await until(async () => (await core.listNamespacedConfigMap({ namespace: 'clusters' })).items.length === 1)
  t.equal(await code(core.readNamespace({ name: 'clusters' })), 200, 'namespace waits for finalizers of its content')
  await core.patchNamespacedConfigMap({ namespace: 'clusters', name: 'held', body: [{ op: 'remove', path: '/metadata/finalizers' }] })
  await until(async () => await code(core.readNamespace({ name: 'clusters' })) === 404)
  t.pass('namespace removed once empty')
})

t.test('dryRun=All validates and answers without storing or bumping the counter', async t => {
  const { core, custom } = await setup(t)
  const before = (await core.listNamespace()).metadata!.resourceVersion
  const dry = await core.createNamespacedConfigMap({ namespace: 'clusters', body: { metadata: { name: 'd' }, data: { a: '1' } }, dryRun: 'All' })
  t.equal(dry.metadata!.name, 'd')
  t.equal(await code(core.readNamespacedConfigMap({ namespace: 'clusters', name: 'd' })), 404)
  t.equal(await code(core.createNamespacedConfigMap({ namespace: 'clusters', body: { metadata: { name: 'BAD' } }, dryRun: 'All' })), 422)
  t.equal((await core.listNamespace()).metadata!.resourceVersion, before)

  await core.createNamespacedConfigMap({ namespace: 'clusters', body: { metadata: { name: 'real' }, data: { a: '1' } } })
  const patched = await core.patchNamespacedConfigMap({ namespace: 'clusters', name: 'real', body: [{ op: 'replace', path: '/data/a', value: '2' }], dryRun: 'All' })
  t.equal(patched.data!.a, '2')
  t.equal((await core.readNamespacedConfigMap({ namespace: 'clusters', name: 'real' })).data!.a, '1')
  await core.deleteNamespacedConfigMap({ namespace: 'clusters', name: 'real', dryRun: 'All' })
  t.equal(await code(core.readNamespacedConfigMap({ namespace: 'clusters', name: 'real' })), 200)
  const hc = await custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', dryRun: 'All', body: { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', metadata: { name: 'h' }, spec: {} } })
  t.equal(hc.metadata.name, 'h')
  t.equal(await code(custom.getNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'h' })), 404)
})
