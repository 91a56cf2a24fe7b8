import { Watch } from '@kubernetes/client-node'
import type { KubeConfig } from '@kubernetes/client-node'
import { errorMessage, statusCode } from './kube-client.ts'
import type { LogFn } from './types.ts'

export interface WatchedObject {
  metadata?: { name?: string, namespace?: string, resourceVersion?: string }
}

export interface ResourceWatchOptions {
  kc: KubeConfig
  // collection path, e.g. /apis/apps/v1/statefulsets
  path: string
  labelSelector?: string
  list: () => Promise<{ items: WatchedObject[], metadata?: { resourceVersion?: string } }>
  onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: WatchedObject) => void
  log: LogFn
  retryDelayMs: number
}

export interface ResourceWatch { stop (): void }

// List, then watch from the list's resourceVersion. A dropped connection resumes from the last
// resourceVersion seen; 410 Gone (expired resourceVersion) falls back to a fresh list, exactly like a
// client-go reflector. Every listed item is replayed as ADDED so handlers can treat it as a resync.
export function watchResource (opts: ResourceWatchOptions): ResourceWatch {
  const watch = new Watch(opts.kc)
  let stopped = false
  let abort: AbortController | undefined
  let retryTimer: NodeJS.Timeout | undefined
  let resourceVersion: string | undefined

  const retry = (fn: () => Promise<void>): void => {
    if (stopped) return
    retryTimer = setTimeout(() => { fn().catch(() => {}) }, opts.retryDelayMs)
  }

  async function relist (): Promise<void> {
    if (stopped) return
    try {
      const list = await opts.list()
      if (stopped) return
      resourceVersion = list.metadata?.resourceVersion
      for (const item of list.items) opts.onEvent('ADDED', item)
      await startWatch()
    } catch (err) {
      opts.log('warn', 'list failed; retrying', { path: opts.path, err: errorMessage(err) })
      retry(relist)
    }
  }

  async function startWatch (): Promise<void> {
    if (stopped) return
    let gone = false
    const query: Record<string, string | boolean> = { allowWatchBookmarks: true }
    if (resourceVersion !== undefined) query.resourceVersion = resourceVersion
    if (opts.labelSelector !== undefined) query.labelSelector = opts.labelSelector
    try {
      abort = await watch.watch(opts.path, query, (phase, obj: WatchedObject & { code?: number }) => {
        if (phase === 'ERROR') {
          if (obj?.code === 410) gone = true
          return
        }
        const rv = obj?.metadata?.resourceVersion
        if (rv !== undefined) resourceVersion = rv
        if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') opts.onEvent(phase, obj)
      }, (err: unknown) => {
        abort = undefined
        if (stopped) return
        if (gone || statusCode(err) === 410) {
          retry(relist)
          return
        }
        if (err !== null && err !== undefined && (err as { name?: string }).name !== 'AbortError') {
          opts.log('warn', 'watch ended with error; resuming', { path: opts.path, err: errorMessage(err) })
        }
        retry(startWatch)
      })
      if (stopped) abort.abort()
    } catch (err) {
      if (stopped) return
      if (statusCode(err) === 410) retry(relist)
      else {
        opts.log('warn', 'watch failed; relisting', { path: opts.path, err: errorMessage(err) })
        retry(relist)
      }
    }
  }

  relist().catch(() => {})

  return {
    stop () {
      stopped = true
      if (retryTimer !== undefined) clearTimeout(retryTimer)
      abort?.abort()
    }
  }
}
