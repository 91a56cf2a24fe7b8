// Fault injection: latency, error and throttle rates, dropped watches, and targeted failures of given
// requests (a stage of a job broken on purpose). Adjustable while running.
export interface FaultOptions {
  latencyMs: number
  errorRate: number
  throttleRate: number
  dropWatchAfter: number
  // source of randomness for the rates; tests pass a deterministic one
  random: () => number
}

// Fails the non-watch requests whose method and path match, `times` times (absent: always): with a 500,
// or a 404 as an API server answers for a group it does not serve.
export interface FaultRule {
  method?: string
  path: RegExp
  times?: number
  status?: 404 | 500
}

export interface InjectedFault {
  // matching requests failed so far
  hits (): number
  remove (): void
}

export interface Faults {
  get (): FaultOptions
  set (patch: Partial<FaultOptions>): void
  // decides the fate of one non-watch request
  roll (): 'error' | 'throttle' | null
  inject (rule: FaultRule): InjectedFault
  // the first rule that fails this request, counting the hit
  match (method: string, path: string): FaultRule | undefined
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
  const rules = new Map<FaultRule, { hits: number }>()
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
    },
    inject (rule) {
      if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) throw new RangeError('times must be a positive integer')
      const entry = { hits: 0 }
      rules.set(rule, entry)
      return { hits: () => entry.hits, remove: () => { rules.delete(rule) } }
    },
    match (method, path) {
      for (const [rule, entry] of rules) {
        if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue
        if (!rule.path.test(path)) continue
        if (rule.times !== undefined && entry.hits >= rule.times) continue
        entry.hits++
        return rule
      }
      return undefined
    }
  }
}
