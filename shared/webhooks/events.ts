import { createHash } from 'node:crypto'
import { clusterPhase, nodePoolPhase } from '../clusters/phase.ts'
import type { KubeObject } from '../kube/kube-object.ts'
import type { CacheEventType } from '../kube/cache-store.ts'
import { JobKinds } from '../jobs/kinds.ts'
import type { JobRecord } from '../jobs/schema.ts'
import type { WebhookEvent, WebhookEventType } from './schema.ts'

// Every replica derives the same id from the same change, so the Redis claim lets exactly one enqueue it,
// and the id doubles as the webhook-id header receivers dedupe on.
export function eventId (...parts: string[]): string {
  return `evt_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`
}

const JOB_EVENTS: Partial<Record<JobRecord['state'], WebhookEventType>> = {
  succeeded: 'job.succeeded',
  failed: 'job.failed',
  cancelled: 'job.cancelled'
}

// A job that ends again after a retry has a new finishedAt, so it is a new event.
export function jobEvent (record: JobRecord, now = new Date()): WebhookEvent | undefined {
  const type = JOB_EVENTS[record.state]
  // Deliveries reporting on deliveries would never end.
  if (!type || record.kind === JobKinds.webhookDelivery) return undefined
  return {
    id: eventId(type, record.id, record.finishedAt ?? record.progress.updatedAt),
    type,
    timestamp: record.finishedAt ?? now.toISOString(),
    ...(record.target.namespace ? { namespace: record.target.namespace } : {}),
    data: record
  }
}

function objectEvent (type: WebhookEventType, obj: KubeObject, version: string, data: unknown, now: Date): WebhookEvent {
  return {
    id: eventId(type, obj.metadata.uid ?? `${obj.metadata.namespace}/${obj.metadata.name}`, version),
    type,
    timestamp: now.toISOString(),
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    data
  }
}

// A transition into Ready or Degraded (not every update while it stays there), or the object's removal.
export function clusterEvent (change: CacheEventType, obj: KubeObject, old: KubeObject | undefined, view: () => unknown, now = new Date()): WebhookEvent | undefined {
  if (change === 'DELETED') return objectEvent('cluster.deleted', obj, 'deleted', view(), now)
  const phase = clusterPhase(obj, now.getTime())
  const before = old ? clusterPhase(old, now.getTime()) : undefined
  if (phase === before) return undefined
  const rv = obj.metadata.resourceVersion ?? ''
  if (phase === 'Ready') return objectEvent('cluster.ready', obj, rv, view(), now)
  if (phase === 'Degraded') return objectEvent('cluster.degraded', obj, rv, view(), now)
  return undefined
}

export function nodePoolEvent (change: CacheEventType, obj: KubeObject, old: KubeObject | undefined, view: () => unknown, now = new Date()): WebhookEvent | undefined {
  if (change === 'DELETED') return undefined
  if (nodePoolPhase(obj) !== 'Ready' || (old && nodePoolPhase(old) === 'Ready')) return undefined
  return objectEvent('nodepool.ready', obj, obj.metadata.resourceVersion ?? '', view(), now)
}
