import { Type } from 'typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { canSeeNamespace } from '../../../../../../shared/auth/principal.ts'
import { GatewayError } from '../../../../../../shared/errors.ts'
import { JOB_ID_PATTERN } from '../../../../../../shared/jobs/keys.ts'
import type { JobRecord } from '../../../../../../shared/jobs/schema.ts'

export const JobIdParams = Type.Object({ id: Type.String({ pattern: JOB_ID_PATTERN, description: 'Job id, e.g. cluster-destroy.clusters.demo' }) })

export function callerName (request: FastifyRequest): string {
  return request.principal?.name ?? 'anonymous'
}

// A tenant-limited key sees jobs on its namespaces only; any other job answers the same 404 as a missing one.
export async function visibleJob (fastify: FastifyInstance, request: FastifyRequest, id: string): Promise<JobRecord> {
  const job = await fastify.jobs.get(id)
  const ns = job.target.namespace
  if (ns === undefined ? request.principal?.tenant : !canSeeNamespace(request.principal, ns)) {
    throw new GatewayError('GW_ERR_NOT_FOUND', `job ${id} does not exist (or its history has expired)`)
  }
  return job
}
