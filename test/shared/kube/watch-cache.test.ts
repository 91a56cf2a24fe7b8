// The watch cache against the real twin API server, with a loopback TCP relay in between that can cut
// the management cluster off (to force resumes, backoff and 410 relists).
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubeServer, type KubeServer } from '../../../services/sim/kube/server.ts'
import { createWatchCache, type WatchCache } from '../../../shared/kube/watch-cache.ts'
import type { KubeObject } from '../../../shared/kube/kube-object.ts'

const GROUP = 'hypershift.openshift.io'
const VERSION = 'v1beta1'
const PLURAL = 'hostedclusters'

interface Teardown { teardown (fn: () => unknown): void }
interface Relay { url: string, cut (): void, restore (): void, close (): Promise<void> }

// Forwards TCP to the twin; while cut, live connections are dropped and new ones refused.
async function startRelay (targetPort: number): Promise<Relay> {
  let cut = false
  const sockets = new Set<Socket>()
  const track = (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => s.destroy())
  }
  const server: Server = createServer(client => {
    track(client)
    if (cut) {
      client.destroy()
      return
    }
    const upstream = connect(targetPort, '127.0.0.1')
    track(upstream)
    client.pipe(upstream).pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut () {
      cut = true
      for (const s of sockets) s.destroy()
    },
    restore () { cut = false },
    close () {
      for (const s of sockets) s.destroy()
      return new Promise(resolve => server.close(() => resolve()))
    }
  }
}

function kubeConfigFor (server: KubeServer, url = server.url): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig().replace(server.url, url))
  return kc
}

function hostedCluster (namespace: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'HostedCluster',
    metadata: { name, namespace, labels: { env: 'test' } },
    spec: { release: { image: 'quay.io/openshift-release-dev/ocp-release:4.19.3-multi' }, platform: { type: 'AWS' }, ...extra }
  }
}

async function twin (t: Teardown, opts: { watchWindow?: number } = {}) {
  const server = await startKubeServer({ port: 0, crdDir: null, ...opts })
  t.teardown(() => server.close())
  const kc = kubeConfigFor(server)
  const core = kc.makeApiClient(CoreV1Api)
  const custom = kc.makeApiClient(CustomObjectsApi)
  for (const ns of ['clusters', 'team-a']) await core.createNamespace({ body: { metadata: { name: ns } } })
  const create = (namespace: string, name: string, extra?: Record<string, unknown>) =>
    custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, body: hostedCluster(namespace, name, extra) }) as Promise<KubeObject>
  const patch = (namespace: string, name: string, body: object) =>
    custom.patchNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)) as Promise<KubeObject>
  const remove = (namespace: string, name: string) =>
    custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name })
  return { server, create, patch, remove }
}

function cacheFor (t: Teardown, kubeConfig: KubeConfig, pageSize?: number): WatchCache<KubeObject> {
  const cache = createWatchCache<KubeObject>({ kubeConfig, group: GROUP, version: VERSION, plural: PLURAL, pageSize, backoff: { initialMs: 20, maxMs: 200 } })
  t.teardown(() => cache.stop())
  return cache
}

t.test('initial paged sync, then ADDED/MODIFIED/DELETED from the watch', async t => {
  const tw = await twin(t)
  for (let i = 0; i < 7; i++) await tw.create(i % 2 === 0 ? 'clusters' : 'team-a', `hc-${i}`)
  const cache = cacheFor(t, kubeConfigFor(tw.server), 3)
  t.same(cache.freshness(), { synced: false, watching: false, resourceVersion: '', relists: 0, reconnects: 0, lastEventAt: undefined, lastSyncAt: undefined, ageMs: undefined })
  cache.addIndex('byName', o => [o.metadata.name])
  await cache.start()
  t.equal(cache.start(), cache.start(), 'start is idempotent')
  t.equal(cache.list().length, 7, 'all pages listed')
  t.equal(cache.list(), cache.list(), 'the snapshot is reused until something changes')
  t.ok(Object.isFrozen(cache.list()))
  t.equal(cache.get('team-a', 'hc-1')?.metadata.name, 'hc-1')
  t.equal(cache.get('clusters', 'hc-1'), undefined)
  t.equal(cache.byIndex('byName', 'hc-4')[0].metadata.namespace, 'clusters')
  const f = cache.freshness()
  t.equal(f.synced, true)
  t.match(f.lastSyncAt, /^\d{4}-\d\d-\d\dT/)
  t.match(f.resourceVersion, /^\d+$/)

  const seen: string[] = []
  const off = cache.onEvent((type, obj, old) => seen.push(`${type} ${obj.metadata.name}${old ? ' had ' + old.metadata.resourceVersion : ''}`))
  const before = cache.list()
  const created = await tw.create('clusters', 'fresh', { pausedUntil: 'true' })
  const got = await cache.waitFor(o => o.metadata.uid === created.metadata.uid, 2000)
  t.equal(got.spec.pausedUntil, 'true', 'read-your-writes: the created object is visible')
  t.not(cache.list(), before, 'a change makes a new snapshot')
  const patched = await tw.patch('clusters', 'fresh', { metadata: { labels: { env: 'prod' } } })
  await cache.waitForResourceVersion(patched.metadata.resourceVersion!, 2000)
  t.equal(cache.get('clusters', 'fresh')?.metadata.labels?.env, 'prod')
  t.equal(cache.resourceVersion(), patched.metadata.resourceVersion)
  await tw.remove('clusters', 'fresh')
  await cache.waitUntil(() => cache.get('clusters', 'fresh') === undefined, 2000)
  t.same(seen, ['ADDED fresh', `MODIFIED fresh had ${created.metadata.resourceVersion}`, `DELETED fresh had ${patched.metadata.resourceVersion}`])
  t.same(cache.byIndex('byName', 'fresh'), [], 'index entries go with the object')
  off()
  await tw.create('clusters', 'after-unsubscribe')
  await cache.waitFor(o => o.metadata.name === 'after-unsubscribe', 2000)
  t.equal(seen.length, 3, 'unsubscribed listeners hear nothing')
  t.equal(cache.freshness().watching, true)
  t.equal(cache.freshness().ageMs, 0)
  t.ok(cache.freshness().lastEventAt)
})

t.test('indexes added after the sync, listener errors and waits that time out', async t => {
  const tw = await twin(t)
  await tw.create('clusters', 'one', { platform: { type: 'Agent' } })
  await tw.create('team-a', 'two', { platform: { type: 'AWS' } })
  const cache = cacheFor(t, kubeConfigFor(tw.server))
  await cache.start()
  cache.addIndex('platform', o => [o.spec.platform.type])
  t.same(cache.byIndex('platform', 'Agent').map(o => o.metadata.name), ['one'])
  t.throws(() => cache.addIndex('platform', () => []), /already exists/)
  t.throws(() => cache.byIndex('nope', 'x'), /no index named nope/)
  cache.onEvent(() => { throw new Error('listener bug') })
  await tw.patch('clusters', 'one', { spec: { platform: { type: 'AWS' } } })
  await cache.waitUntil(() => cache.byIndex('platform', 'AWS').length === 2, 2000)
  t.same(cache.byIndex('platform', 'Agent'), [], 'an index follows a changed key')
  await t.rejects(cache.waitFor(o => o.metadata.name === 'never', 50), { code: 'GW_ERR_UPSTREAM_TIMEOUT' })
  await t.rejects(cache.waitForResourceVersion('999999', 50), { code: 'GW_ERR_UPSTREAM_TIMEOUT' })
  const pending = cache.waitFor(o => o.metadata.name === 'never', 5000)
  await cache.stop()
  await t.rejects(pending, { code: 'GW_ERR_UNAVAILABLE' }, 'stop() ends pending waits')
  await t.rejects(cache.start(), { code: 'GW_ERR_UNAVAILABLE' })
  await t.rejects(cache.waitUntil(() => false, 10), { code: 'GW_ERR_UNAVAILABLE' })
})

t.test('dropped watch streams are resumed from the last resourceVersion', async t => {
  const tw = await twin(t)
  await tw.create('clusters', 'drop')
  const cache = cacheFor(t, kubeConfigFor(tw.server))
  await cache.start()
  tw.server.faults.set({ dropWatchAfter: 1 })
  const events: string[] = []
  cache.onEvent((type, obj) => events.push(`${type} ${obj.metadata.labels?.step ?? ''}`))
  let last: KubeObject | undefined
  for (let i = 1; i <= 5; i++) last = await tw.patch('clusters', 'drop', { metadata: { labels: { step: String(i) } } })
  await cache.waitForResourceVersion(last!.metadata.resourceVersion!, 3000)
  t.same(events, ['MODIFIED 1', 'MODIFIED 2', 'MODIFIED 3', 'MODIFIED 4', 'MODIFIED 5'], 'every change once, in order')
  const f = cache.freshness()
  t.ok(f.reconnects >= 1, `resumed (${f.reconnects} reconnects)`)
  t.equal(f.relists, 0, 'no relist was needed')
})

t.test('an outage longer than the watch window ends in a relist; backoff while down', async t => {
  const tw = await twin(t, { watchWindow: 5 })
  await tw.create('clusters', 'stays')
  await tw.create('clusters', 'goes')
  const relay = await startRelay(tw.server.port)
  t.teardown(() => relay.close())
  const cache = cacheFor(t, kubeConfigFor(tw.server, relay.url))
  await cache.start()
  await t.resolves(cache.waitUntil(() => cache.freshness().watching, 2000))
  const events: string[] = []
  cache.onEvent((type, obj) => events.push(`${type} ${obj.metadata.name}`))

  relay.cut()
  await cache.waitUntil(() => !cache.freshness().watching, 2000)
  for (let i = 0; i < 6; i++) await tw.create('team-a', `while-down-${i}`)
  await tw.remove('clusters', 'goes')
  await tw.patch('clusters', 'stays', { metadata: { labels: { touched: 'yes' } } })
  await new Promise(resolve => setTimeout(resolve, 150))
  t.ok((cache.freshness().ageMs ?? 0) >= 100, 'ageMs grows while the cache is cut off')
  relay.restore()

  await cache.waitUntil(() => cache.list().length === 7 && cache.get('clusters', 'stays')?.metadata.labels?.touched === 'yes', 5000)
  const f = cache.freshness()
  t.equal(f.relists, 1, 'the expired resourceVersion forced exactly one relist')
  t.ok(f.reconnects >= 2, 'and the watch was re-established')
  t.equal(cache.get('clusters', 'goes'), undefined)
  t.same(events.sort(), [
    'DELETED goes', 'MODIFIED stays',
    ...Array.from({ length: 6 }, (_, i) => `ADDED while-down-${i}`)
  ].sort(), 'the relist emits exactly the difference')
  await cache.waitUntil(() => cache.freshness().watching, 2000)
  const created = await tw.create('clusters', 'after')
  await t.resolves(cache.waitFor(o => o.metadata.uid === created.metadata.uid, 2000), 'watching again after the relist')
})

t.test('start() keeps retrying until the API server answers; stop() leaves no handles', async t => {
  const tw = await twin(t)
  const relay = await startRelay(tw.server.port)
  t.teardown(() => relay.close())
  relay.cut()
  const baseline = process.getActiveResourcesInfo().filter(r => r === 'Timeout' || r === 'TCPSocketWrap').length
  const cache = cacheFor(t, kubeConfigFor(tw.server, relay.url))
  const started = cache.start()
  await new Promise(resolve => setTimeout(resolve, 120))
  t.equal(cache.freshness().synced, false)
  relay.restore()
  await started
  t.equal(cache.freshness().synced, true)
  await cache.waitUntil(() => cache.freshness().watching, 2000)
  await cache.stop()
  await cache.stop()
  await relay.close()
  await new Promise(resolve => setTimeout(resolve, 50))
  const after = process.getActiveResourcesInfo().filter(r => r === 'Timeout' || r === 'TCPSocketWrap').length
  t.ok(after <= baseline, `no timers or sockets left behind (${after} <= ${baseline})`)
  t.equal(cache.freshness().watching, false)
})

t.test('stop() before the first sync rejects start()', async t => {
  const tw = await twin(t)
  const relay = await startRelay(tw.server.port)
  t.teardown(() => relay.close())
  relay.cut()
  const cache = cacheFor(t, kubeConfigFor(tw.server, relay.url))
  const rejected = t.rejects(cache.start(), { code: 'GW_ERR_UNAVAILABLE' })
  await cache.stop()
  await rejected
  t.throws(() => createWatchCache({ kubeConfig: kubeConfigFor(tw.server), group: '', version: 'v1', plural: 'pods' }), /group/)
})
