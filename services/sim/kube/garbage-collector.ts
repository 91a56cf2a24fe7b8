// The controllers a real control plane runs for object lifetimes: the garbage collector (owner
// references, foreground deletion) and the namespace controller (empties a terminating namespace).
import type { Objects } from './objects.ts'
import type { Registry } from './resources.ts'
import type { Store } from './store.ts'
import { resourceKey } from './types.ts'
import type { KubeObject, Log, ResourceInfo } from './types.ts'

export interface GarbageCollector {
  // runs passes until nothing changes; resolves when settled
  idle (): Promise<void>
  stop (): void
}

export function startGarbageCollector (ctx: { store: Store, registry: Registry, objects: Objects, log: Log }): GarbageCollector {
  const { store, objects } = ctx
  const byKey = new Map(ctx.registry.all.map(r => [resourceKey(r), r]))
  let scheduled: NodeJS.Immediate | undefined
  let waiters: Array<() => void> = []
  let stopped = false

  const schedule = () => {
    if (scheduled === undefined && !stopped) scheduled = setImmediate(run)
  }
  const unsubscribe = store.subscribe(e => {
    if (e.type === 'DELETED' || e.object.metadata.deletionTimestamp !== undefined) schedule()
  })

  function run (): void {
    scheduled = undefined
    try {
      pass()
    } catch (err) {
      ctx.log('error', 'garbage collector pass failed', { err: String(err) })
    }
    if (scheduled === undefined) {
      const w = waiters
      waiters = []
      for (const fn of w) fn()
    }
  }

  function remove (r: ResourceInfo, o: KubeObject, policy: 'Foreground' | 'Background'): void {
    // re-read: an earlier step of this pass may have changed the object
    const fresh = store.get(resourceKey(r), o.metadata.namespace ?? '', o.metadata.name!)
    if (fresh === undefined || fresh.metadata.deletionTimestamp !== undefined) return
    objects.remove(r, fresh, { propagationPolicy: policy })
  }

  function pass (): void {
    const entries = store.entries().flatMap(({ resource, object }) => {
      const r = byKey.get(resource)
      return r === undefined ? [] : [{ r, object }]
    })
    const byUid = new Map(entries.map(e => [e.object.metadata.uid, e.object]))
    const dependents = new Map<string, number>()
    for (const { r, object } of entries) {
      const refs = object.metadata.ownerReferences ?? []
      for (const ref of refs) dependents.set(ref.uid, (dependents.get(ref.uid) ?? 0) + 1)
      if (refs.length === 0) continue
      const owners = refs.map(ref => byUid.get(ref.uid))
      if (owners.every(o => o === undefined)) remove(r, object, 'Background')
      else if (owners.some(o => o?.metadata.finalizers?.includes('foregroundDeletion'))) remove(r, object, 'Foreground')
    }
    for (const { r, object } of entries) {
      const m = object.metadata
      if (m.deletionTimestamp === undefined) continue
      if (m.finalizers?.includes('foregroundDeletion') && (dependents.get(m.uid!) ?? 0) === 0) {
        const fresh = store.get(resourceKey(r), m.namespace ?? '', m.name!)
        if (fresh !== undefined) {
          const finalizers = (fresh.metadata.finalizers ?? []).filter(f => f !== 'foregroundDeletion')
          objects.update(r, fresh, { ...fresh, metadata: { ...fresh.metadata, finalizers } }, { dryRun: false })
        }
      }
      if (r.group === '' && r.plural === 'namespaces') emptyNamespace(r, object, entries)
    }
  }

  function emptyNamespace (nsResource: ResourceInfo, ns: KubeObject, entries: Array<{ r: ResourceInfo, object: KubeObject }>): void {
    const content = entries.filter(e => e.r.namespaced && e.object.metadata.namespace === ns.metadata.name)
    for (const { r, object } of content) remove(r, object, 'Background')
    if (content.length > 0) return
    const spec = { ...(ns.spec as object), finalizers: [] }
    store.commit('namespaces', 'MODIFIED', { ...ns, spec })
    const current = objects.get(nsResource, undefined, ns.metadata.name!)
    if ((current.metadata.finalizers ?? []).length === 0) store.commit('namespaces', 'DELETED', current)
  }

  return {
    idle: () => new Promise(resolve => {
      if (scheduled === undefined) resolve()
      else waiters.push(resolve)
    }),
    stop () {
      stopped = true
      unsubscribe()
      if (scheduled !== undefined) clearImmediate(scheduled)
      for (const fn of waiters) fn()
      waiters = []
    }
  }
}
