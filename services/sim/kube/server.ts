// The twin's Kubernetes API server: plain HTTP on loopback, JSON only.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createExecEndpoint } from './exec.ts'
import { createFaults } from './faults.ts'
import type { FaultOptions, Faults } from './faults.ts'
import { startGarbageCollector } from './garbage-collector.ts'
import type { ServerState } from './handlers/context.ts'
import { kubeconfigFor } from './kubeconfig.ts'
import { now } from './meta.ts'
import { versionInfo } from './discovery.ts'
import { createObjects } from './objects.ts'
import { createOpenApi } from './openapi.ts'
import { createRegistry } from './resources.ts'
import { route } from './routes.ts'
import { createStore } from './store.ts'
import type { Store } from './store.ts'
import type { KubeObject, Log } from './types.ts'
import type { CrdValidator } from './validation/index.ts'

export type { FaultOptions, Faults } from './faults.ts'

export interface KubeServerOptions {
  host?: string
  port?: number
  advertiseUrl?: string
  // CRD yaml files to load and validate against; null/absent serves the custom kinds unvalidated
  crdDir?: string | null
  // events of history kept for watch resume and list snapshots; older => 410
  watchWindow?: number
  // how often watches with allowWatchBookmarks=true get a BOOKMARK (default 10s)
  bookmarkIntervalMs?: number
  faults?: Partial<FaultOptions>
  log?: Log
}

export interface KubeServer {
  url: string
  port: number
  kubeconfig (): string
  faults: Faults
  validation: { crdsLoaded: number, rules: number, evaluableRules: number }
  close (): Promise<void>
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

async function loadValidator (crdDir: string | null | undefined, log: Log): Promise<CrdValidator | null> {
  if (crdDir === null || crdDir === undefined) {
    log('warn', 'kube twin: no crdDir given, custom resources are served unvalidated')
    return null
  }
  const { loadCrdValidator } = await import('./validation/index.ts')
  return loadCrdValidator(crdDir)
}

function seed (store: Store, validator: CrdValidator | null): void {
  for (const name of SYSTEM_NAMESPACES) {
    store.commit('namespaces', 'ADDED', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: randomUUID(), creationTimestamp: now(), labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' }
    })
  }
  for (const crd of (validator?.crds ?? []) as KubeObject[]) {
    const names = (crd.spec as { names?: object } | undefined)?.names
    store.commit('customresourcedefinitions.apiextensions.k8s.io', 'ADDED', {
      ...structuredClone(crd),
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { ...crd.metadata, uid: randomUUID(), creationTimestamp: now(), generation: 1 },
      status: {
        acceptedNames: names,
        storedVersions: ((crd.spec as { versions?: Array<{ name: string, storage?: boolean }> }).versions ?? []).filter(v => v.storage).map(v => v.name),
        conditions: [
          { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now() },
          { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now() }
        ]
      }
    })
  }
}

export async function startKubeServer (opts: KubeServerOptions = {}): Promise<KubeServer> {
  const log: Log = opts.log ?? (() => {})
  const validator = await loadValidator(opts.crdDir, log)
  const registry = createRegistry(validator?.crds ?? [], (g, v, p) => validator?.has(g, v, p) ?? false)
  const store = createStore({ window: opts.watchWindow ?? 1000 })
  const objects = createObjects({ store, registry, validator })
  const faults = createFaults(opts.faults)
  seed(store, validator)
  const gc = startGarbageCollector({ store, registry, objects, log })
  const state: ServerState = {
    store, registry, objects, validator, faults, log, bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 10_000, openWatches: new Set(), openapi: createOpenApi(registry, versionInfo().gitVersion)
  }

  const sockets = new Set<Socket>()
  const server = createServer((req, res) => { route(state, req, res).catch(err => log('error', 'kube twin handler crashed', { err: String(err) })) })
  // pods/exec arrives as an HTTP Upgrade to WebSocket
  const exec = createExecEndpoint({ store, log })
  server.on('upgrade', (req, socket, head) => exec.upgrade(req, socket, head))
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve() })
  })
  const port = (server.address() as AddressInfo).port
  const url = opts.advertiseUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const stats = validator?.stats() ?? { crds: 0, rules: 0, evaluableRules: 0 }
  log('info', 'kube twin listening', { url, crds: stats.crds, validated: validator !== null })

  return {
    url,
    port,
    kubeconfig: () => kubeconfigFor(url),
    faults,
    validation: { crdsLoaded: stats.crds, rules: stats.rules, evaluableRules: stats.evaluableRules },
    async close () {
      gc.stop()
      exec.close()
      for (const end of [...state.openWatches]) end()
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closed
    }
  }
}
