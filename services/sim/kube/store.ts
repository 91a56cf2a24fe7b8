// Objects of every resource, one global resourceVersion counter and a bounded event history that
// serves both watch resume and consistent list snapshots.
import type { KubeObject } from './types.ts'

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface StoreEvent {
  rv: number
  type: EventType
  resource: string
  key: string
  object: KubeObject
  // state before this event (undefined for ADDED); lets a snapshot be rebuilt by undoing events
  prev?: KubeObject
}

export interface Store {
  rv (): number
  // every event after this resourceVersion is still retained
  compacted (): number
  get (resource: string, namespace: string, name: string): KubeObject | undefined
  list (resource: string, namespace?: string): KubeObject[]
  // the resource's objects as they were at rv; null when history no longer reaches back that far
  listAt (resource: string, rv: number, namespace?: string): KubeObject[] | null
  // events with rv > after for one resource; null when they are no longer all retained
  since (resource: string, after: number): StoreEvent[] | null
  entries (): Array<{ resource: string, object: KubeObject }>
  commit (resource: string, type: EventType, object: KubeObject): KubeObject
  subscribe (fn: (e: StoreEvent) => void): () => void
}

export function objectKey (namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`
}

const byKey = (a: [string, KubeObject], b: [string, KubeObject]) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0

export function createStore (opts: { window: number }): Store {
  const data = new Map<string, Map<string, KubeObject>>()
  const history: StoreEvent[] = []
  const subscribers = new Set<(e: StoreEvent) => void>()
  let counter = 0
  let compacted = 0

  const bucket = (resource: string) => {
    let m = data.get(resource)
    if (m === undefined) data.set(resource, m = new Map())
    return m
  }
  const inNamespace = (namespace: string | undefined) => (entry: [string, KubeObject]) =>
    namespace === undefined || entry[1].metadata.namespace === namespace

  return {
    rv: () => counter,
    compacted: () => compacted,
    get (resource, namespace, name) {
      const o = data.get(resource)?.get(objectKey(namespace, name))
      return o === undefined ? undefined : structuredClone(o)
    },
    list (resource, namespace) {
      return [...bucket(resource)].filter(inNamespace(namespace)).sort(byKey).map(([, o]) => structuredClone(o))
    },
    listAt (resource, rv, namespace) {
      if (rv < compacted) return null
      const state = new Map(bucket(resource))
      const undone = new Set<string>()
      for (const e of history) {
        if (e.rv <= rv || e.resource !== resource || undone.has(e.key)) continue
        undone.add(e.key)
        if (e.prev === undefined) state.delete(e.key)
        else state.set(e.key, e.prev)
      }
      return [...state].filter(inNamespace(namespace)).sort(byKey).map(([, o]) => structuredClone(o))
    },
    since (resource, after) {
      if (after < compacted) return null
      return history.filter(e => e.rv > after && e.resource === resource)
    },
    entries () {
      const out: Array<{ resource: string, object: KubeObject }> = []
      for (const [resource, m] of data) for (const o of m.values()) out.push({ resource, object: structuredClone(o) })
      return out
    },
    commit (resource, type, object) {
      const m = bucket(resource)
      const key = objectKey(object.metadata.namespace, object.metadata.name)
      const prev = m.get(key)
      counter++
      const stored = structuredClone(object)
      stored.metadata.resourceVersion = String(counter)
      if (type === 'DELETED') m.delete(key)
      else m.set(key, stored)
      const event: StoreEvent = { rv: counter, type, resource, key, object: stored, prev }
      history.push(event)
      while (history.length > opts.window) compacted = history.shift()!.rv
      for (const fn of subscribers) fn(event)
      return structuredClone(stored)
    },
    subscribe (fn) {
      subscribers.add(fn)
      return () => { subscribers.delete(fn) }
    }
  }
}
