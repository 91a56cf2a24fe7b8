import type { MercuriusContext } from 'mercurius'
import { canSeeNamespace } from '../../../../shared/auth/principal.ts'
import type { Cluster, Condition, NodePool } from '../../../../shared/clusters/schemas.ts'
import { createClusterQuery } from '../../../../shared/clusters/search-fields.ts'
import { toNodePoolView } from '../../../../shared/clusters/nodepool-view.ts'
import type { CacheEventType } from '../../../../shared/kube/watch-cache.ts'
import type { KubeObject } from '../../../../shared/kube/kube-object.ts'
import type { JobRecord, JobState } from '../../../../shared/jobs/schema.ts'
import { canonicalJson } from '../../plugins/app/idempotency.ts'
import { canSeeJob, findVisibleJob } from '../../routes/api/v1/jobs/access.ts'
import { requireRole } from '../context.ts'
import { asGraphQLError, validateInput } from '../errors.ts'
import type { SubscriptionResolvers } from '../generated.ts'
import { ListQuerySchema } from '../../schemas/common.ts'
import { clusterName } from './clusters.ts'
import { jobId, jobListParams } from './jobs.ts'
import { abortable, eventStream } from './streams.ts'

// A refusal before the first event (unknown job, bad filter) reaches the client with its GW_ERR_* code.
function guarded<A, T> (fn: (args: A, ctx: MercuriusContext) => Promise<AsyncIterableIterator<T>> | AsyncIterableIterator<T>) {
  return async (_root: unknown, args: A, ctx: MercuriusContext) => {
    try {
      return await fn(args, ctx)
    } catch (err) {
      throw asGraphQLError(err)
    }
  }
}

const conditionKey = (conditions: Condition[]) => JSON.stringify(conditions.map(c => [c.type, c.status, c.reason, c.message]))

// The changes subscribers are told about: phase and conditions (and, for node pools, replica counts).
function changesOf (before: { phase: string, conditions: Condition[] }, after: { phase: string, conditions: Condition[] }): string[] {
  const changes: string[] = []
  if (before.phase !== after.phase) changes.push('phase')
  if (conditionKey(before.conditions) !== conditionKey(after.conditions)) changes.push('conditions')
  return changes
}

function nodePoolChanges (before: NodePool, after: NodePool): string[] {
  const changes = changesOf(before, after)
  if (before.readyReplicas !== after.readyReplicas || before.desiredReplicas !== after.desiredReplicas) changes.push('replicas')
  return changes
}

// The job feed can hand a subscriber the same state twice, or an older state after a newer one (a record
// built from a queued progress event after one read from Redis). Subscribers get each state once, in
// order: progress.updatedAt is the job's clock, and at the same time a state only moves forward.
const REMEMBERED_JOBS = 1000
const rank: Record<JobState, number> = { queued: 0, running: 1, cancelling: 2, succeeded: 3, failed: 3, cancelled: 3 }

function isNewer (next: JobRecord, prev: JobRecord): boolean {
  if (next.progress.updatedAt !== prev.progress.updatedAt) return next.progress.updatedAt > prev.progress.updatedAt
  return rank[next.state] >= rank[prev.state] && canonicalJson(next) !== canonicalJson(prev)
}

function onlyChanges () {
  const last = new Map<string, JobRecord>()
  return (record: JobRecord): boolean => {
    const prev = last.get(record.id)
    if (prev && !isNewer(record, prev)) return false
    last.delete(record.id)
    last.set(record.id, record)
    if (last.size > REMEMBERED_JOBS) last.delete(last.keys().next().value!)
    return true
  }
}

type Resolvers = Required<Pick<SubscriptionResolvers, 'jobProgress' | 'jobs' | 'clusterEvents' | 'nodePoolEvents'>>

export const Subscription = {
  jobProgress: {
    subscribe: guarded<{ id: string }, { jobProgress: JobRecord }>(async (args, ctx) => {
      const principal = requireRole(ctx, 'viewer')
      const id = jobId(args.id)
      await findVisibleJob(ctx.app.jobs, principal, id)
      const changed = onlyChanges()
      return abortable(signal => ctx.app.jobs.events(id, signal), record => ({ jobProgress: record }), ({ jobProgress }) => changed(jobProgress))
    })
  },

  jobs: {
    subscribe: guarded<{ filter?: { kind?: string | null, targetType?: string | null, targetName?: string | null, targetNamespace?: string | null } | null }, { jobs: JobRecord }>((args, ctx) => {
      const principal = requireRole(ctx, 'viewer')
      const q = jobListParams({ ...args.filter })
      const filter = { kind: q.kind, target: { type: q.targetType, name: q.targetName, namespace: q.targetNamespace } }
      const changed = onlyChanges()
      return eventStream(push => ctx.app.jobs.subscribe(filter, record => {
        if (canSeeJob(principal, record) && changed(record)) push({ jobs: record })
      }))
    })
  },

  clusterEvents: {
    subscribe: guarded<{ name?: string | null, filter?: string | null }, { clusterEvents: { type: CacheEventType, cluster: Cluster, changes: string[] } }>((args, ctx) => {
      const principal = requireRole(ctx, 'viewer')
      // The name must be visible now; the filter uses the list search syntax and rules.
      const name = args.name == null ? undefined : ctx.app.clusters.find(principal, clusterName(args.name)).metadata.name
      const { search } = validateInput<{ search?: string }>(ListQuerySchema, args.filter == null ? {} : { search: args.filter }, 'querystring')
      const predicate = search ? createClusterQuery().prepare({ search }).predicate : null
      const { clusters, lister } = ctx.app.caches
      return eventStream(push => clusters.onEvent((type, obj, old) => {
        if (!canSeeNamespace(principal, obj.metadata.namespace ?? '')) return
        if (name !== undefined && obj.metadata.name !== name) return
        if (predicate && !predicate(obj) && !(old && predicate(old))) return
        const cluster = lister.clusterView(obj)
        const changes = type === 'MODIFIED' && old ? changesOf(lister.clusterView(old), cluster) : []
        if (type === 'MODIFIED' && changes.length === 0) return
        push({ clusterEvents: { type, cluster, changes } })
      }))
    })
  },

  nodePoolEvents: {
    subscribe: guarded<{ cluster: string }, { nodePoolEvents: { type: CacheEventType, nodePool: NodePool, changes: string[] } }>((args, ctx) => {
      const principal = requireRole(ctx, 'viewer')
      const hc = ctx.app.clusters.find(principal, clusterName(args.cluster))
      const belongs = (np: KubeObject) => np.metadata.namespace === hc.metadata.namespace && np.spec?.clusterName === hc.metadata.name
      return eventStream(push => ctx.app.caches.nodePools.onEvent((type, obj, old) => {
        if (!belongs(obj)) return
        const nodePool = toNodePoolView(obj)
        const changes = type === 'MODIFIED' && old ? nodePoolChanges(toNodePoolView(old), nodePool) : []
        if (type === 'MODIFIED' && changes.length === 0) return
        push({ nodePoolEvents: { type, nodePool, changes } })
      }))
    })
  }
} satisfies Record<keyof Resolvers, unknown>
