// Lists: label and field selectors, limit/continue over a consistent snapshot, expiry.
import t, { type Test } from 'tap'
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'

async function setup (t: Test, watchWindow?: number) {
  const server = await startKubeServer({ crdDir: null, watchWindow })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  return { server, core: kc.makeApiClient(CoreV1Api) }
}

t.test('label and field selectors', async t => {
  const { core } = await setup(t)
  await core.createNamespace({ body: { metadata: { name: 'other' } } })
  const make = (namespace: string, name: string, labels: Record<string, string>) => core.createNamespacedConfigMap({ namespace, body: { metadata: { name, labels } } })
  await make('default', 'a', { app: 'web', tier: 'front' })
  await make('default', 'b', { app: 'web', tier: 'back' })
  await make('default', 'c', { app: 'db' })
  await make('other', 'a', { app: 'web' })
  const names = async (q: { labelSelector?: string, fieldSelector?: string }) =>
    (await core.listConfigMapForAllNamespaces(q)).items.map(i => `${i.metadata!.namespace}/${i.metadata!.name}`)
  t.same(await names({ labelSelector: 'app=web' }), ['default/a', 'default/b', 'other/a'])
  t.same(await names({ labelSelector: 'app==web,tier!=back' }), ['default/a', 'other/a'])
  t.same(await names({ labelSelector: 'app in (db, x)' }), ['default/c'])
  t.same(await names({ labelSelector: 'app notin (web)' }), ['default/c'])
  t.same(await names({ labelSelector: 'tier' }), ['default/a', 'default/b'])
  t.same(await names({ labelSelector: '!tier' }), ['default/c', 'other/a'])
  t.same(await names({ fieldSelector: 'metadata.name=a' }), ['default/a', 'other/a'])
  t.same(await names({ fieldSelector: 'metadata.namespace!=default' }), ['other/a'])
  t.same(await names({ fieldSelector: 'metadata.name==a,metadata.namespace=other', labelSelector: 'app=web' }), ['other/a'])
  await t.rejects(names({ fieldSelector: 'spec.foo=1' }), { code: 400 })
  await t.rejects(names({ labelSelector: 'app in (a' }), { code: 400 })
  const podsByPhase = await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Pending' })
  t.same(podsByPhase.items, [])
})

t.test('paging serves a consistent snapshot across concurrent writes', async t => {
  const { core } = await setup(t)
  for (let i = 0; i < 7; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `cm-${i}` }, data: { v: 'old' } } })
  const page1 = await core.listNamespacedConfigMap({ namespace: 'default', limit: 3 })
  t.same(page1.items.map(i => i.metadata!.name), ['cm-0', 'cm-1', 'cm-2'])
  t.equal(page1.metadata!.remainingItemCount, 4)
  t.ok(page1.metadata!._continue)
  const snapshot = page1.metadata!.resourceVersion

  await core.patchNamespacedConfigMap({ namespace: 'default', name: 'cm-4', body: [{ op: 'replace', path: '/data/v', value: 'new' }] })
  await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'cm-5' })
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm-3a' } } })

  const page2 = await core.listNamespacedConfigMap({ namespace: 'default', limit: 3, _continue: page1.metadata!._continue })
  t.same(page2.items.map(i => i.metadata!.name), ['cm-3', 'cm-4', 'cm-5'], 'later writes are invisible to the snapshot')
  t.equal(page2.items[1].data!.v, 'old')
  t.equal(page2.metadata!.resourceVersion, snapshot)
  const page3 = await core.listNamespacedConfigMap({ namespace: 'default', limit: 3, _continue: page2.metadata!._continue })
  t.same(page3.items.map(i => i.metadata!.name), ['cm-6'])
  t.notOk(page3.metadata!._continue)
  t.equal(page3.metadata!.remainingItemCount, undefined)

  const fresh = await core.listNamespacedConfigMap({ namespace: 'default' })
  t.equal(fresh.items.length, 7)
  t.ok(Number(fresh.metadata!.resourceVersion) > Number(snapshot))
  const fromZero = await core.listNamespacedConfigMap({ namespace: 'default', resourceVersion: '0' })
  t.equal(fromZero.items.length, 7)
  await t.rejects(core.listNamespacedConfigMap({ namespace: 'default', _continue: 'garbage' }), { code: 400 })
})

t.test('a continue token older than the retained history is 410 Expired', async t => {
  const { core } = await setup(t, 3)
  for (let i = 0; i < 3; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `cm-${i}` } } })
  const page1 = await core.listNamespacedConfigMap({ namespace: 'default', limit: 1 })
  for (let i = 3; i < 8; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `cm-${i}` } } })
  try {
    await core.listNamespacedConfigMap({ namespace: 'default', limit: 1, _continue: page1.metadata!._continue })
    t.fail('expected 410')
  } catch (err) {
    t.ok(err instanceof ApiException)
    const e = err as ApiException<string>
    t.equal(e.code, 410)
    t.match(JSON.parse(e.body), { reason: 'Expired', code: 410, message: /^The provided continue parameter is too old/ })
  }
})
