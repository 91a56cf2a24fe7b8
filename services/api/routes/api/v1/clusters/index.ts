import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ClusterListSchema, ClusterSchema } from '../../../../../../shared/clusters/schemas.ts'
import { CreateClusterSchema } from '../../../../../../shared/hypershift/render/create-cluster-schema.ts'
import { ClusterPatchSchema } from '../../../../../../shared/hypershift/day2/cluster-patch-schema.ts'
import { DestroyOptionsSchema } from '../../../../plugins/app/clusters/clusters-service.ts'
import { problemResponse } from '../../../../schemas/problem.ts'
import { DryRunQuerySchema, IdempotencyHeaders, IfMatchHeaders, IfMatchIdempotencyHeaders, ListQuerySchema, NameSchema, sendWarnings, setEtag } from '../../../../schemas/common.ts'

const tags = ['clusters']
const Params = Type.Object({ name: NameSchema })
const DryRunResultSchema = Type.Object({
  dryRun: Type.Literal(true),
  serverValidated: Type.Boolean({ description: 'False when the namespace does not exist yet, so the API server could check only the Namespace' }),
  manifests: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'What hcp create cluster --render prints, in its order; Secret values redacted unless sensitive=true' })
})

const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/', {
    schema: {
      tags,
      summary: 'List hosted clusters (served from the watch cache)',
      querystring: ListQuerySchema,
      response: { 200: ClusterListSchema, 400: problemResponse('Bad search, order, limit or continue token') }
    }
  }, async (request, reply) => {
    const page = fastify.clusters.list(request.principal!, request.query)
    // A page of 100 clusters is large; plain JSON.stringify beats the schema serializer here (bench/cluster-list.ts).
    return reply.serializer(JSON.stringify).send(page)
  })

  fastify.post('/', {
    config: { idempotent: true },
    schema: {
      tags,
      summary: 'Create a hosted cluster (or render it with dryRun=true)',
      querystring: DryRunQuerySchema,
      headers: IdempotencyHeaders,
      body: CreateClusterSchema,
      response: {
        200: DryRunResultSchema,
        201: ClusterSchema,
        400: problemResponse('Invalid body'),
        403: problemResponse('Namespace outside the key\'s tenant, or sensitive without admin'),
        409: problemResponse('The name is taken, or the Idempotency-Key is in use'),
        422: problemResponse('The API server refused the rendered objects, or the Idempotency-Key was used with another body')
      }
    }
  }, async (request, reply) => {
    const outcome = await fastify.clusters.create(request.principal!, request.body, { dryRun: request.query.dryRun === true, sensitive: request.query.sensitive === true })
    sendWarnings(reply, outcome.warnings)
    if (outcome.dryRun) return { dryRun: true as const, serverValidated: outcome.serverValidated, manifests: outcome.manifests! }
    const cluster = outcome.cluster!
    setEtag(reply, cluster.resourceVersion)
    return reply.code(201).header('location', `/api/v1/clusters/${cluster.name}`).send(cluster)
  })

  fastify.get('/:name', {
    schema: { tags, summary: 'One hosted cluster', params: Params, response: { 200: ClusterSchema, 404: problemResponse('No such cluster') } }
  }, async (request, reply) => {
    const { cluster } = fastify.clusters.get(request.principal!, request.params.name)
    setEtag(reply, cluster.resourceVersion)
    return cluster
  })

  fastify.delete('/:name', {
    schema: {
      tags,
      summary: 'Destroy a hosted cluster: answers 202 with the job that does it (one per cluster at a time)',
      params: Params,
      headers: IfMatchIdempotencyHeaders,
      querystring: DestroyOptionsSchema,
      response: {
        202: Type.Ref('Job'),
        400: problemResponse('force without a reason'),
        403: problemResponse('force needs the admin role'),
        404: problemResponse('No such cluster'),
        412: problemResponse('If-Match does not match the current ETag')
      }
    }
  }, async (request, reply) => {
    const { job } = await fastify.clusters.destroy(request.principal!, request.params.name, {
      ifMatch: request.headers['if-match'],
      force: request.query.force === true,
      reason: request.query.reason,
      gracePeriodSeconds: request.query.gracePeriodSeconds,
      idempotencyKey: request.headers['idempotency-key']
    })
    return reply.code(202).header('location', job.links.self).send(job)
  })

  fastify.patch('/:name', {
    schema: {
      tags,
      summary: 'Day-2 changes: labels, upgrade, channel, pause/resume, restart, AWS tags, identity providers, trust bundle',
      params: Params,
      headers: IfMatchHeaders,
      body: ClusterPatchSchema,
      response: {
        200: ClusterSchema,
        400: problemResponse('Invalid body'),
        404: problemResponse('No such cluster'),
        409: problemResponse('Changed concurrently, being deleted, or a node pool blocks the upgrade'),
        412: problemResponse('If-Match does not match the current ETag'),
        422: problemResponse('A documented rule forbids the change')
      }
    }
  }, async (request, reply) => {
    const { cluster, warnings } = await fastify.clusters.patch(request.principal!, request.params.name, request.body, { ifMatch: request.headers['if-match'] })
    sendWarnings(reply, warnings)
    setEtag(reply, cluster.resourceVersion)
    return cluster
  })
}

export default routes
