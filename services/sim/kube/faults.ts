// Fault injection: latency, error and throttle rates, dropped watches. Adjustable while running.
export interface FaultOptions {
  latencyMs: number
  errorRate: number
  throttleRate: number
  dropWatchAfter: number
  // source of randomness for the rates; tests pass a deterministic one
  random: () => number
}

export interface Faults {
  get (): FaultOptions
  set (patch: Partial<FaultOptions>): void
  // decides the fate of one non-watch request
  roll (): 'error' | 'throttle' | null
}

export function createFaults (initial: Partial<FaultOptions> = {}): Faults {
  let current: FaultOptions = { latencyMs: 0, errorRate: 0, throttleRate: 0, dropWatchAfter: 0, random: Math.random, ...initial }
  const check = (o: FaultOptions) => {
    for (const k of ['errorRate', 'throttleRate'] as const) {
      if (!(o[k] >= 0 && o[k] <= 1)) throw new RangeError(`${k} must be within 0..1`)
    }
    if (!(o.latencyMs >= 0) || !(o.dropWatchAfter >= 0)) throw new RangeError('latencyMs and dropWatchAfter must be >= 0')
  }
  check(current)
  return {
    get: () => ({ ...current }),
    set (patch) {
      const next = { ...current, ...patch }
      check(next)
      current = next
    },
    roll () {
      if (current.errorRate === 0 && current.throttleRate === 0) return null
      const x = current.random()
      if (x < current.errorRate) return 'error'
      if (x < current.errorRate + current.throttleRate) return 'throttle'
      return null
    }
  }
}
