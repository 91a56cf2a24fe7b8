// A client-go style reflector + indexer for one custom resource across all namespaces: a paged LIST,
// then a WATCH from the list's resourceVersion. A stream that ends is resumed from the last
// resourceVersion seen (bookmarks keep it current); 410 Gone/Expired means the server no longer has
// that history, so the cache relists and emits the difference. Reads never touch the API server.
import { CustomObjectsApi, Watch } from '@kubernetes/client-node'
import type { KubeConfig } from '@kubernetes/client-node'
import { GatewayError } from '../errors.ts'
import { createBackoff, type BackoffOptions } from './backoff.ts'
import { createCacheStore, type CacheListener, type IndexFn } from './cache-store.ts'
import type { KubeObject } from './kube-object.ts'
import { compareResourceVersions } from './resource-version.ts'

export type { CacheEventType, CacheListener, IndexFn } from './cache-store.ts'

export type WatchCacheLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void

export interface WatchCacheOptions {
  kubeConfig: KubeConfig
  group: string
  version: string
  plural: string
  log?: WatchCacheLog
  backoff?: BackoffOptions
  // LIST page size
  pageSize?: number
  // a stream silent for this long is presumed dead and resumed; above the API server's ~60 s bookmark interval
  idleTimeoutMs?: number
  // server-side watch timeout; randomised between this and twice this, like client-go, to spread reconnects
  watchTimeoutSeconds?: number
}

export interface CacheFreshness {
  // the first full LIST has completed
  synced: boolean
  // a watch stream is established right now
  watching: boolean
  // last watch event of any kind (bookmarks included)
  lastEventAt?: string
  // last completed LIST
  lastSyncAt?: string
  resourceVersion: string
  // LISTs after the first one (410 Gone or a failed resume)
  relists: number
  // watch streams opened after the first one
  reconnects: number
  // 0 while watching; otherwise how long changes may have gone unseen. Absent before the first sync.
  ageMs?: number
}

export interface WatchCache<T extends KubeObject> {
  start (): Promise<void>
  stop (): Promise<void>
  list (): readonly T[]
  get (namespace: string | undefined, name: string): T | undefined
  addIndex (name: string, fn: IndexFn<T>): void
  byIndex (name: string, key: string): T[]
  resourceVersion (): string
  freshness (): CacheFreshness
  onEvent (cb: CacheListener<T>): () => void
  // resolves with the first cached object matching predicate (read-your-writes after a write)
  waitFor (predicate: (obj: T) => boolean, timeoutMs: number): Promise<T>
  // resolves once the cache has seen resourceVersion rv (or later)
  waitForResourceVersion (rv: string, timeoutMs: number): Promise<void>
  // resolves once condition() holds, re-checked after every change, resourceVersion or connection state
  waitUntil (condition: () => boolean, timeoutMs: number): Promise<void>
}

interface ListBody { items?: unknown[], metadata?: { resourceVersion?: string, continue?: string } }
interface WatchStatus { code?: number, reason?: string, message?: string }

// A resume that lasted this long counts as healthy and resets the backoff even if the stream was quiet.
const HEALTHY_STREAM_MS = 5000

function statusOf (err: unknown): number | undefined {
  const e = err as { code?: unknown, statusCode?: unknown } | null
  if (typeof e?.code === 'number') return e.code
  return typeof e?.statusCode === 'number' ? e.statusCode : undefined
}

function describe (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

const iso = (ms: number | undefined) => ms === undefined ? undefined : new Date(ms).toISOString()

export function createWatchCache<T extends KubeObject> (opts: WatchCacheOptions): WatchCache<T> {
  if (opts.group === '') throw new Error('createWatchCache serves custom resources: group must not be empty')
  const log: WatchCacheLog = opts.log ?? (() => {})
  const what = `${opts.plural}.${opts.group}`
  const store = createCacheStore<T>(err => log('error', 'watch cache listener failed', { resource: what, err: describe(err) }))
  const api = opts.kubeConfig.makeApiClient(CustomObjectsApi)
  // Watch has no public knob for its inactivity timeout (30 s by default, shorter than the API server's bookmark interval)
  const watch = new Watch(opts.kubeConfig)
  Reflect.set(watch, 'requestTimeoutMs', opts.idleTimeoutMs ?? 90_000)
  const backoff = createBackoff(opts.backoff)
  const path = `/apis/${opts.group}/${opts.version}/${opts.plural}`
  const pageSize = opts.pageSize ?? 500
  const watchTimeout = opts.watchTimeoutSeconds ?? 300

  let rv = ''
  let synced = false
  let relists = 0
  let reconnects = 0
  let watchesOpened = 0
  let lastEventAt: number | undefined
  let lastSyncAt: number | undefined
  // when the cache was last known to be current: end of a LIST or the moment a stream was lost
  let currentAt: number | undefined
  let watching = false
  let stopped = false
  let started: Promise<void> | undefined
  let resolveStart: (() => void) | undefined
  let rejectStart: ((err: Error) => void) | undefined
  // bumped for every LIST or WATCH attempt; callbacks of an older attempt are ignored
  let session = 0
  let timer: NodeJS.Timeout | undefined
  let abort: AbortController | undefined
  let inflight: Promise<unknown> | undefined
  const changeWaiters = new Set<{ check: () => void, fail: (err: Error) => void }>()

  const notifyWaiters = () => { for (const w of [...changeWaiters]) w.check() }
  const setRv = (next: string | undefined) => {
    if (next === undefined || next === '') return
    rv = next
    notifyWaiters()
  }

  const schedule = (fn: () => void, delayMs: number) => {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(() => { timer = undefined; fn() }, delayMs)
  }

  async function listAll (mine: number): Promise<{ items: T[], resourceVersion: string } | null> {
    const items: T[] = []
    let token: string | undefined
    let listRv = ''
    do {
      const page = await api.listClusterCustomObject({ group: opts.group, version: opts.version, plural: opts.plural, limit: pageSize, _continue: token }) as ListBody
      if (stopped || mine !== session) return null
      for (const o of page.items ?? []) items.push(o as T)
      listRv = page.metadata?.resourceVersion ?? listRv
      token = page.metadata?.continue || undefined
    } while (token !== undefined)
    return { items, resourceVersion: listRv }
  }

  function relist (): void {
    if (stopped) return
    const mine = ++session
    const attempt = listAll(mine)
    inflight = attempt
    attempt.then(result => {
      if (result === null) return
      if (synced) relists++
      backoff.reset()
      const changes = store.replace(result.items)
      lastSyncAt = currentAt = Date.now()
      synced = true
      setRv(result.resourceVersion)
      log(relists === 0 ? 'info' : 'warn', 'watch cache listed', { resource: what, items: result.items.length, changes, resourceVersion: rv })
      resolveStart?.()
      resolveStart = rejectStart = undefined
      startWatch()
    }, err => {
      if (stopped || mine !== session) return
      const delay = backoff.next()
      log('warn', 'watch cache LIST failed; retrying', { resource: what, err: describe(err), status: statusOf(err), retryInMs: delay })
      schedule(relist, delay)
    })
  }

  function startWatch (): void {
    if (stopped) return
    const mine = ++session
    const openedAt = Date.now()
    let events = 0
    let gone = false
    let ended = false
    if (watchesOpened++ > 0) reconnects++
    const query = {
      allowWatchBookmarks: true,
      resourceVersion: rv,
      timeoutSeconds: Math.round(watchTimeout * (1 + Math.random()))
    }
    const onLine = (type: string, obj: unknown) => {
      if (mine !== session) return
      lastEventAt = Date.now()
      if (type === 'ERROR') {
        const status = obj as WatchStatus
        if (status?.code === 410) gone = true
        else log('warn', 'watch cache got an ERROR event', { resource: what, code: status?.code, reason: status?.reason, message: status?.message })
        abort?.abort()
        return
      }
      events++
      const o = obj as T
      if (type === 'BOOKMARK') {
        setRv(o?.metadata?.resourceVersion)
        return
      }
      if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return
      store.apply(type, o)
      setRv(o.metadata.resourceVersion)
    }
    const onDone = (err: unknown) => {
      ended = true
      if (mine !== session || stopped) return
      if (watching) currentAt = Date.now()
      watching = false
      abort = undefined
      notifyWaiters()
      if (gone || statusOf(err) === 410) {
        log('info', 'watch cache resourceVersion expired; relisting', { resource: what, resourceVersion: rv })
        schedule(relist, 0)
        return
      }
      const healthy = events > 0 || Date.now() - openedAt >= HEALTHY_STREAM_MS
      if (healthy) backoff.reset()
      const delay = healthy ? 0 : backoff.next()
      if (!healthy) log('warn', 'watch cache stream failed; resuming', { resource: what, err: err === null || err === undefined ? 'ended without events' : describe(err), status: statusOf(err), retryInMs: delay })
      schedule(startWatch, delay)
    }
    watch.watch(path, query, onLine, onDone).then(ctrl => {
      if (mine !== session || stopped) {
        ctrl.abort()
        return
      }
      if (!ended) {
        abort = ctrl
        watching = true
        notifyWaiters()
      }
    }, err => onDone(err))
  }

  function waitUntil (condition: () => boolean, timeoutMs: number, describeWait: string): Promise<void> {
    if (condition()) return Promise.resolve()
    if (stopped) return Promise.reject(new GatewayError('GW_ERR_UNAVAILABLE', `watch cache for ${what} is stopped`))
    return new Promise((resolve, reject) => {
      const waiter = {
        check () {
          if (!condition()) return
          finish()
          resolve()
        },
        fail (err: Error) {
          finish()
          reject(err)
        }
      }
      const t = setTimeout(() => waiter.fail(new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', `watch cache for ${what} did not see ${describeWait} within ${timeoutMs} ms`)), timeoutMs)
      const off = store.subscribe(() => waiter.check())
      const finish = () => {
        clearTimeout(t)
        off()
        changeWaiters.delete(waiter)
      }
      changeWaiters.add(waiter)
    })
  }

  return {
    start () {
      if (stopped) return Promise.reject(new GatewayError('GW_ERR_UNAVAILABLE', `watch cache for ${what} is stopped`))
      if (started === undefined) {
        started = new Promise<void>((resolve, reject) => { resolveStart = resolve; rejectStart = reject })
        relist()
      }
      return started
    },
    async stop () {
      if (stopped) return
      stopped = true
      session++
      clearTimeout(timer)
      abort?.abort()
      watching = false
      rejectStart?.(new GatewayError('GW_ERR_UNAVAILABLE', `watch cache for ${what} stopped before its first sync`))
      for (const w of [...changeWaiters]) w.fail(new GatewayError('GW_ERR_UNAVAILABLE', `watch cache for ${what} is stopped`))
      await inflight?.catch(() => {})
    },
    list: () => store.list(),
    get: (namespace, name) => store.get(namespace, name),
    addIndex: (name, fn) => store.addIndex(name, fn),
    byIndex: (name, key) => store.byIndex(name, key),
    resourceVersion: () => rv,
    freshness () {
      return {
        synced,
        watching,
        lastEventAt: iso(lastEventAt),
        lastSyncAt: iso(lastSyncAt),
        resourceVersion: rv,
        relists,
        reconnects,
        ageMs: watching ? 0 : currentAt === undefined ? undefined : Date.now() - currentAt
      }
    },
    onEvent: cb => store.subscribe(cb),
    async waitFor (predicate, timeoutMs) {
      for (const o of store.list()) if (predicate(o)) return o
      // later changes are checked one object at a time instead of rescanning the whole cache
      let found: T | undefined
      const off = store.subscribe((type, obj) => {
        if (found === undefined && type !== 'DELETED' && predicate(obj)) found = obj
      })
      try {
        await waitUntil(() => found !== undefined, timeoutMs, 'the expected object')
      } finally {
        off()
      }
      return found!
    },
    waitForResourceVersion (target, timeoutMs) {
      return waitUntil(() => compareResourceVersions(rv, target) >= 0, timeoutMs, `resourceVersion ${target}`)
    },
    waitUntil: (condition, timeoutMs) => waitUntil(condition, timeoutMs, 'the awaited condition')
  }
}
