import { setTimeout as sleep } from 'node:timers/promises'

// Polls until fn gives a value (neither undefined nor false); the last error it threw is in the message.
export async function waitFor<T> (what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < end) {
    try {
      const v = await fn()
      if (v !== undefined && v !== false) return v
    } catch (err) { last = err }
    await sleep(everyMs)
  }
  throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)${last === undefined ? '' : `: ${String(last)}`}`)
}
