import { findVisibleJob, JobIdParams, JobListQuerySchema, toJobListQuery, type JobListParams } from '../../routes/api/v1/jobs/access.ts'
import { requireRole } from '../context.ts'
import { validateInput } from '../errors.ts'
import type { MutationResolvers, QueryResolvers } from '../generated.ts'

export const jobId = (id: string) => validateInput<{ id: string }>(JobIdParams, { id }, 'params').id

// Only the arguments given, so the REST schema's defaults and rules apply to the rest.
export function jobListParams (args: Record<string, unknown>): JobListParams {
  return validateInput<JobListParams>(JobListQuerySchema, Object.fromEntries(Object.entries(args).filter(([, v]) => v != null)), 'querystring')
}

export const Query: Pick<QueryResolvers, 'jobs' | 'job'> = {
  async jobs (_root, args, ctx) {
    const principal = requireRole(ctx, 'viewer')
    const q = jobListParams({ ...args.filter, limit: args.first, continue: args.after })
    const page = await ctx.app.jobs.list(toJobListQuery(q, principal))
    const last = page.items.length - 1
    return {
      edges: page.items.map((node, i) => ({ node, cursor: i === last ? page.continue ?? null : null })),
      pageInfo: { hasNextPage: page.continue !== undefined, endCursor: page.continue ?? null }
    }
  },
  async job (_root, args, ctx) {
    return findVisibleJob(ctx.app.jobs, requireRole(ctx, 'viewer'), jobId(args.id))
  }
}

export const Mutation: Pick<MutationResolvers, 'cancelJob' | 'retryJob'> = {
  async cancelJob (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const job = await findVisibleJob(ctx.app.jobs, principal, jobId(args.id))
    return ctx.app.jobs.cancel(job.id, principal.name)
  },
  async retryJob (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const job = await findVisibleJob(ctx.app.jobs, principal, jobId(args.id))
    return ctx.app.jobs.retry(job.id, principal.name)
  }
}
