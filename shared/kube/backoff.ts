// Exponential backoff with jitter and a cap, for reconnect loops. Jitter spreads the retries of many
// gateway replicas so an API server coming back is not hit by all of them in the same millisecond.
export interface BackoffOptions {
  initialMs?: number
  maxMs?: number
  factor?: number
  // fraction of the delay randomised either way (0..1)
  jitter?: number
  random?: () => number
}

export interface Backoff {
  // the delay before the next attempt; each call grows the following one
  next (): number
  reset (): void
  attempts (): number
}

export function createBackoff (opts: BackoffOptions = {}): Backoff {
  const initialMs = opts.initialMs ?? 250
  const maxMs = opts.maxMs ?? 30_000
  const factor = opts.factor ?? 2
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.2))
  const random = opts.random ?? Math.random
  let attempt = 0
  return {
    next () {
      const base = Math.min(maxMs, initialMs * factor ** attempt)
      attempt++
      const spread = 1 + jitter * (random() * 2 - 1)
      return Math.round(Math.min(maxMs, base * spread))
    },
    reset () { attempt = 0 },
    attempts: () => attempt
  }
}
