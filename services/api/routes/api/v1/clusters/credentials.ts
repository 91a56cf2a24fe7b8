import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponse } from '../../../../schemas/problem.ts'
import { NameSchema } from '../../../../schemas/common.ts'

const tags = ['clusters']
const Params = Type.Object({ name: NameSchema })
const errors = {
  403: problemResponse('Needs the admin role'),
  404: problemResponse('No such cluster'),
  409: problemResponse('The cluster has not published it yet')
}

// Read through the secret names in the HostedCluster status; admin only, never cached, never logged.
const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/:name/kubeconfig', {
    config: { role: 'admin' },
    schema: {
      tags,
      summary: 'The admin kubeconfig of a hosted cluster',
      params: Params,
      response: { 200: { description: 'kubeconfig YAML', content: { 'application/yaml': { schema: Type.String() } } }, ...errors }
    }
  }, async (request, reply) => {
    const kubeconfig = await fastify.clusters.credential(request.principal!, request.params.name, 'kubeconfig')
    return reply.header('cache-control', 'no-store').type('application/yaml').send(kubeconfig)
  })

  fastify.get('/:name/kubeadmin-password', {
    config: { role: 'admin' },
    schema: {
      tags,
      summary: 'The kubeadmin password of a hosted cluster',
      params: Params,
      response: { 200: Type.Object({ password: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const password = await fastify.clusters.credential(request.principal!, request.params.name, 'kubeadminPassword')
    reply.header('cache-control', 'no-store')
    return { password }
  })
}

export default routes
