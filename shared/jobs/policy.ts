import type { JobsOptions } from 'bullmq'
import type { JobKind } from './kinds.ts'

// The parts of a job definition the submitting side needs: its plan and retry policy. The worker's
// defineJob produces one per kind, so both sides read the same numbers.
export interface JobPolicy {
  kind: JobKind
  stages: string[]
  attempts: number
  backoff: { delay: number, jitter: number }
}

export const DEFAULT_ATTEMPTS = 3
export const DEFAULT_BACKOFF = { delay: 2000, jitter: 0.5 }

export function defaultPolicy (kind: JobKind): JobPolicy {
  return { kind, stages: [], attempts: DEFAULT_ATTEMPTS, backoff: DEFAULT_BACKOFF }
}

// History is kept by age; BullMQ evicts expired jobs when a later job of the queue finishes.
export function jobOptions (policy: JobPolicy, historySeconds: number): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoff.delay, jitter: policy.backoff.jitter },
    removeOnComplete: { age: historySeconds },
    removeOnFail: { age: historySeconds }
  }
}
