import { resolve } from 'node:path'
import type { KubeConfig } from '@kubernetes/client-node'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from '../shared/config.ts'
import { loadKubeConfig } from '../shared/kube/kubeconfig.ts'
import { ensureRedis } from '../shared/redis/embedded.ts'
import type { ObjectStoreSettings } from '../shared/storage/s3-client.ts'
import { buildApi } from './api/server.ts'
import type { Role } from './roles.ts'
import { startSim, type Sim } from './sim/sim.ts'
import { processors } from './worker/processors.ts'
import { startWorkers } from './worker/worker.ts'

export interface Running {
  apiUrl?: string
  sim?: Sim
  redisUrl?: string
  close (): Promise<void>
}

function kubeFor (config: Config, sim?: Sim): KubeConfig {
  if (config.KUBECONFIG) return loadKubeConfig({ kubeconfigPath: resolve(config.KUBECONFIG), context: config.KUBE_CONTEXT || undefined })
  if (sim) return loadKubeConfig({ kubeconfigYaml: sim.kubeconfigYaml })
  return loadKubeConfig({ context: config.KUBE_CONTEXT || undefined })
}

// With no S3_ENDPOINT and the twin in this process, every role uses the twin's s3rver: the settings are
// rewritten once so the api and the workers see the same endpoint and keys.
function withEmbeddedS3 (config: Config, sim?: Sim): Config {
  if (config.S3_ENDPOINT || !sim) return config
  return { ...config, S3_ENDPOINT: sim.s3.endpoint, S3_ACCESS_KEY_ID: sim.s3.accessKeyId, S3_SECRET_ACCESS_KEY: sim.s3.secretAccessKey }
}

function objectStoreFor (config: Config): ObjectStoreSettings {
  return {
    endpoint: config.S3_ENDPOINT || undefined,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: config.S3_FORCE_PATH_STYLE
  }
}

// Starts the roles in dependency order (the twin first, because the others may point at it) and
// returns one close() that stops them in reverse: HTTP first, then workers, then the twin and Redis.
export async function startRoles (given: Config, roles: Role[], log: Logger): Promise<Running> {
  let config = given
  const closers: Array<{ name: string, close: () => Promise<void> }> = []
  const running: Running = {
    async close () {
      for (const { name, close } of [...closers].reverse()) {
        try {
          await close()
        } catch (err) {
          log.warn({ err: (err as Error).message }, `stopping ${name} failed`)
        }
      }
    }
  }
  const simLog = (level: 'info' | 'warn' | 'error', msg: string, extra?: object) => log[level]({ role: 'sim', ...extra }, msg)
  try {
    if (roles.includes('sim')) {
      running.sim = await startSim(config, simLog)
      closers.push({ name: 'sim', close: running.sim.close })
      config = withEmbeddedS3(config, running.sim)
    }
    const needsRedis = roles.includes('api') || roles.includes('worker')
    if (needsRedis) {
      const redis = await ensureRedis({
        url: config.REDIS_URL,
        allowEmbedded: config.REDIS_EMBEDDED === 'auto',
        dataDir: config.DATA_DIR,
        log: msg => log.warn(msg)
      })
      running.redisUrl = redis.url
      closers.push({ name: 'embedded redis', close: redis.close })
    }
    if (roles.includes('worker')) {
      const pool = await startWorkers({
        redisUrl: running.redisUrl!,
        prefix: config.QUEUE_PREFIX,
        concurrency: config.WORKER_CONCURRENCY,
        processors,
        kubeConfig: kubeFor(config, running.sim),
        config,
        log: (level, msg, extra) => log[level]({ role: 'worker', ...extra }, msg)
      })
      closers.push({ name: 'worker', close: () => pool.close(config.SHUTDOWN_TIMEOUT_MS) })
    }
    if (roles.includes('api')) {
      const api: FastifyInstance = await buildApi({
        config,
        redisUrl: running.redisUrl!,
        kubeConfig: kubeFor(config, running.sim),
        objectStore: objectStoreFor(config)
      })
      running.apiUrl = await api.listen({ host: config.HOST, port: config.PORT })
      // Shown once: only its hash is kept, and each process generates its own.
      if (api.auth.demoKey) log.warn({ role: 'api' }, `demo admin API key (this process only): ${api.auth.demoKey}`)
      closers.push({ name: 'api', close: () => api.close() })
    }
    return running
  } catch (err) {
    await running.close()
    throw err
  }
}
