// A twin API server + HyperShift sim (+ s3rver on demand) with helpers to create hosted clusters and
// exec into their etcd pods, for the etcd / backup / restore tests.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { startKubeServer } from '../../services/sim/kube/server.ts'
import type { KubeServer } from '../../services/sim/kube/server.ts'
import { startHypershiftSim } from '../../services/sim/hypershift/index.ts'
import type { HypershiftSim } from '../../services/sim/hypershift/index.ts'
import { releaseImageFor } from '../../services/sim/hypershift/release-catalog.ts'
import { resolveCrdDir } from '../../services/sim/sim.ts'
import { startEmbeddedS3 } from '../../services/sim/s3.ts'
import { waitFor } from './wait.ts'
import type { EmbeddedS3 } from '../../services/sim/s3.ts'
import { execInPod } from '../../services/sim/etcd/exec-client.ts'
import type { ExecOptions, ExecResult } from '../../services/sim/etcd/exec-client.ts'

interface Teardown { teardown (fn: () => unknown): void }

export const NS = 'clusters'
export const G = { group: 'hypershift.openshift.io', version: 'v1beta1' }
export const TLS = ['--cacert', '/etc/etcd/tls/etcd-ca/ca.crt', '--cert', '/etc/etcd/tls/client/etcd-client.crt', '--key', '/etc/etcd/tls/client/etcd-client.key', '--endpoints=https://localhost:2379']
export const ETCDCTL = ['env', 'ETCDCTL_API=3', '/usr/bin/etcdctl', ...TLS]

export interface ClusterOptions { annotations?: Record<string, string>, policy?: 'HighlyAvailable' | 'SingleReplica', restoreSnapshotURL?: string }

export interface EtcdTwin {
  kube: KubeServer
  sim: HypershiftSim
  kc: KubeConfig
  core: CoreV1Api
  apps: AppsV1Api
  custom: CustomObjectsApi
  crdDir: string | null
  createCluster (name: string, opts?: ClusterOptions): Promise<void>
  // every etcd member Ready
  waitEtcdReady (name: string, timeoutMs?: number): Promise<void>
  exec (cluster: string, command: string[], opts?: ExecOptions & { pod?: string, container?: string }): Promise<ExecResult>
  getHostedCluster (name: string): Promise<{ metadata: Record<string, unknown>, status?: { conditions?: Array<{ type: string, status: string, reason: string, message: string }>, [k: string]: unknown } }>
}

export { waitFor }

export function hostedClusterBody (name: string, opts: ClusterOptions = {}) {
  const storage: Record<string, unknown> = { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } }
  if (opts.restoreSnapshotURL !== undefined) storage.restoreSnapshotURL = [opts.restoreSnapshotURL]
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name, namespace: NS, annotations: opts.annotations ?? {} },
    spec: {
      release: { image: releaseImageFor('4.19.3') },
      pullSecret: { name: 'pull-secret' },
      dns: { baseDomain: 'example.com' },
      controllerAvailabilityPolicy: opts.policy ?? 'SingleReplica',
      networking: { clusterNetwork: [{ cidr: '10.132.0.0/14' }], serviceNetwork: [{ cidr: '172.31.0.0/16' }], networkType: 'OVNKubernetes' },
      etcd: { managementType: 'Managed', managed: { storage } },
      platform: { type: 'Agent', agent: { agentNamespace: 'agents' } },
      services: ['APIServer', 'OAuthServer', 'Konnectivity', 'Ignition'].map((service) => ({ service, servicePublishingStrategy: { type: 'Route', route: {} } }))
    }
  }
}

export async function startEtcdTwin (t: Teardown, stepMs = 10): Promise<EtcdTwin> {
  const crdDir = resolveCrdDir('')
  const kube = await startKubeServer({ crdDir, port: 0, log: () => {} })
  const sim = await startHypershiftSim({ kubeconfig: kube.kubeconfig(), timing: { stepMs }, log: () => {} })
  t.teardown(async () => {
    await sim.close()
    await kube.close()
  })
  const kc = new KubeConfig()
  kc.loadFromString(kube.kubeconfig())
  kc.loadFromOptions({ clusters: kc.clusters.map((c) => ({ ...c, skipTLSVerify: true })), users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext })
  const core = kc.makeApiClient(CoreV1Api)
  const apps = kc.makeApiClient(AppsV1Api)
  const custom = kc.makeApiClient(CustomObjectsApi)
  await core.createNamespace({ body: { metadata: { name: NS } } })
  const podReady = async (ns: string, name: string) => {
    const p = await core.readNamespacedPod({ namespace: ns, name })
    return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true
  }
  return {
    kube,
    sim,
    kc,
    core,
    apps,
    custom,
    crdDir,
    async createCluster (name, opts = {}) {
      await custom.createNamespacedCustomObject({ ...G, plural: 'hostedclusters', namespace: NS, body: hostedClusterBody(name, opts) })
    },
    async waitEtcdReady (name, timeoutMs = 10_000) {
      await waitFor(`etcd of ${name} ready`, async () => {
        const sts = await apps.readNamespacedStatefulSet({ namespace: `${NS}-${name}`, name: 'etcd' })
        const want = sts.spec?.replicas ?? 0
        if (want === 0) return false
        for (let i = 0; i < want; i++) if (!await podReady(`${NS}-${name}`, `etcd-${i}`)) return false
        return true
      }, timeoutMs)
    },
    exec: (cluster, command, opts = {}) => execInPod(kc, { namespace: `${NS}-${cluster}`, pod: opts.pod ?? 'etcd-0', container: opts.container ?? 'etcd' }, command, opts),
    getHostedCluster: async (name) => await custom.getNamespacedCustomObject({ ...G, plural: 'hostedclusters', namespace: NS, name }) as Awaited<ReturnType<EtcdTwin['getHostedCluster']>>
  }
}

export async function startTestS3 (t: Teardown, bucket: string): Promise<EmbeddedS3> {
  const dir = await mkdtemp(join(tmpdir(), 'hcpgw-etcd-s3-'))
  const s3 = await startEmbeddedS3({ host: '127.0.0.1', port: 0, directory: dir, buckets: [bucket] })
  t.teardown(async () => {
    await s3.close()
    await rm(dir, { recursive: true, force: true })
  })
  return s3
}
