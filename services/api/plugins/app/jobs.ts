import fp from 'fastify-plugin'
import type { Config } from '../../../../shared/config.ts'
import type { JobPolicy } from '../../../../shared/jobs/policy.ts'
import { JobSchema } from '../../../../shared/jobs/schema.ts'
import { createJobService, type JobService } from '../../../../shared/jobs/service.ts'
import { jobPolicies } from '../../../worker/processors.ts'

declare module 'fastify' {
  interface FastifyInstance {
    // submit/get/list/cancel/retry/events, and subscribe(filter, listener) for any push transport.
    jobs: JobService
  }
}

export interface JobsPluginOptions {
  redisUrl: string
  config: Config
  // The stages and retry policy of each kind; default: those of this build's job definitions.
  policies?: JobPolicy[]
}

export default fp<JobsPluginOptions>(async function jobs (fastify, opts) {
  const service = createJobService({
    redis: fastify.redis,
    redisUrl: opts.redisUrl,
    prefix: opts.config.QUEUE_PREFIX,
    historySeconds: opts.config.JOB_HISTORY_SECONDS,
    policies: opts.policies ?? jobPolicies,
    log: (level, msg, extra) => fastify.log[level](extra ?? {}, msg)
  })
  fastify.decorate('jobs', service)
  fastify.addSchema(JobSchema)
  fastify.addHook('onClose', async () => service.close())
}, { name: 'jobs', dependencies: ['redis'] })
