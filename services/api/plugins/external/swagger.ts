import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { ProblemSchema } from '../../schemas/problem.ts'

/**
 * The OpenAPI document is generated from the route schemas; the copy committed in openapi/ is
 * checked against it by test/openapi/drift.test.ts.
 * @see {@link https://github.com/fastify/fastify-swagger}
 */
export default fp(async function swaggerPlugin (fastify) {
  fastify.addSchema(ProblemSchema)
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'hcp-gateway',
        version: '0.1.0',
        description: 'One API for OpenShift hosted-control-plane lifecycle on a management cluster. ' +
          'Errors are RFC 9457 problem+json documents carrying a stable GW_ERR_* code. ' +
          'Authenticate with `Authorization: Bearer <API key>`.'
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A gateway API key (hcpgw_...)' } }
      },
      security: [{ apiKey: [] }],
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'meta', description: 'The API describing itself' },
        { name: 'clusters', description: 'Hosted clusters (HyperShift HostedCluster and what the gateway derives)' },
        { name: 'nodepools', description: 'Node pools of a hosted cluster' },
        { name: 'catalog', description: 'Supported versions and sizing' },
        { name: 'jobs', description: 'Long-running work with progress' },
        { name: 'webhooks', description: 'Signed event notifications (Standard Webhooks)' },
        { name: 'backups', description: 'etcd snapshots, schedules, retention and restore' }
      ]
    },
    hideUntagged: true,
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) }
  })
  await fastify.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } })
}, { name: 'swagger' })
