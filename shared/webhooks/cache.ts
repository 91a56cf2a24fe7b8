import type { Subscription } from './schema.ts'
import type { SubscriptionStore } from './store.ts'

export type CacheLog = (level: 'warn' | 'info', msg: string, extra?: object) => void

export interface SubscriptionCache {
  start (): Promise<void>
  stop (): void
  refresh (): Promise<void>
  list (): Subscription[]
  get (id: string): Subscription | undefined
  // this replica's own writes, visible before the next relist
  put (sub: Subscription): void
  drop (id: string): void
  freshness (): { synced: boolean, lastSyncAt?: number, ageMs?: number }
}

// Every replica relists the (few) subscription Secrets every few seconds; a replica's own writes apply
// at once, so its create/delete answers and the next event agree. A relist that began before a local
// write cannot undo it.
export function createSubscriptionCache (store: SubscriptionStore, opts: { relistMs: number, log: CacheLog }): SubscriptionCache {
  let items = new Map<string, Subscription>()
  const localWrites = new Map<string, { at: number, sub?: Subscription }>()
  let synced = false
  let lastSyncAt: number | undefined
  let timer: NodeJS.Timeout | undefined
  let inflight: Promise<void> | undefined
  let failing = false

  async function relist (): Promise<void> {
    const startedAt = Date.now()
    const listed = await store.list()
    const next = new Map(listed.map(s => [s.id, s]))
    for (const [id, write] of localWrites) {
      if (write.at < startedAt) {
        localWrites.delete(id)
        continue
      }
      if (write.sub) next.set(id, write.sub)
      else next.delete(id)
    }
    items = next
    synced = true
    lastSyncAt = Date.now()
    if (failing) opts.log('info', 'webhook subscriptions readable again', { count: items.size })
    failing = false
  }

  function refresh (): Promise<void> {
    inflight ??= relist().finally(() => { inflight = undefined })
    return inflight
  }

  const tick = () => {
    refresh().catch(err => {
      if (!failing) opts.log('warn', 'webhook subscriptions could not be listed; keeping the last list', { err: (err as Error).message })
      failing = true
    })
  }

  return {
    async start () {
      if (timer) return
      timer = setInterval(tick, opts.relistMs)
      timer.unref()
      await refresh().catch(err => {
        failing = true
        opts.log('warn', 'webhook subscriptions could not be listed yet', { err: (err as Error).message })
      })
    },
    stop () {
      clearInterval(timer)
      timer = undefined
    },
    refresh,
    list: () => [...items.values()],
    get: id => items.get(id),
    put (sub) {
      localWrites.set(sub.id, { at: Date.now(), sub })
      items.set(sub.id, sub)
    },
    drop (id) {
      localWrites.set(id, { at: Date.now() })
      items.delete(id)
    },
    freshness: () => ({ synced, lastSyncAt, ageMs: lastSyncAt === undefined ? undefined : Date.now() - lastSyncAt })
  }
}
