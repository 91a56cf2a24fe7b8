// Benchmark: GET one page (limit=100) of 5 000 hosted clusters three ways, in one run:
//   (a) bare     a fastify route answering a precomputed page object (serialisation + HTTP only)
//   (b) per-req  a fastify route that LISTs from the Kubernetes API per request (limit=100) + views
//   (c) cached   a fastify route over the watch caches + list query + views (or `target`: the real app)
// Targets: (c) ≥ 50 % of (a) throughput, ≥ 10× (b), p99 < 20 ms. Loopback only, bounded run time.
//
//   node bench/cluster-list.ts [--clusters 5000] [--seconds 6] [--connections 8]
import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { computeHostedClusterStatus } from '../services/sim/hypershift/hostedcluster-status.ts'
import { lookupReleaseImage, releaseImageFor } from '../services/sim/hypershift/release-catalog.ts'
import type { HostedCluster } from '../services/sim/hypershift/types.ts'
import { startKubeServer } from '../services/sim/kube/server.ts'
import { createClusterLister } from '../shared/clusters/cluster-list.ts'
import { toClusterView } from '../shared/clusters/view.ts'
import type { KubeObject } from '../shared/kube/kube-object.ts'
import { createWatchCache } from '../shared/kube/watch-cache.ts'
import { runLoad, type LoadResult } from './load.ts'

const GROUP = 'hypershift.openshift.io'
const VERSION = 'v1beta1'
const NAMESPACES = ['clusters', 'team-a', 'team-b', 'team-c']
const PLATFORMS = [
  { type: 'AWS', aws: { region: 'us-east-1', endpointAccess: 'Public', cloudProviderConfig: { zone: 'us-east-1a' } } },
  { type: 'Agent', agent: { agentNamespace: 'agents' } },
  { type: 'KubeVirt', kubevirt: { baseDomainPassthrough: true } },
  { type: 'None' }
]

export interface BenchClusterListOptions {
  clusters?: number
  // measured time per scenario (after a 1 s warm-up)
  durationMs?: number
  connections?: number
  // replaces scenario (c): e.g. the real app's /api/v1/clusters?limit=100 served over the same twin
  target?: { url: string, headers?: Record<string, string> }
  // an already running twin to seed and read (default: a private one on a free port)
  kube?: { url: string, kubeconfig (): string }
  log?: (line: string) => void
}

export interface BenchClusterListReport {
  clusters: number
  seedMs: number
  cacheSyncMs: number
  bare: LoadResult
  perRequest: LoadResult
  cached: LoadResult
  // (c) with a single connection: latency without queueing behind other requests
  cachedUnloaded: LoadResult
  ratios: { cachedVsBare: number, cachedVsPerRequest: number }
  targets: { cachedVsBare: boolean, cachedVsPerRequest: boolean, p99: boolean }
}

// Status as the twin's HyperShift controller writes it: most clusters Ready, every tenth still installing.
function statusFor (hc: HostedCluster, i: number): HostedCluster['status'] {
  const steps = i % 10 === 0 ? 1 : 3
  let current = hc
  const ready = { desired: 2, replicas: 2, ready: 2, updated: 2 }
  for (let s = 0; s < steps; s++) {
    const status = computeHostedClusterStatus(current, {
      now: new Date(Date.UTC(2025, 2, 1, 10, s)).toISOString(),
      release: lookupReleaseImage(hc.spec.release.image),
      releaseError: null,
      workloads: { etcd: { desired: 3, replicas: 3, ready: 3, updated: 3 }, 'kube-apiserver': ready, 'ignition-server': ready },
      kubeconfigPublished: true,
      endpoint: { host: `api.${hc.metadata.name}.bench.example.com`, port: 6443 },
      ignitionHost: `ignition.${hc.metadata.name}.bench.example.com`
    })
    current = { ...current, status }
  }
  return current.status
}

async function pool<T> (items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++])
  }))
}

async function seed (kubeUrl: string, count: number): Promise<void> {
  const headers = { Authorization: 'Bearer bench', 'Content-Type': 'application/json' }
  const send = async (method: string, path: string, body: object, contentType = 'application/json') => {
    const res = await fetch(kubeUrl + path, { method, headers: { ...headers, 'Content-Type': contentType }, body: JSON.stringify(body) })
    if (!res.ok && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    await res.arrayBuffer()
  }
  for (const ns of NAMESPACES) await send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })
  const indexes = Array.from({ length: count }, (_, i) => i)
  await pool(indexes, 32, async i => {
    const namespace = NAMESPACES[i % NAMESPACES.length]
    const name = `bench-${String(i).padStart(5, '0')}`
    const hc: HostedCluster = {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'HostedCluster',
      metadata: { name, namespace, labels: { env: i % 3 === 0 ? 'prod' : 'dev', team: namespace }, generation: 1 },
      spec: {
        release: { image: releaseImageFor(i % 2 === 0 ? '4.19.3' : '4.18.10', 'multi') },
        platform: PLATFORMS[i % PLATFORMS.length],
        dns: { baseDomain: 'bench.example.com' },
        controllerAvailabilityPolicy: 'SingleReplica'
      }
    }
    const base = `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/hostedclusters`
    await send('POST', base, hc)
    await send('PATCH', `${base}/${name}/status`, { status: statusFor(hc, i) }, 'application/merge-patch+json')
  })
}

function kubeConfigOf (kube: { kubeconfig (): string }): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromString(kube.kubeconfig())
  return kc
}

const fmt = (n: number, digits = 1) => Number.isFinite(n) ? n.toFixed(digits) : 'n/a'

function row (label: string, r: LoadResult): string {
  return `${label.padEnd(34)} ${fmt(r.rps).padStart(9)} req/s   p50 ${fmt(r.p50Ms, 2).padStart(7)} ms   p99 ${fmt(r.p99Ms, 2).padStart(7)} ms   ` +
    `${r.requests} ok, ${r.non2xx} non-200, ${r.errors} errors, ${fmt(r.bytes / Math.max(1, r.requests) / 1024, 0)} KiB/answer`
}

export async function benchClusterList (opts: BenchClusterListOptions = {}): Promise<BenchClusterListReport> {
  const count = opts.clusters ?? 5000
  const durationMs = opts.durationMs ?? 6000
  const connections = opts.connections ?? 8
  const log = opts.log ?? ((line: string) => console.log(line))
  const closers: Array<() => Promise<unknown>> = []
  try {
    let kube = opts.kube
    if (kube === undefined) {
      const own = await startKubeServer({ port: 0, crdDir: null })
      closers.push(() => own.close())
      kube = own
    }
    const seedStart = performance.now()
    await seed(kube.url, count)
    const seedMs = performance.now() - seedStart
    log(`seeded ${count} HostedClusters with status in ${fmt(seedMs / 1000)} s`)

    const kc = kubeConfigOf(kube)
    const clusters = createWatchCache<KubeObject>({ kubeConfig: kc, group: GROUP, version: VERSION, plural: 'hostedclusters' })
    const nodePools = createWatchCache<KubeObject>({ kubeConfig: kc, group: GROUP, version: VERSION, plural: 'nodepools' })
    closers.push(() => Promise.all([clusters.stop(), nodePools.stop()]))
    const lister = createClusterLister({ clusters, nodePools })
    const syncStart = performance.now()
    await Promise.all([clusters.start(), nodePools.start()])
    const cacheSyncMs = performance.now() - syncStart
    log(`watch caches synced in ${fmt(cacheSyncMs)} ms (${clusters.list().length} clusters)`)

    const custom = kc.makeApiClient(CustomObjectsApi)
    const precomputed = lister.listClusters({ limit: 100 })
    const app = Fastify({ logger: false })
    closers.push(() => app.close())
    // No response schema: for a 100-cluster page (~430 KiB) JSON.stringify is faster than fast-json-stringify
    // (labels/annotations are open records), and all three routes serialise the same way.
    app.get('/bare', async () => precomputed)
    app.get('/per-request', async () => {
      const list = await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'hostedclusters', limit: 100 }) as { items: KubeObject[], metadata?: { continue?: string, remainingItemCount?: number } }
      return {
        items: list.items.map(hc => toClusterView(hc, [])),
        limit: 100,
        continue: list.metadata?.continue,
        total: list.items.length + (list.metadata?.remainingItemCount ?? 0)
      }
    })
    app.get<{ Querystring: { search?: string, order?: string, limit?: string, continue?: string } }>('/cached', async req => lister.listClusters(req.query))
    await app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

    const load = (url: string, headers?: Record<string, string>) => runLoad({ url, headers, durationMs, connections, warmupMs: 1000 })
    log(`load: ${connections} connections, ${durationMs / 1000} s per scenario after 1 s warm-up`)
    const bare = await load(`${base}/bare`)
    log(row('(a) bare fastify, precomputed page', bare))
    const perRequest = await load(`${base}/per-request`)
    log(row('(b) LIST from the API per request', perRequest))
    const cachedUrl = opts.target?.url ?? `${base}/cached?limit=100`
    const cached = await load(cachedUrl, opts.target?.headers)
    log(row(opts.target === undefined ? '(c) watch cache + query + views' : '(c) target route', cached))
    const cachedUnloaded = await runLoad({ url: cachedUrl, headers: opts.target?.headers, durationMs: 3000, connections: 1, warmupMs: 500 })
    log(row('(c) again, 1 connection', cachedUnloaded))

    const ratios = { cachedVsBare: cached.rps / bare.rps, cachedVsPerRequest: cached.rps / perRequest.rps }
    const targets = { cachedVsBare: ratios.cachedVsBare >= 0.5, cachedVsPerRequest: ratios.cachedVsPerRequest >= 10, p99: cached.p99Ms < 20 }
    const mark = (ok: boolean) => ok ? 'PASS' : 'FAIL'
    log(`(c)/(a) = ${fmt(ratios.cachedVsBare * 100)} % (target >= 50 %) ${mark(targets.cachedVsBare)}`)
    log(`(c)/(b) = ${fmt(ratios.cachedVsPerRequest)}x (target >= 10x) ${mark(targets.cachedVsPerRequest)}`)
    log(`(c) p99 = ${fmt(cached.p99Ms, 2)} ms at ${connections} connections (target < 20 ms) ${mark(targets.p99)}; ${fmt(cachedUnloaded.p99Ms, 2)} ms at 1 connection`)
    return { clusters: count, seedMs, cacheSyncMs, bare, perRequest, cached, cachedUnloaded, ratios, targets }
  } finally {
    for (const close of closers.reverse()) await close()
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { clusters: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' } } })
  await benchClusterList({
    clusters: values.clusters === undefined ? undefined : Number(values.clusters),
    durationMs: values.seconds === undefined ? undefined : Number(values.seconds) * 1000,
    connections: values.connections === undefined ? undefined : Number(values.connections)
  })
}
