// Watch streams through client-node's Watch and informer: events, resume, 410, bookmarks, timeouts.
import t, { type Test } from 'tap'
import { CoreV1Api, KubeConfig, makeInformer, Watch } from '@kubernetes/client-node'
import type { V1ConfigMap } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'
import type { KubeServerOptions } from '../../../../services/sim/kube/server.ts'

interface Seen { type: string, object: any }

async function setup (t: Test, opts: KubeServerOptions = {}) {
  const server = await startKubeServer({ crdDir: null, ...opts })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  const core = kc.makeApiClient(CoreV1Api)
  const watch = new Watch(kc)
  const open = async (path: string, query: Record<string, string | number | boolean | undefined>) => {
    const events: Seen[] = []
    let ended: (err: unknown) => void = () => {}
    const done = new Promise(resolve => { ended = resolve })
    const ctl = await watch.watch(path, query, (type, object) => events.push({ type, object }), err => ended(err))
    t.teardown(() => ctl.abort())
    return { events, done }
  }
  return { server, core, open }
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}
const cm = (name: string, labels: Record<string, string> = {}): V1ConfigMap => ({ metadata: { name, labels }, data: { v: '1' } })

t.test('initial ADDED, then live events with selector transitions', async t => {
  const { core, open } = await setup(t)
  await core.createNamespacedConfigMap({ namespace: 'default', body: cm('a', { app: 'x' }) })
  await core.createNamespacedConfigMap({ namespace: 'default', body: cm('b', { app: 'y' }) })
  const w = await open('/api/v1/namespaces/default/configmaps', { labelSelector: 'app=x' })
  await until(() => w.events.length === 1)
  t.match(w.events[0], { type: 'ADDED', object: { metadata: { name: 'a' } } })
  await core.patchNamespacedConfigMap({ namespace: 'default', name: 'a', body: [{ op: 'replace', path: '/data/v', value: '2' }] })
  await core.patchNamespacedConfigMap({ namespace: 'default', name: 'b', body: [{ op: 'replace', path: '/metadata/labels/app', value: 'x' }] })
  await core.patchNamespacedConfigMap({ namespace: 'default', name: 'a', body: [{ op: 'replace', path: '/metadata/labels/app', value: 'z' }] })
  await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'b' })
  await until(() => w.events.length === 5)
  t.same(w.events.map(e => `${e.type} ${e.object.metadata.name}`), ['ADDED a', 'MODIFIED a', 'ADDED b', 'DELETED a', 'DELETED b'])
})

t.test('resume from a resourceVersion replays history; too old gives a 410 ERROR event', async t => {
  const { core, open } = await setup(t, { watchWindow: 5 })
  const first = await core.createNamespacedConfigMap({ namespace: 'default', body: cm('a') })
  await core.createNamespacedConfigMap({ namespace: 'default', body: cm('b') })
  const w = await open('/api/v1/configmaps', { resourceVersion: first.metadata!.resourceVersion })
  await until(() => w.events.length === 1)
  t.match(w.events, [{ type: 'ADDED', object: { metadata: { name: 'b' } } }], 'only events after the given version')
  for (let i = 0; i < 6; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: cm(`c${i}`) })
  const old = await open('/api/v1/configmaps', { resourceVersion: first.metadata!.resourceVersion })
  await old.done
  t.equal(old.events.length, 1)
  t.match(old.events[0], { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: new RegExp(`^too old resource version: ${first.metadata!.resourceVersion} \\(\\d+\\)$`) } })
})

t.test('bookmarks and timeoutSeconds', async t => {
  const { core, open } = await setup(t, { bookmarkIntervalMs: 30 })
  const created = await core.createNamespacedConfigMap({ namespace: 'default', body: cm('a') })
  const started = Date.now()
  const w = await open('/api/v1/namespaces/default/configmaps', { allowWatchBookmarks: true, timeoutSeconds: 1, resourceVersion: created.metadata!.resourceVersion })
  await until(() => w.events.some(e => e.type === 'BOOKMARK'))
  const bookmark = w.events.find(e => e.type === 'BOOKMARK')!
  t.same(bookmark.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: created.metadata!.resourceVersion } })
  await w.done
  t.ok(Date.now() - started >= 900, 'the server closed the stream after timeoutSeconds')
})

t.test('dropWatchAfter fault ends streams; informers relist and resume', async t => {
  const { server, core } = await setup(t)
  server.faults.set({ dropWatchAfter: 2 })
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  const informer = makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }))
  const names = new Set<string>()
  informer.on('add', o => names.add(o.metadata!.name!))
  informer.on('delete', o => names.delete(o.metadata!.name!))
  let stopped = false
  informer.on('error', () => { if (!stopped) setTimeout(() => { informer.start().catch(() => {}) }, 10) })
  await informer.start()
  t.teardown(async () => { stopped = true; await informer.stop() })
  for (const n of ['a', 'b', 'c', 'd', 'e']) await core.createNamespacedConfigMap({ namespace: 'default', body: cm(n) })
  await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'c' })
  await until(() => names.size === 4 && !names.has('c'), 5000)
  t.same([...names].sort(), ['a', 'b', 'd', 'e'])
})

t.test('raw stream shape: chunked, one JSON event per line; single-object watch via the legacy prefix', async t => {
  const { server, core } = await setup(t)
  await core.createNamespacedConfigMap({ namespace: 'default', body: cm('a') })
  await core.createNamespacedConfigMap({ namespace: 'default', body: cm('b') })
  const res = await fetch(`${server.url}/api/v1/watch/namespaces/default/configmaps/b?timeoutSeconds=1`)
  t.equal(res.status, 200)
  t.equal(res.headers.get('transfer-encoding'), 'chunked')
  t.equal(res.headers.get('content-type'), 'application/json')
  const lines = (await res.text()).trim().split('\n').map(l => JSON.parse(l))
  t.match(lines, [{ type: 'ADDED', object: { metadata: { name: 'b' } } }])
  const bad = await fetch(`${server.url}/api/v1/configmaps?watch=1&resourceVersion=abc`)
  t.equal(bad.status, 400)
})
