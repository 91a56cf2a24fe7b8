import { Type } from 'typebox'
import type { Cluster } from '../../../../shared/clusters/schemas.ts'
import type { ClusterPatchBody } from '../../../../shared/hypershift/day2/cluster-patch-schema.ts'
import { ClusterPatchSchema } from '../../../../shared/hypershift/day2/cluster-patch-schema.ts'
import type { NodePoolCreateInput } from '../../../../shared/hypershift/day2/nodepool-create-schema.ts'
import { NodePoolCreateSchema } from '../../../../shared/hypershift/day2/nodepool-create-schema.ts'
import type { NodePoolPatchBody } from '../../../../shared/hypershift/day2/nodepool-patch-schema.ts'
import { NodePoolPatchSchema } from '../../../../shared/hypershift/day2/nodepool-patch-schema.ts'
import { CreateClusterSchema, type CreateClusterInput } from '../../../../shared/hypershift/render/create-cluster-schema.ts'
import { DestroyOptionsSchema } from '../../plugins/app/clusters/clusters-service.ts'
import { ListQuerySchema, NameSchema } from '../../schemas/common.ts'
import { requireRole } from '../context.ts'
import { validateInput } from '../errors.ts'
import type { ClusterResolvers, MutationResolvers, QueryResolvers } from '../generated.ts'
import { checkHeaders, idempotent } from './shared.ts'

const ClusterParams = Type.Object({ name: NameSchema })
const PoolParams = Type.Object({ name: NameSchema, pool: NameSchema })

export const clusterName = (name: string) => validateInput<{ name: string }>(ClusterParams, { name }, 'params').name
const poolNames = (cluster: string, pool: string) => validateInput<{ name: string, pool: string }>(PoolParams, { name: cluster, pool }, 'params')
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v != null))

export const Query: Pick<QueryResolvers, 'clusters' | 'cluster' | 'nodePool'> = {
  clusters (_root, args, ctx) {
    const principal = requireRole(ctx, 'viewer')
    const params = validateInput<{ search?: string, order?: string, limit?: number, continue?: string }>(ListQuerySchema, defined({
      search: args.search, order: args.order, limit: args.first, continue: args.after
    }), 'querystring')
    const page = ctx.app.clusters.list(principal, params)
    const last = page.items.length - 1
    return {
      edges: page.items.map((node, i) => ({ node, cursor: i === last ? page.continue ?? null : null })),
      pageInfo: { hasNextPage: page.continue !== undefined, endCursor: page.continue ?? null },
      totalCount: page.total,
      cache: page.cache
    }
  },
  cluster (_root, args, ctx) {
    return ctx.app.clusters.get(requireRole(ctx, 'viewer'), clusterName(args.name)).cluster
  },
  nodePool (_root, args, ctx) {
    const { name, pool } = poolNames(args.cluster, args.name)
    return ctx.app.nodePools.get(requireRole(ctx, 'viewer'), name, pool).nodePool
  }
}

export const ClusterType: Pick<ClusterResolvers, 'nodePoolSummary' | 'kubeconfig'> = {
  nodePoolSummary: (parent: Cluster) => parent.nodePools,
  // A field error (GW_ERR_FORBIDDEN) for non-admins; the rest of the cluster is still answered.
  kubeconfig: async (parent: Cluster, _args, ctx) => ctx.app.clusters.credential(requireRole(ctx, 'viewer'), parent.name, 'kubeconfig')
}

function dryRunOf (manifests: object[], serverValidated: boolean, warnings: string[]) {
  return { serverValidated, manifests, warnings }
}

export const Mutation: Pick<MutationResolvers, 'createCluster' | 'patchCluster' | 'deleteCluster' | 'createNodePool' | 'patchNodePool' | 'deleteNodePool'> = {
  async createCluster (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const { idempotencyKey } = checkHeaders(undefined, args.idempotencyKey)
    const input = validateInput<CreateClusterInput>(CreateClusterSchema, args.input, 'body')
    const opts = { dryRun: args.dryRun === true, sensitive: args.sensitive === true }
    return idempotent(ctx, principal, 'createCluster', idempotencyKey, { input: args.input, ...opts }, async () => {
      const out = await ctx.app.clusters.create(principal, input, opts)
      return out.dryRun
        ? { cluster: null, dryRun: dryRunOf(out.manifests!, out.serverValidated, out.warnings), warnings: out.warnings }
        : { cluster: out.cluster!, dryRun: null, warnings: out.warnings }
    })
  },
  async patchCluster (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const name = clusterName(args.name)
    const { ifMatch } = checkHeaders(args.ifMatch, undefined)
    const body = validateInput<ClusterPatchBody>(ClusterPatchSchema, args.patch, 'body')
    const { cluster, warnings } = await ctx.app.clusters.patch(principal, name, body, { ifMatch })
    return { cluster, dryRun: null, warnings, replayed: false }
  },
  async deleteCluster (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const name = clusterName(args.name)
    const { ifMatch, idempotencyKey } = checkHeaders(args.ifMatch, args.idempotencyKey)
    const opts = validateInput<{ force?: boolean, reason?: string, gracePeriodSeconds?: number }>(DestroyOptionsSchema, defined({
      force: args.force, reason: args.reason, gracePeriodSeconds: args.gracePeriodSeconds
    }), 'querystring')
    const { job } = await ctx.app.clusters.destroy(principal, name, { ...opts, force: opts.force === true, ifMatch, idempotencyKey })
    return job
  },
  async createNodePool (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const cluster = clusterName(args.cluster)
    const { idempotencyKey } = checkHeaders(undefined, args.idempotencyKey)
    const input = validateInput<NodePoolCreateInput>(NodePoolCreateSchema, args.input, 'body')
    const dryRun = args.dryRun === true
    return idempotent(ctx, principal, 'createNodePool', idempotencyKey, { cluster, input: args.input, dryRun }, async () => {
      const out = await ctx.app.nodePools.create(principal, cluster, input, { dryRun })
      return out.nodePool
        ? { nodePool: out.nodePool, dryRun: null, warnings: out.warnings }
        : { nodePool: null, dryRun: dryRunOf([out.manifest!], out.serverValidated, out.warnings), warnings: out.warnings }
    })
  },
  async patchNodePool (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const { name, pool } = poolNames(args.cluster, args.name)
    const { ifMatch } = checkHeaders(args.ifMatch, undefined)
    const body = validateInput<NodePoolPatchBody>(NodePoolPatchSchema, args.patch, 'body')
    const { nodePool, warnings } = await ctx.app.nodePools.patch(principal, name, pool, body, { ifMatch })
    return { nodePool, dryRun: null, warnings, replayed: false }
  },
  async deleteNodePool (_root, args, ctx) {
    const principal = requireRole(ctx, 'operator')
    const { name, pool } = poolNames(args.cluster, args.name)
    const { ifMatch } = checkHeaders(args.ifMatch, undefined)
    return ctx.app.nodePools.remove(principal, name, pool, { ifMatch })
  }
}
