import type { Queue } from 'bullmq'
import { GatewayError } from '../errors.ts'
import { canSeeNamespace, type Principal } from '../auth/principal.ts'
import { jobOptions, type JobPolicy } from '../jobs/policy.ts'
import type { JobData } from '../jobs/record.ts'
import type { KubeObject } from '../kube/kube-object.ts'
import type { Strategy } from './catalogue.ts'
import type { StoreLocation } from './params.ts'
import type { BackupRecords } from './records.ts'
import type { Retention } from './retention.ts'
import { missedRuns, nextFire, scheduleId, validateSchedule, type ScheduleDefinition } from './schedule.ts'

export interface ScheduleServiceDeps {
  records: BackupRecords
  // The backup-prune queue: each fire of a schedule is one job there (snapshot, then prune).
  queue: Queue
  policy: JobPolicy
  historySeconds: number
  store: StoreLocation
  strategyFor (requested?: Strategy): Promise<Strategy>
  findCluster (principal: Principal, name: string): KubeObject
}

export interface ScheduleView extends ScheduleDefinition {
  nextRunAt: string
  missedRuns: number
}

export function scheduleView (def: ScheduleDefinition, now = new Date()): ScheduleView {
  return { ...def, nextRunAt: nextFire(def, now).toISOString(), missedRuns: missedRuns(def, now) }
}

export function createScheduleService (deps: ScheduleServiceDeps) {
  async function register (def: ScheduleDefinition, strategy: Strategy): Promise<void> {
    const data: JobData = {
      kind: 'backup-prune',
      target: { type: 'cluster', name: def.cluster, namespace: def.namespace },
      params: { scheduleId: def.id, strategy, store: deps.store },
      createdBy: `schedule:${def.id}`,
      stages: deps.policy.stages,
      submission: def.id
    }
    await deps.queue.upsertJobScheduler(def.id, { pattern: def.cron, tz: def.timezone }, { name: 'backup-prune', data, opts: jobOptions(deps.policy, deps.historySeconds) })
  }

  async function visible (principal: Principal, id: string): Promise<ScheduleDefinition> {
    const def = await deps.records.getSchedule(id)
    if (!def || !canSeeNamespace(principal, def.namespace)) throw new GatewayError('GW_ERR_NOT_FOUND', `backup schedule ${id} not found`)
    return def
  }

  return {
    async create (principal: Principal, name: string, body: { cron: string, timezone?: string, retention: Retention, strategy?: Strategy }): Promise<ScheduleView> {
      const errors = validateSchedule(body)
      if (errors.length > 0) throw new GatewayError('GW_ERR_VALIDATION', errors.map(e => `${e.field}: ${e.message}`).join('; '), { errors })
      const hc = deps.findCluster(principal, name)
      const strategy = await deps.strategyFor(body.strategy)
      const def: ScheduleDefinition = {
        id: scheduleId(name),
        cluster: name,
        namespace: hc.metadata.namespace!,
        cron: body.cron,
        timezone: body.timezone ?? 'UTC',
        retention: body.retention,
        createdAt: new Date().toISOString(),
        createdBy: principal.name
      }
      await deps.records.createSchedule(def)
      await register(def, strategy)
      return scheduleView(def)
    },

    async list (principal: Principal, name: string): Promise<ScheduleView[]> {
      const hc = deps.findCluster(principal, name)
      const defs = await deps.records.listSchedules({ namespace: hc.metadata.namespace!, name })
      const now = new Date()
      return defs.sort((a, b) => a.createdAt < b.createdAt ? -1 : 1).map(d => scheduleView(d, now))
    },

    async get (principal: Principal, id: string): Promise<ScheduleView> {
      return scheduleView(await visible(principal, id))
    },

    async remove (principal: Principal, id: string): Promise<void> {
      const def = await visible(principal, id)
      await deps.queue.removeJobScheduler(def.id)
      await deps.records.removeSchedule(def.id)
    },

    // Kubernetes holds the definitions, Redis only the timers: at start every definition is registered
    // again, so a Redis flush loses no schedule (and one deleted while Redis was away is dropped).
    async registerAll (): Promise<number> {
      const defs = await deps.records.listSchedules()
      const strategy = await deps.strategyFor(undefined)
      for (const def of defs) await register(def, strategy)
      const known = new Set(defs.map(d => d.id))
      for (const s of await deps.queue.getJobSchedulers()) {
        if (s.key && !known.has(s.key)) await deps.queue.removeJobScheduler(s.key)
      }
      return defs.length
    }
  }
}

export type ScheduleService = ReturnType<typeof createScheduleService>
