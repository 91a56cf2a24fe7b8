// Watch streams: newline-delimited JSON events over a chunked 200 answer, resumable from the
// retained history, with bookmarks, timeouts, selector transitions and dropped-stream faults.
import type { ServerResponse } from 'node:http'
import type { Faults } from './faults.ts'
import type { Selector } from './selectors.ts'
import { badRequest } from './status.ts'
import type { Store, StoreEvent } from './store.ts'
import { toTable } from './table.ts'
import { apiVersionOf, resourceKey } from './types.ts'
import type { KubeObject, ResourceInfo } from './types.ts'

export interface WatchRequest {
  r: ResourceInfo
  namespace?: string
  selectors: Selector[]
  resourceVersion?: string
  allowBookmarks: boolean
  timeoutSeconds?: number
  table: boolean
}

export interface WatchContext {
  store: Store
  faults: Faults
  bookmarkIntervalMs: number
  // closers of open watches, so the server can end them on close()
  open: Set<() => void>
}

type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED'

export function serveWatch (res: ServerResponse, w: WatchRequest, ctx: WatchContext): void {
  const { store } = ctx
  const key = resourceKey(w.r)
  const rvText = w.resourceVersion ?? ''
  if (rvText !== '' && !/^\d+$/.test(rvText)) throw badRequest(`resourceVersion: Invalid value: "${rvText}": must be a valid resource version`)
  const matches = (o: KubeObject) => (w.namespace === undefined || o.metadata.namespace === w.namespace) && w.selectors.every(s => s(o))
  const translate = (e: StoreEvent): WatchType | null => {
    const now = e.type !== 'DELETED' && matches(e.object)
    const before = e.type === 'DELETED' ? matches(e.object) : e.prev !== undefined && matches(e.prev)
    if (e.type === 'DELETED') return before ? 'DELETED' : null
    if (now) return before ? 'MODIFIED' : 'ADDED'
    return before ? 'DELETED' : null
  }

  res.socket?.setNoDelay(true)
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' })
  res.flushHeaders()
  let sent = 0
  let first = true
  const dropAfter = ctx.faults.get().dropWatchAfter
  const write = (type: string, object: unknown) => {
    if (res.writableEnded) return
    let payload = object
    if (w.table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      payload = toTable(w.r, [object as KubeObject], { resourceVersion: (object as KubeObject).metadata.resourceVersion }, first)
      first = false
    }
    res.write(JSON.stringify({ type, object: payload }) + '\n')
    sent++
    if (dropAfter > 0 && sent >= dropAfter && type !== 'ERROR') close()
  }

  const rv = rvText === '' ? 0 : Number(rvText)
  const backlog: Array<{ type: WatchType, object: KubeObject }> = []
  if (rv === 0) {
    for (const o of store.list(key, w.namespace)) if (matches(o)) backlog.push({ type: 'ADDED', object: o })
  } else {
    const events = store.since(key, rv)
    if (events === null) {
      write('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${rv} (${store.compacted()})`,
        reason: 'Expired',
        code: 410
      })
      res.end()
      return
    }
    for (const e of events) {
      const t = translate(e)
      if (t !== null) backlog.push({ type: t, object: e.object })
    }
  }

  const unsubscribe = store.subscribe(e => {
    if (e.resource !== key) return
    const t = translate(e)
    if (t !== null) write(t, e.object)
  })
  const timers: NodeJS.Timeout[] = []
  function close (): void {
    unsubscribe()
    for (const t of timers) clearTimeout(t)
    ctx.open.delete(close)
    if (!res.writableEnded) res.end()
  }
  ctx.open.add(close)
  res.on('close', close)
  if (w.allowBookmarks) {
    timers.push(setInterval(() => {
      write('BOOKMARK', { kind: w.r.kind, apiVersion: apiVersionOf(w.r), metadata: { resourceVersion: String(store.rv()) } })
    }, ctx.bookmarkIntervalMs))
  }
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) timers.push(setTimeout(close, w.timeoutSeconds * 1000))
  for (const b of backlog) write(b.type, b.object)
}
