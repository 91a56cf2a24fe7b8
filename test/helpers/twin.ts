import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { startKubeServer, type KubeServer } from '../../services/sim/kube/server.ts'
import { startEmbeddedS3, type EmbeddedS3 } from '../../services/sim/s3.ts'
import type { ObjectStoreSettings } from '../../shared/storage/s3-client.ts'

interface Teardown { teardown (fn: () => unknown): void }

export interface TestTwin {
  kube: KubeServer
  kubeConfig: KubeConfig
  s3: EmbeddedS3
  objectStore: ObjectStoreSettings
}

// A real twin API server and a real s3rver on free ports, torn down with the test.
export async function startTestTwin (t: Teardown, opts: { crdDir?: string | null, bucket?: string } = {}): Promise<TestTwin> {
  const bucket = opts.bucket ?? 'test-artifacts'
  const kube = await startKubeServer({ port: 0, crdDir: opts.crdDir ?? null, log: () => {} })
  t.teardown(() => kube.close())
  const dir = await mkdtemp(join(tmpdir(), 'hcpgw-s3-'))
  const s3 = await startEmbeddedS3({ host: '127.0.0.1', port: 0, directory: dir, buckets: [bucket] })
  t.teardown(async () => {
    await s3.close()
    await rm(dir, { recursive: true, force: true })
  })
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromString(kube.kubeconfig())
  return {
    kube,
    kubeConfig,
    s3,
    objectStore: {
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true
    }
  }
}
