// npm run bench: every benchmark, each printing ratios against a baseline measured in the same run.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { buildApi } from '../services/api/server.ts'
import { startKubeServer } from '../services/sim/kube/server.ts'
import { startEmbeddedS3 } from '../services/sim/s3.ts'
import { generateApiKey, hashApiKey } from '../shared/auth/api-keys.ts'
import { loadConfig } from '../shared/config.ts'
import { ensureRedis } from '../shared/redis/embedded.ts'
import { benchClusterList } from './cluster-list.ts'
import { benchEtcdSnapshotUpload } from './etcd-snapshot-upload.ts'

const dataDir = await mkdtemp(join(tmpdir(), 'hcpgw-bench-'))
const kube = await startKubeServer({ port: 0, crdDir: null })
const s3 = await startEmbeddedS3({ host: '127.0.0.1', port: 0, directory: join(dataDir, 's3'), buckets: ['bench'] })
const redis = await ensureRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', allowEmbedded: true, dataDir, log: console.log })
const key = generateApiKey()
const config = loadConfig({
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  QUEUE_PREFIX: `bench-${process.pid}`,
  API_KEYS: JSON.stringify([{ name: 'bench', hash: hashApiKey(key), role: 'viewer' }])
})
const kubeConfig = new KubeConfig()
kubeConfig.loadFromString(kube.kubeconfig())
const app = await buildApi({
  config,
  redisUrl: redis.url,
  kubeConfig,
  objectStore: { endpoint: s3.endpoint, region: 'us-east-1', bucket: 'bench', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true }
})
const url = await app.listen({ host: '127.0.0.1', port: 0 })

try {
  console.log('== GET /api/v1/clusters?limit=100 over 5 000 clusters: the real app route (c) vs a bare route (a) and a LIST per request (b)')
  // The app's caches receive the seeded clusters through their watch, as in production.
  await benchClusterList({ kube, target: { url: `${url}/api/v1/clusters?limit=100`, headers: { authorization: `Bearer ${key}` } } })
  console.log('== etcd snapshot upload stage: exec cat → sha256 → multipart upload in a child process (b) vs plain copies of the same bytes (a, c)')
  await benchEtcdSnapshotUpload()
} finally {
  await app.close()
  await redis.close()
  await s3.close()
  await kube.close()
  await rm(dataDir, { recursive: true, force: true })
}
