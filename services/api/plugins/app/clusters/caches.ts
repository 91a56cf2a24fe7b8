import fp from 'fastify-plugin'
import type { KubeObject } from '../../../../../shared/kube/kube-object.ts'
import { createWatchCache, type WatchCache } from '../../../../../shared/kube/watch-cache.ts'
import { createClusterLister, type ClusterLister } from '../../../../../shared/clusters/cluster-list.ts'

declare module 'fastify' {
  interface FastifyInstance {
    caches: { clusters: WatchCache<KubeObject>, nodePools: WatchCache<KubeObject>, lister: ClusterLister }
  }
}

// How long start-up waits for the first full list (under fastify's 10 s plugin timeout); a slower API
// server still comes up, not ready.
const FIRST_SYNC_WAIT_MS = 8_000

// Lists and reads are served from these watch-fed caches, never from a Kubernetes call per request.
export default fp<{ offline?: boolean }>(async function caches (fastify, opts) {
  const log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => fastify.log[level](extra ?? {}, msg)
  const common = { kubeConfig: fastify.kube.config, group: 'hypershift.openshift.io', version: 'v1beta1', log }
  const clusters = createWatchCache<KubeObject>({ ...common, plural: 'hostedclusters' })
  const nodePools = createWatchCache<KubeObject>({ ...common, plural: 'nodepools' })
  const lister = createClusterLister({ clusters, nodePools })
  fastify.decorate('caches', { clusters, nodePools, lister })

  for (const [name, cache] of [['cache.hostedclusters', clusters], ['cache.nodepools', nodePools]] as const) {
    fastify.readiness.register(name, async () => {
      const f = cache.freshness()
      return {
        ok: f.synced,
        detail: f.synced
          ? `resourceVersion ${f.resourceVersion}, ${f.watching ? 'watching' : `stale for ${f.ageMs} ms`}, ${f.relists} relists, ${f.reconnects} reconnects`
          : 'first list not finished'
      }
    })
  }

  if (opts.offline) return
  const started = Promise.all([clusters.start(), nodePools.start()])
  started.catch(err => fastify.log.warn({ err: (err as Error).message }, 'watch caches failed to start'))
  fastify.addHook('onReady', async () => {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([started.catch(() => {}), new Promise(resolve => { timer = setTimeout(resolve, FIRST_SYNC_WAIT_MS) })])
    clearTimeout(timer)
  })
  fastify.addHook('onClose', async () => {
    await Promise.all([clusters.stop(), nodePools.stop()])
  })
}, { name: 'caches', dependencies: ['kube', 'readiness'] })
