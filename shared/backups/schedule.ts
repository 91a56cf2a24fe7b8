import { randomBytes } from 'node:crypto'
import { CronExpressionParser } from 'cron-parser'
import type { KubeObject } from '../kube/kube-object.ts'
import type { FieldError } from '../errors.ts'
import { CLUSTER_LABEL, CLUSTER_NAMESPACE_LABEL } from './catalogue.ts'
import type { Retention } from './retention.ts'

export const SCHEDULE_CONFIGMAP_LABEL = 'hcp-gateway.io/backup-schedule'

export interface ScheduleDefinition {
  id: string
  cluster: string
  namespace: string
  cron: string
  timezone: string
  retention: Retention
  createdAt: string
  createdBy: string
  // Written by each run: the fire time it handled and how it ended.
  lastRunAt?: string
  lastResult?: 'succeeded' | 'failed'
  lastError?: string
  lastBackupId?: string
}

export function scheduleId (cluster: string, random: (n: number) => Buffer = randomBytes): string {
  return `${cluster}-sched-${random(4).toString('hex')}`
}

// Checks the cron and time zone the way BullMQ will read them (both use cron-parser).
export function validateSchedule (input: { cron: string, timezone?: string, retention: Retention }): FieldError[] {
  const errors: FieldError[] = []
  try {
    CronExpressionParser.parse(input.cron, { tz: input.timezone ?? 'UTC', strict: false })
    if (input.cron.trim().split(/\s+/).length > 6) throw new Error('too many fields')
  } catch (err) {
    errors.push({ field: 'body.cron', message: `is not a valid cron expression: ${(err as Error).message}`, constraint: 'cron' })
  }
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) {
    errors.push({ field: 'body.timezone', message: `${input.timezone} is not an IANA time zone`, constraint: 'timezone' })
  }
  if (input.retention.keepLast === undefined && input.retention.maxAgeDays === undefined) {
    errors.push({ field: 'body.retention', message: 'needs at least one rule: keepLast or maxAgeDays', constraint: 'required' })
  }
  return errors
}

function isTimeZone (tz: string): boolean {
  try {
    Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

const MAX_COUNTED = 1000

// Fire times after the last recorded run whose next fire time has also passed: a whole period went by
// and no run was recorded, so the run is missed (not merely still running).
export function missedRuns (def: Pick<ScheduleDefinition, 'cron' | 'timezone' | 'createdAt' | 'lastRunAt'>, now: Date): number {
  const since = new Date(Math.max(Date.parse(def.createdAt), def.lastRunAt ? Date.parse(def.lastRunAt) + 1 : 0))
  const it = CronExpressionParser.parse(def.cron, { tz: def.timezone, currentDate: since, endDate: now })
  const fires: number[] = []
  while (it.hasNext() && fires.length < MAX_COUNTED + 1) fires.push(it.next().getTime())
  // The newest fire time may still be running; it only counts once the one after it has come.
  return Math.max(0, Math.min(MAX_COUNTED, fires.length - 1))
}

export function previousFire (def: Pick<ScheduleDefinition, 'cron' | 'timezone'>, now: Date): Date | undefined {
  const it = CronExpressionParser.parse(def.cron, { tz: def.timezone, currentDate: now })
  return it.hasPrev() ? it.prev().toDate() : undefined
}

export function nextFire (def: Pick<ScheduleDefinition, 'cron' | 'timezone'>, now: Date): Date {
  return CronExpressionParser.parse(def.cron, { tz: def.timezone, currentDate: now }).next().toDate()
}

export function scheduleToConfigMap (def: ScheduleDefinition, namespace: string): KubeObject {
  const data: Record<string, string> = {
    id: def.id,
    cluster: def.cluster,
    namespace: def.namespace,
    cron: def.cron,
    timezone: def.timezone,
    retention: JSON.stringify(def.retention),
    createdAt: def.createdAt,
    createdBy: def.createdBy
  }
  for (const k of ['lastRunAt', 'lastResult', 'lastError', 'lastBackupId'] as const) {
    const v = def[k]
    if (v !== undefined) data[k] = v
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: def.id,
      namespace,
      labels: { [SCHEDULE_CONFIGMAP_LABEL]: 'true', [CLUSTER_LABEL]: def.cluster, [CLUSTER_NAMESPACE_LABEL]: def.namespace }
    },
    data
  }
}

export function scheduleFromConfigMap (cm: { data?: Record<string, string> }): ScheduleDefinition | undefined {
  const d = cm.data ?? {}
  if (!['id', 'cluster', 'namespace', 'cron', 'timezone', 'retention', 'createdAt', 'createdBy'].every(k => typeof d[k] === 'string')) return undefined
  let retention: Retention
  try {
    retention = JSON.parse(d.retention) as Retention
  } catch {
    return undefined
  }
  const def: ScheduleDefinition = {
    id: d.id, cluster: d.cluster, namespace: d.namespace, cron: d.cron, timezone: d.timezone, retention, createdAt: d.createdAt, createdBy: d.createdBy
  }
  if (d.lastRunAt) def.lastRunAt = d.lastRunAt
  if (d.lastResult === 'succeeded' || d.lastResult === 'failed') def.lastResult = d.lastResult
  if (d.lastError) def.lastError = d.lastError
  if (d.lastBackupId) def.lastBackupId = d.lastBackupId
  return def
}
