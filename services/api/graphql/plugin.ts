import mercurius from 'mercurius'
import { NoSchemaIntrospectionCustomRule } from 'graphql'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../../../shared/config.ts'
import { tokenFromHeaders } from '../../../shared/auth/authenticator.ts'
import { assertRole } from '../../../shared/auth/principal.ts'
import { GatewayError } from '../../../shared/errors.ts'
import { httpContext, tokenFromConnectionParams } from './context.ts'
import { assertQueryCost, type CostLimits } from './cost.ts'
import { asGraphQLError, errorFormatter } from './errors.ts'
import { loaders } from './loaders.ts'
import { loadSchema } from './schema.ts'
import * as catalog from './resolvers/catalog.ts'
import * as clusters from './resolvers/clusters.ts'
import * as jobs from './resolvers/jobs.ts'
import { Subscription } from './resolvers/subscriptions.ts'
import * as webhooks from './resolvers/webhooks.ts'

export interface GraphqlOptions {
  config: Pick<Config, 'NODE_ENV' | 'GRAPHIQL' | 'GRAPHQL_INTROSPECTION' | 'GRAPHQL_MAX_DEPTH' | 'GRAPHQL_MAX_COST' | 'GRAPHQL_PERSISTED_QUERIES'>
}

// The REST page size limit applies to every `first`.
export const MAX_PAGE_SIZE = 500
// Parsing stops here, so a huge document costs nothing before it is refused.
const MAX_TOKENS = 10_000
const KEEP_ALIVE_MS = 15_000

// /graphql is public to the auth hook because a browser cannot send headers with a WebSocket upgrade:
// HTTP requests authenticate here, WebSocket connections in connection_init.
async function authenticate (this: FastifyInstance, request: FastifyRequest) {
  if ((request as { ws?: boolean }).ws === true) return
  const token = tokenFromHeaders(request.headers)
  const principal = this.auth.authenticate(token)
  if (principal === null) {
    throw new GatewayError('GW_ERR_UNAUTHENTICATED', token === null ? 'an API key is required: Authorization: Bearer <key> or X-API-Key' : 'the API key is not valid')
  }
  assertRole(principal, 'viewer')
  request.principal = principal
}

// GraphQL over the same services, rules and errors as REST. Not a fastify-plugin on purpose: mercurius
// sets the error handler of the context it is registered in, which must not be the REST one.
export default async function graphql (fastify: FastifyInstance, opts: GraphqlOptions) {
  const { config } = opts
  const production = config.NODE_ENV === 'production'
  const limits: CostLimits = { maxCost: config.GRAPHQL_MAX_COST, maxPageSize: MAX_PAGE_SIZE }

  fastify.addHook('onRoute', route => {
    if (route.url === '/graphiql' || route.url.startsWith('/graphiql/')) route.config = { ...route.config, public: true }
  })

  await fastify.register(mercurius, {
    schema: loadSchema(),
    resolvers: {
      JSON: catalog.JSONScalar,
      Query: { ...catalog.Query, ...clusters.Query, ...jobs.Query, ...webhooks.Query },
      Mutation: { ...clusters.Mutation, ...jobs.Mutation, ...webhooks.Mutation },
      Subscription,
      Cluster: clusters.ClusterType,
      Webhook: webhooks.WebhookType
    } as mercurius.IResolvers,
    loaders: loaders as unknown as mercurius.MercuriusLoaders,
    context: httpContext,
    errorFormatter: errorFormatter as unknown as mercurius.MercuriusOptions['errorFormatter'],
    queryDepth: config.GRAPHQL_MAX_DEPTH,
    graphiql: config.GRAPHIQL ?? !production,
    validationRules: (config.GRAPHQL_INTROSPECTION ?? !production) ? [] : [NoSchemaIntrospectionCustomRule],
    graphql: { parseOptions: { maxTokens: MAX_TOKENS } },
    ...(config.GRAPHQL_PERSISTED_QUERIES === 'automatic' ? { persistedQueryProvider: mercurius.persistedQueryDefaults.automatic() } : {}),
    subscription: {
      keepAlive: KEEP_ALIVE_MS,
      onConnect: ({ payload }: { payload: unknown }) => {
        const principal = fastify.auth.authenticate(tokenFromConnectionParams(payload))
        return principal ? { principal } : false
      }
    },
    additionalRouteOptions: { config: { public: true }, preHandler: authenticate }
  })

  fastify.graphql.addHook('preExecution', async (schema, document, _context, variables) => {
    assertQueryCost(schema, document, variables, limits)
  })
  fastify.graphql.addHook('preSubscriptionExecution', async (schema, document) => {
    try {
      assertQueryCost(schema, document, undefined, limits)
    } catch (err) {
      throw asGraphQLError(err)
    }
  })
}
