// Conditions as HyperShift writes them (metav1.Condition), normalised for the API: every key present.
import type { Condition } from './schemas.ts'

interface RawCondition {
  type?: unknown
  status?: unknown
  reason?: unknown
  message?: unknown
  observedGeneration?: unknown
  lastTransitionTime?: unknown
}

const STATUSES = new Set(['True', 'False', 'Unknown'])

export function rawConditions (status: unknown): RawCondition[] {
  const list = (status as { conditions?: unknown } | undefined)?.conditions
  return Array.isArray(list) ? list as RawCondition[] : []
}

export function toConditions (status: unknown): Condition[] {
  const out: Condition[] = []
  for (const c of rawConditions(status)) {
    if (typeof c?.type !== 'string') continue
    out.push({
      type: c.type,
      status: STATUSES.has(c.status as string) ? c.status as Condition['status'] : 'Unknown',
      reason: typeof c.reason === 'string' ? c.reason : '',
      message: typeof c.message === 'string' ? c.message : '',
      observedGeneration: typeof c.observedGeneration === 'number' ? c.observedGeneration : null,
      lastTransitionTime: typeof c.lastTransitionTime === 'string' ? c.lastTransitionTime : null
    })
  }
  return out
}

// The status of one condition type ('True' | 'False' | 'Unknown'), undefined when absent.
export function conditionStatus (status: unknown, type: string): string | undefined {
  for (const c of rawConditions(status)) if (c?.type === type) return typeof c.status === 'string' ? c.status : undefined
  return undefined
}

export function conditionReason (status: unknown, type: string): string | undefined {
  for (const c of rawConditions(status)) if (c?.type === type) return typeof c.reason === 'string' ? c.reason : undefined
  return undefined
}
