import { GatewayError, type FieldError } from '../errors.ts'

// The HA hosted-control-plane sizing baseline. Key names are the ones of the `hcp-sizing-baseline`
// ConfigMap the hypershift-addon reads (docs 002_ch1-3 §3.3), so an override can be pasted as is.
export interface SizingBaseline {
  cpuRequestPerHCP: number
  memoryRequestPerHCP: number
  podsPerHCP: number
  idleCPUUsage: number
  incrementalCPUUsagePer1KQPS: number
  idleMemoryUsage: number
  incrementalMemUsagePer1KQPS: number
  minimumQPSPerHCP: number
  mediumQPSPerHCP: number
  highQPSPerHCP: number
}

export const BASELINE_KEYS = [
  'cpuRequestPerHCP', 'memoryRequestPerHCP', 'podsPerHCP', 'idleCPUUsage', 'incrementalCPUUsagePer1KQPS',
  'idleMemoryUsage', 'incrementalMemUsagePer1KQPS', 'minimumQPSPerHCP', 'mediumQPSPerHCP', 'highQPSPerHCP'
] as const satisfies ReadonlyArray<keyof SizingBaseline>

export const DEFAULT_BASELINE: SizingBaseline = {
  cpuRequestPerHCP: 5, // §3.2.2: an HA HCP requests 5 vCPU
  memoryRequestPerHCP: 18, // §3.2.2: and 18 GiB
  podsPerHCP: 75, // §3.2.1: plan ~75 pods per HA HCP (the formulas use 75, not the 78 of §3.2)
  idleCPUUsage: 2.9, // §3.2.3: vCPU used at low load
  incrementalCPUUsagePer1KQPS: 9.0, // §3.2.3: +9 vCPU per +1000 QPS
  idleMemoryUsage: 11.1, // §3.2.3: GiB used at low load
  incrementalMemUsagePer1KQPS: 2.5, // §3.2.3: +2.5 GiB per +1000 QPS
  minimumQPSPerHCP: 50, // §3.2.2 capacity metrics: "low" = ~50 QPS
  mediumQPSPerHCP: 1000, // §3.2.3: 1000 QPS = medium
  highQPSPerHCP: 2000 // §3.2.3: 2000 QPS = high
}

export const BASELINE_SECTIONS: Record<keyof SizingBaseline, string> = {
  cpuRequestPerHCP: '§3.2.2',
  memoryRequestPerHCP: '§3.2.2',
  podsPerHCP: '§3.2.1',
  idleCPUUsage: '§3.2.3',
  incrementalCPUUsagePer1KQPS: '§3.2.3',
  idleMemoryUsage: '§3.2.3',
  incrementalMemUsagePer1KQPS: '§3.2.3',
  minimumQPSPerHCP: '§3.2.2 (capacity metrics)',
  mediumQPSPerHCP: '§3.2.3',
  highQPSPerHCP: '§3.2.3'
}

const FLOAT = /^\s*[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/

// Parses the data of an `hcp-sizing-baseline` ConfigMap: every value is a string holding a positive
// float (the addon parses them as floats); unknown keys are reported rather than silently ignored.
export function parseSizingBaseline (data: Record<string, string> | undefined): Partial<SizingBaseline> {
  const out: Partial<SizingBaseline> = {}
  const errors: FieldError[] = []
  for (const [key, text] of Object.entries(data ?? {})) {
    if (!(BASELINE_KEYS as readonly string[]).includes(key)) {
      errors.push({ field: `data.${key}`, message: `is not a sizing baseline key (one of ${BASELINE_KEYS.join(', ')})`, constraint: 'additionalProperties' })
      continue
    }
    const value = FLOAT.test(text) ? Number(text) : NaN
    if (!Number.isFinite(value) || value <= 0) {
      errors.push({ field: `data.${key}`, message: 'must be a positive number', constraint: 'exclusiveMinimum' })
      continue
    }
    out[key as keyof SizingBaseline] = value
  }
  if (errors.length > 0) {
    throw new GatewayError('GW_ERR_VALIDATION', errors.map(e => `${e.field} ${e.message}`).join('; '), { errors })
  }
  return out
}
