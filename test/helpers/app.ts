import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../shared/config.ts'
import { buildApi } from '../../services/api/server.ts'
import { startTestTwin, type TestTwin } from './twin.ts'

interface Teardown { teardown (fn: () => unknown): void }

export interface TestApp {
  app: FastifyInstance
  twin: TestTwin
  config: Config
}

// Builds the api exactly as production does, against a real twin, s3rver and the machine's Redis.
export async function buildTestApp (t: Teardown, opts: { env?: Record<string, string>, redisUrl?: string, extend?: (app: FastifyInstance) => void } = {}): Promise<TestApp> {
  const twin = await startTestTwin(t)
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...opts.env })
  const app = await buildApi({
    config,
    redisUrl: opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    kubeConfig: twin.kubeConfig,
    objectStore: twin.objectStore
  })
  t.teardown(() => app.close())
  // Extra routes for a test must be added before the app is ready.
  opts.extend?.(app)
  await app.ready()
  return { app, twin, config }
}
