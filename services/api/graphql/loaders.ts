// Nested fields of a page are resolved in batches (mercurius loaders, one batch per field per request):
// node pools come from the watch cache, jobs from one walk over the job index for the whole page.
// Neither makes a Kubernetes request.
import type { MercuriusContext } from 'mercurius'
import { visibleNamespaces } from '../../../shared/auth/principal.ts'
import type { Cluster, NodePool } from '../../../shared/clusters/schemas.ts'
import type { JobRecord, JobState } from '../../../shared/jobs/schema.ts'
import { JobListQuerySchema, type JobListParams } from '../routes/api/v1/jobs/access.ts'
import { ListQuerySchema } from '../schemas/common.ts'
import { principalOf } from './context.ts'
import { validateInput } from './errors.ts'

interface Query<P> { obj: Cluster, params: P }
type NodePoolParams = { search?: string | null, order?: string | null, first?: number | null }
type JobParams = { first?: number | null, state?: JobState | null }

// Walks the job index in pages this large until every cluster of the batch has its jobs.
const JOB_WALK_PAGE = 500

async function nodePools (queries: Array<Query<NodePoolParams>>, ctx: MercuriusContext): Promise<NodePool[][]> {
  const principal = principalOf(ctx)
  const { clusters, lister } = ctx.app.caches
  const scope = visibleNamespaces(principal) ?? undefined
  return queries.map(({ obj, params }) => {
    const list = validateInput<{ search?: string, order?: string, limit?: number }>(ListQuerySchema, {
      ...(params.search != null ? { search: params.search } : {}),
      ...(params.order != null ? { order: params.order } : {}),
      ...(params.first != null ? { limit: params.first } : {})
    }, 'querystring')
    const hc = clusters.get(obj.namespace, obj.name)
    return hc ? lister.listNodePools(list, hc, scope).items : []
  })
}

async function jobs (queries: Array<Query<JobParams>>, ctx: MercuriusContext): Promise<JobRecord[][]> {
  const principal = principalOf(ctx)
  const wants = queries.map(({ obj, params }) => {
    const q = validateInput<JobListParams>(JobListQuerySchema, {
      ...(params.first != null ? { limit: params.first } : {}),
      ...(params.state != null ? { state: params.state } : {})
    }, 'querystring')
    return { key: `${obj.namespace}/${obj.name}`, first: q.limit, state: q.state, items: [] as JobRecord[] }
  })
  const byCluster = Map.groupBy(wants, w => w.key)
  let open = wants.length
  let token: string | undefined
  do {
    const page = await ctx.app.jobs.list({ target: { type: 'cluster' }, namespaces: visibleNamespaces(principal), limit: JOB_WALK_PAGE, continue: token })
    for (const record of page.items) {
      for (const w of byCluster.get(`${record.target.namespace}/${record.target.name}`) ?? []) {
        if (w.items.length >= w.first || (w.state && record.state !== w.state)) continue
        w.items.push(record)
        if (w.items.length === w.first) open--
      }
    }
    token = page.continue
  } while (token !== undefined && open > 0)
  return wants.map(w => w.items)
}

export const loaders = {
  Cluster: {
    nodePools: { loader: nodePools, opts: { cache: true } },
    jobs: { loader: jobs, opts: { cache: true } }
  }
}
