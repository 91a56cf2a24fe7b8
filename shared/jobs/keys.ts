import { createHash, randomUUID } from 'node:crypto'
import { allJobKinds, type JobKind } from './kinds.ts'

// Our own keys live beside BullMQ's under the same prefix; 'hcpgw-jobs' is no queue name, so they never collide.
const NS = 'hcpgw-jobs'

export function jobKeys (prefix: string) {
  return {
    // Every job id, scored by creation time: the newest-first list across all kinds.
    index: `${prefix}:${NS}:index`,
    cancel: (id: string) => `${prefix}:${NS}:cancel:${id}`,
    natural: (kind: JobKind, key: string) => `${prefix}:${NS}:natural:${kind}.${key}`,
    // Every worker and api replica subscribes; a cancel from any replica reaches the worker running the job.
    cancelChannel: `${prefix}:${NS}:cancel`
  }
}

// Natural keys are built from Kubernetes names (DNS-1123), so '_' never occurs in them and can separate a run number.
export const NATURAL_KEY_PATTERN = /^[a-z0-9]([a-z0-9.-]{0,200}[a-z0-9])?$/

// Ids are '<kind>.<rest>': the kind (and so the queue) is known from the id alone, ids never contain ':'
// and are never all digits, as BullMQ requires of custom ids.
export const JOB_ID_PATTERN = '^[a-z][a-z0-9-]*\\.[A-Za-z0-9._-]{1,240}$'

export function kindOfJobId (id: string): JobKind | undefined {
  const kind = id.slice(0, id.indexOf('.'))
  return (allJobKinds as string[]).includes(kind) ? kind as JobKind : undefined
}

export function randomJobId (kind: JobKind): string {
  return `${kind}.${randomUUID()}`
}

// The same caller and key always name the same job; the hash keeps arbitrary header values out of ids.
export function idempotentJobId (kind: JobKind, createdBy: string, key: string): string {
  return `${kind}.k-${createHash('sha256').update(`${createdBy}\0${key}`).digest('hex').slice(0, 32)}`
}

// Run 1 of a natural key is '<kind>.<key>'; later runs (after a success) are '<kind>.<key>_<n>'.
export function naturalJobId (kind: JobKind, key: string, run: number): string {
  const base = key.startsWith(`${kind}.`) ? key : `${kind}.${key}`
  return run <= 1 ? base : `${base}_${run}`
}

export function jobLinks (id: string) {
  const self = `/api/v1/jobs/${id}`
  return { self, events: `${self}/events`, cancel: `${self}/cancel`, retry: `${self}/retry` }
}
