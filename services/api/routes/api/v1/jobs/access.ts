import { Type, type Static } from 'typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { canSeeNamespace, visibleNamespaces, type Principal } from '../../../../../../shared/auth/principal.ts'
import { GatewayError } from '../../../../../../shared/errors.ts'
import { JOB_ID_PATTERN } from '../../../../../../shared/jobs/keys.ts'
import { allJobKinds } from '../../../../../../shared/jobs/kinds.ts'
import type { JobListQuery } from '../../../../../../shared/jobs/list.ts'
import { JOB_STATES, type JobRecord } from '../../../../../../shared/jobs/schema.ts'
import type { JobService } from '../../../../../../shared/jobs/service.ts'

export const JobIdParams = Type.Object({ id: Type.String({ pattern: JOB_ID_PATTERN, description: 'Job id, e.g. cluster-destroy.clusters.demo' }) })

// The job list filter of both REST (query string) and GraphQL (JobFilter + first/after).
export const JobListQuerySchema = Type.Object({
  kind: Type.Optional(Type.Enum([...allJobKinds])),
  state: Type.Optional(Type.Enum([...JOB_STATES])),
  targetType: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' })),
  targetName: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  targetNamespace: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Jobs created at or after this time' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Jobs created at or before this time' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  continue: Type.Optional(Type.String({ maxLength: 1024, description: 'The continue token of the previous page' }))
}, { additionalProperties: false })

export type JobListParams = Static<typeof JobListQuerySchema>

export function callerName (request: FastifyRequest): string {
  return request.principal?.name ?? 'anonymous'
}

// A tenant-limited key sees jobs on its namespaces only; jobs without a namespace only keys without a tenant.
export function canSeeJob (principal: Principal | null | undefined, job: JobRecord): boolean {
  const ns = job.target.namespace
  return ns === undefined ? !!principal && !principal.tenant : canSeeNamespace(principal, ns)
}

// Any job the caller may not see answers the same 404 as a missing one.
export async function findVisibleJob (jobs: JobService, principal: Principal | null | undefined, id: string): Promise<JobRecord> {
  const job = await jobs.get(id)
  if (!canSeeJob(principal, job)) throw new GatewayError('GW_ERR_NOT_FOUND', `job ${id} does not exist (or its history has expired)`)
  return job
}

export async function visibleJob (fastify: FastifyInstance, request: FastifyRequest, id: string): Promise<JobRecord> {
  return findVisibleJob(fastify.jobs, request.principal, id)
}

// Validated list parameters to the job service's query, limited to the caller's namespaces.
export function toJobListQuery (q: JobListParams, principal: Principal | null | undefined): JobListQuery {
  return {
    kind: q.kind,
    state: q.state,
    target: { type: q.targetType, name: q.targetName, namespace: q.targetNamespace },
    since: q.since ? new Date(q.since) : undefined,
    until: q.until ? new Date(q.until) : undefined,
    namespaces: visibleNamespaces(principal),
    limit: q.limit,
    continue: q.continue
  }
}
