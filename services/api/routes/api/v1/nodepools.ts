import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NodePoolListSchema, NodePoolSchema } from '../../../../../shared/clusters/schemas.ts'
import { NodePoolCreateSchema } from '../../../../../shared/hypershift/day2/nodepool-create-schema.ts'
import { NodePoolPatchSchema } from '../../../../../shared/hypershift/day2/nodepool-patch-schema.ts'
import { problemResponse } from '../../../schemas/problem.ts'
import { DryRunQuerySchema, IdempotencyHeaders, IfMatchHeaders, ListQuerySchema, NameSchema, sendWarnings, setEtag } from '../../../schemas/common.ts'

const tags = ['nodepools']
const ClusterParams = Type.Object({ name: NameSchema })
const PoolParams = Type.Object({ name: NameSchema, pool: NameSchema })
const DryRunResultSchema = Type.Object({
  dryRun: Type.Literal(true),
  serverValidated: Type.Boolean(),
  manifests: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'What hcp create nodepool --render prints' })
})

const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/:name/nodepools', {
    schema: {
      tags,
      summary: 'The node pools of a cluster (served from the watch cache)',
      params: ClusterParams,
      querystring: ListQuerySchema,
      response: { 200: NodePoolListSchema, 400: problemResponse('Bad search, order, limit or continue'), 404: problemResponse('No such cluster') }
    }
  }, async (request) => fastify.nodePools.list(request.principal!, request.params.name, request.query))

  fastify.post('/:name/nodepools', {
    config: { idempotent: true },
    schema: {
      tags,
      summary: 'Add a node pool (or render it with dryRun=true)',
      params: ClusterParams,
      querystring: DryRunQuerySchema,
      headers: IdempotencyHeaders,
      body: NodePoolCreateSchema,
      response: {
        200: DryRunResultSchema,
        201: NodePoolSchema,
        400: problemResponse('Invalid body'),
        404: problemResponse('No such cluster'),
        409: problemResponse('The name is taken or the cluster is being deleted'),
        422: problemResponse('A documented rule or the API server refused it')
      }
    }
  }, async (request, reply) => {
    const out = await fastify.nodePools.create(request.principal!, request.params.name, request.body, { dryRun: request.query.dryRun === true })
    sendWarnings(reply, out.warnings)
    if (!out.nodePool) return { dryRun: true as const, serverValidated: out.serverValidated, manifests: [out.manifest!] }
    setEtag(reply, out.nodePool.resourceVersion)
    return reply.code(201).header('location', `/api/v1/clusters/${request.params.name}/nodepools/${out.nodePool.name}`).send(out.nodePool)
  })

  fastify.get('/:name/nodepools/:pool', {
    schema: { tags, summary: 'One node pool', params: PoolParams, response: { 200: NodePoolSchema, 404: problemResponse('No such cluster or node pool') } }
  }, async (request, reply) => {
    const { nodePool } = fastify.nodePools.get(request.principal!, request.params.name, request.params.pool)
    setEtag(reply, nodePool.resourceVersion)
    return nodePool
  })

  fastify.patch('/:name/nodepools/:pool', {
    schema: {
      tags,
      summary: 'Scale, switch between replicas and autoscaling, upgrade, auto-repair, labels and taints',
      params: PoolParams,
      headers: IfMatchHeaders,
      body: NodePoolPatchSchema,
      response: {
        200: NodePoolSchema,
        400: problemResponse('Invalid body'),
        404: problemResponse('No such cluster or node pool'),
        409: problemResponse('Changed concurrently or being deleted'),
        412: problemResponse('If-Match does not match the current ETag'),
        422: problemResponse('A documented rule forbids the change')
      }
    }
  }, async (request, reply) => {
    const { nodePool, warnings } = await fastify.nodePools.patch(request.principal!, request.params.name, request.params.pool, request.body, { ifMatch: request.headers['if-match'] })
    sendWarnings(reply, warnings)
    setEtag(reply, nodePool.resourceVersion)
    return nodePool
  })

  fastify.delete('/:name/nodepools/:pool', {
    schema: {
      tags,
      summary: 'Delete a node pool; HyperShift drains its machines first, so it answers 202 in phase Deleting',
      params: PoolParams,
      headers: IfMatchHeaders,
      response: { 202: NodePoolSchema, 404: problemResponse('No such cluster or node pool'), 412: problemResponse('If-Match does not match') }
    }
  }, async (request, reply) => {
    const nodePool = await fastify.nodePools.remove(request.principal!, request.params.name, request.params.pool, { ifMatch: request.headers['if-match'] })
    return reply.code(202).send(nodePool)
  })
}

export default routes
