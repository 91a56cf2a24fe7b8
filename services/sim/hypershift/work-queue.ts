// A keyed, de-duplicating reconcile queue in the spirit of client-go's workqueue: a key is never
// reconciled twice at once, a key added while running is reconciled again afterwards, and every key is
// reconciled at most once per `minIntervalMs` so that simulated progress advances one step at a time.

export interface WorkQueue {
  add (key: string, delayMs?: number): void
  idle (): Promise<void>
  close (): Promise<void>
  readonly size: number
}

export interface WorkQueueOptions {
  minIntervalMs: number
  handler: (key: string) => Promise<void>
  onError: (key: string, err: unknown) => void
  // delay before retrying a key whose handler threw
  retryDelayMs: number
}

export function createWorkQueue (opts: WorkQueueOptions): WorkQueue {
  const timers = new Map<string, { due: number, timer: NodeJS.Timeout }>()
  const running = new Map<string, Promise<void>>()
  const rerun = new Set<string>()
  const lastRun = new Map<string, number>()
  let idleWaiters: Array<() => void> = []
  let closed = false

  function checkIdle (): void {
    if (timers.size > 0 || running.size > 0) return
    const waiters = idleWaiters
    idleWaiters = []
    for (const fn of waiters) fn()
  }

  function add (key: string, delayMs = 0): void {
    if (closed) return
    if (running.has(key) && delayMs === 0) {
      rerun.add(key)
      return
    }
    const now = Date.now()
    const earliest = (lastRun.get(key) ?? -Infinity) + opts.minIntervalMs
    const due = Math.max(now + delayMs, earliest)
    const existing = timers.get(key)
    if (existing !== undefined) {
      if (existing.due <= due) return
      clearTimeout(existing.timer)
    }
    const timer = setTimeout(() => { fire(key) }, Math.max(0, due - now))
    timers.set(key, { due, timer })
  }

  function fire (key: string): void {
    timers.delete(key)
    if (closed) return
    if (running.has(key)) {
      rerun.add(key)
      return
    }
    lastRun.set(key, Date.now())
    const p = (async () => {
      try {
        await opts.handler(key)
      } catch (err) {
        opts.onError(key, err)
        add(key, opts.retryDelayMs)
      }
    })()
    running.set(key, p)
    p.finally(() => {
      running.delete(key)
      if (rerun.delete(key)) add(key)
      checkIdle()
    }).catch(() => {})
  }

  return {
    add,
    get size () { return timers.size + running.size },
    idle () {
      if (timers.size === 0 && running.size === 0) return Promise.resolve()
      return new Promise((resolve) => { idleWaiters.push(resolve) })
    },
    async close () {
      closed = true
      for (const { timer } of timers.values()) clearTimeout(timer)
      timers.clear()
      await Promise.allSettled([...running.values()])
      checkIdle()
    }
  }
}
