import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../shared/config.ts'
import { buildApi } from '../../services/api/server.ts'
import type { AppOptions } from '../../services/api/app.ts'
import { hashApiKey } from '../../shared/auth/api-keys.ts'
import { processors } from '../../services/worker/processors.ts'
import { startWorkers } from '../../services/worker/worker.ts'
import { startTestTwin, type TestTwin, type TestTwinOptions } from './twin.ts'

interface Teardown { teardown (fn: () => unknown): void }

export interface TestApp {
  app: FastifyInstance
  twin: TestTwin
  config: Config
  // Authorization headers for one key per role, plus an operator limited to the namespace 'team-a'.
  as: Record<'viewer' | 'operator' | 'admin' | 'tenant', { authorization: string }>
}

const testKeys = {
  viewer: 'hcpgw_testviewer000000000000000000000000',
  operator: 'hcpgw_testoperator0000000000000000000000',
  admin: 'hcpgw_testadmin00000000000000000000000000',
  tenant: 'hcpgw_testtenant0000000000000000000000000'
}

const apiKeys = JSON.stringify([
  { name: 'test-viewer', hash: hashApiKey(testKeys.viewer), role: 'viewer' },
  { name: 'test-operator', hash: hashApiKey(testKeys.operator), role: 'operator' },
  { name: 'test-admin', hash: hashApiKey(testKeys.admin), role: 'admin' },
  { name: 'test-tenant', hash: hashApiKey(testKeys.tenant), role: 'operator', tenant: { namespaces: ['team-a'] } }
])

// Builds the api exactly as production does, against a real twin, s3rver and the machine's Redis.
export async function buildTestApp (t: Teardown, opts: { env?: Record<string, string>, redisUrl?: string, extend?: (app: FastifyInstance) => void, twin?: TestTwinOptions, worker?: boolean, jobs?: AppOptions['jobs'] } = {}): Promise<TestApp> {
  const twin = await startTestTwin(t, opts.twin)
  // A Redis key prefix of its own, so idempotency records and queues never leak between tests.
  const prefix = `test-${randomBytes(6).toString('hex')}`
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', API_KEYS: apiKeys, QUEUE_PREFIX: prefix, ...opts.env })
  const app = await buildApi({
    config,
    redisUrl: opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    kubeConfig: twin.kubeConfig,
    objectStore: twin.objectStore,
    jobs: opts.jobs
  })
  t.teardown(() => app.close())
  if (opts.worker) {
    // The production job kinds, on the same queues and Redis prefix as this app.
    const pool = await startWorkers({ redisUrl: opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: config.QUEUE_PREFIX, concurrency: 2, processors, log: () => {}, kubeConfig: twin.kubeConfig, config })
    t.teardown(() => pool.close(2000))
  }
  // Extra routes for a test must be added before the app is ready.
  opts.extend?.(app)
  await app.ready()
  const as = Object.fromEntries(Object.entries(testKeys).map(([role, key]) => [role, { authorization: `Bearer ${key}` }])) as TestApp['as']
  return { app, twin, config, as }
}
