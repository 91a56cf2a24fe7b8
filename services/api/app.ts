import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { KubeConfig } from '@kubernetes/client-node'
import type { Config } from '../../shared/config.ts'
import type { ObjectStoreSettings } from '../../shared/storage/s3-client.ts'
import type { JobPolicy } from '../../shared/jobs/policy.ts'
import swagger from './plugins/external/swagger.ts'
import bullBoard from './plugins/external/bull-board.ts'
import problemHandler from './plugins/app/problem-handler.ts'
import readiness from './plugins/app/readiness.ts'
import auth from './plugins/app/auth.ts'
import idempotency from './plugins/app/idempotency.ts'
import redis from './plugins/app/redis.ts'
import kube from './plugins/app/kube.ts'
import objectStore from './plugins/app/object-store.ts'
import caches from './plugins/app/clusters/caches.ts'
import clusterServices from './plugins/app/clusters/index.ts'
import jobs from './plugins/app/jobs.ts'
import webhooks from './plugins/app/webhooks.ts'
import metrics from './plugins/app/metrics.ts'
import backups from './plugins/app/backups.ts'
import healthRoutes from './routes/health/index.ts'
import jobRoutes from './routes/api/v1/jobs/index.ts'
import clusterRoutes from './routes/api/v1/clusters/index.ts'
import credentialRoutes from './routes/api/v1/clusters/credentials.ts'
import nodePoolRoutes from './routes/api/v1/nodepools.ts'
import catalogRoutes from './routes/api/v1/catalog.ts'
import webhookRoutes from './routes/api/v1/webhooks/index.ts'
import clusterBackupRoutes from './routes/api/v1/backups/cluster-backups.ts'
import backupRoutes from './routes/api/v1/backups/index.ts'
import metaRoutes from './routes/meta.ts'
import graphql from './graphql/plugin.ts'

export interface AppOptions {
  config: Config
  redisUrl: string
  kubeConfig: KubeConfig
  objectStore: ObjectStoreSettings
  // Wire every route but contact no dependency: used to render the OpenAPI document.
  offline?: boolean
  // Test seams: job kinds the api knows (default: this build's) and the SSE heartbeat.
  jobs?: { policies?: JobPolicy[], sseHeartbeatMs?: number }
}

// The application as a plugin, so tests register exactly what production runs; fastify-plugin keeps
// its decorators (swagger, readiness, clients) on the instance that registers it.
async function app (fastify: FastifyInstance, opts: AppOptions) {
  await fastify.register(problemHandler)
  await fastify.register(auth, { config: opts.config })
  await fastify.register(swagger)
  await fastify.register(readiness)
  await fastify.register(redis, { redisUrl: opts.redisUrl, offline: opts.offline })
  await fastify.register(idempotency, { config: opts.config })
  await fastify.register(jobs, { redisUrl: opts.redisUrl, config: opts.config, policies: opts.jobs?.policies })
  await fastify.register(kube, { kubeConfig: opts.kubeConfig })
  await fastify.register(objectStore, { objectStore: opts.objectStore })
  await fastify.register(caches, { offline: opts.offline })
  await fastify.register(clusterServices)
  await fastify.register(webhooks, { config: opts.config, offline: opts.offline })
  await fastify.register(metrics, { config: opts.config })
  await fastify.register(bullBoard, { config: opts.config })
  await fastify.register(backups, { config: opts.config, objectStore: opts.objectStore, offline: opts.offline })

  await fastify.register(healthRoutes)
  await fastify.register(metaRoutes)
  await fastify.register(clusterRoutes, { prefix: '/api/v1/clusters' })
  await fastify.register(credentialRoutes, { prefix: '/api/v1/clusters' })
  await fastify.register(nodePoolRoutes, { prefix: '/api/v1/clusters' })
  await fastify.register(catalogRoutes, { prefix: '/api/v1' })
  await fastify.register(jobRoutes, { heartbeatMs: opts.jobs?.sseHeartbeatMs })
  await fastify.register(webhookRoutes)
  await fastify.register(clusterBackupRoutes, { prefix: '/api/v1/clusters' })
  await fastify.register(backupRoutes, { prefix: '/api/v1' })
  await fastify.register(graphql, { config: opts.config })
}

export default fp(app, { name: 'hcp-gateway' })
