import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { startKubeServer, type KubeServer } from '../../services/sim/kube/server.ts'
import { startEmbeddedS3, type EmbeddedS3 } from '../../services/sim/s3.ts'
import { startHypershiftSim } from '../../services/sim/hypershift/index.ts'
import { resolveCrdDir } from '../../services/sim/sim.ts'
import type { ObjectStoreSettings } from '../../shared/storage/s3-client.ts'

interface Teardown { teardown (fn: () => unknown): void }

export interface TestTwin {
  kube: KubeServer
  kubeConfig: KubeConfig
  s3: EmbeddedS3
  objectStore: ObjectStoreSettings
}

// A real twin API server and a real s3rver on free ports, torn down with the test.
export interface TestTwinOptions {
  // 'shared' = the reference CRDs beside the repo when present (else unvalidated); default unvalidated.
  crdDir?: string | null | 'shared'
  bucket?: string
  // Run the HyperShift operator behaviour with this step (ms); off by default.
  hypershiftStepMs?: number
}

export async function startTestTwin (t: Teardown, opts: TestTwinOptions = {}): Promise<TestTwin> {
  const bucket = opts.bucket ?? 'test-artifacts'
  const crdDir = opts.crdDir === 'shared' ? resolveCrdDir('') : opts.crdDir ?? null
  const kube = await startKubeServer({ port: 0, crdDir, log: () => {} })
  t.teardown(() => kube.close())
  if (opts.hypershiftStepMs) {
    const sim = await startHypershiftSim({ kubeconfig: kube.kubeconfig(), timing: { stepMs: opts.hypershiftStepMs }, seedDemo: false, log: () => {} })
    t.teardown(() => sim.close())
  }
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
