// The in-memory half of the watch cache: objects by namespace/name, secondary indexes, a reusable list
// snapshot and change listeners. It knows nothing about the API server; watch-cache.ts feeds it.
import { objectKey, type KubeObject } from './kube-object.ts'

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED'
export type CacheListener<T> = (type: CacheEventType, obj: T, old?: T) => void
export type IndexFn<T> = (obj: T) => string[]

export interface CacheStore<T extends KubeObject> {
  size (): number
  get (namespace: string | undefined, name: string): T | undefined
  // the same frozen array until the next change, so a caller can memoise on its identity
  list (): readonly T[]
  // applies one watch event; false when it changed nothing (a replayed event)
  apply (type: CacheEventType, obj: T): boolean
  // makes the store equal to a fresh LIST, emitting the difference as events; returns how many changed
  replace (items: T[]): number
  addIndex (name: string, fn: IndexFn<T>): void
  byIndex (name: string, key: string): T[]
  subscribe (cb: CacheListener<T>): () => void
}

interface Index<T> { fn: IndexFn<T>, map: Map<string, Map<string, T>> }

const EMPTY: readonly never[] = Object.freeze([])

export function createCacheStore<T extends KubeObject> (onListenerError: (err: unknown) => void): CacheStore<T> {
  const items = new Map<string, T>()
  const indexes = new Map<string, Index<T>>()
  const listeners = new Set<CacheListener<T>>()
  let snapshot: readonly T[] | null = EMPTY

  const keyOf = (o: T) => objectKey(o.metadata.namespace, o.metadata.name)

  const indexKeys = (idx: Index<T>, o: T): string[] => {
    try {
      return idx.fn(o)
    } catch (err) {
      onListenerError(err)
      return []
    }
  }
  const indexInto = (idx: Index<T>, key: string, o: T) => {
    for (const k of indexKeys(idx, o)) {
      let bucket = idx.map.get(k)
      if (bucket === undefined) idx.map.set(k, bucket = new Map())
      bucket.set(key, o)
    }
  }
  const indexAdd = (key: string, o: T) => {
    for (const idx of indexes.values()) indexInto(idx, key, o)
  }
  const indexRemove = (key: string, o: T) => {
    for (const idx of indexes.values()) {
      for (const k of indexKeys(idx, o)) {
        const bucket = idx.map.get(k)
        if (bucket === undefined) continue
        bucket.delete(key)
        if (bucket.size === 0) idx.map.delete(k)
      }
    }
  }
  const emit = (type: CacheEventType, obj: T, old?: T) => {
    for (const cb of [...listeners]) {
      try {
        cb(type, obj, old)
      } catch (err) {
        onListenerError(err)
      }
    }
  }
  const put = (key: string, obj: T, old: T | undefined) => {
    if (old !== undefined) indexRemove(key, old)
    items.set(key, obj)
    indexAdd(key, obj)
    snapshot = null
    emit(old === undefined ? 'ADDED' : 'MODIFIED', obj, old)
  }
  const remove = (key: string, old: T, last: T) => {
    items.delete(key)
    indexRemove(key, old)
    snapshot = null
    emit('DELETED', last, old)
  }

  return {
    size: () => items.size,
    get: (namespace, name) => items.get(objectKey(namespace, name)),
    list () {
      if (snapshot === null) snapshot = Object.freeze([...items.values()])
      return snapshot
    },
    apply (type, obj) {
      const key = keyOf(obj)
      const old = items.get(key)
      if (type === 'DELETED') {
        if (old === undefined) return false
        remove(key, old, obj)
        return true
      }
      // a resumed watch may replay what the cache already holds
      if (old !== undefined && old.metadata.resourceVersion === obj.metadata.resourceVersion) return false
      put(key, obj, old)
      return true
    },
    replace (fresh) {
      let changes = 0
      const seen = new Set<string>()
      for (const obj of fresh) {
        const key = keyOf(obj)
        seen.add(key)
        const old = items.get(key)
        if (old !== undefined && old.metadata.resourceVersion === obj.metadata.resourceVersion) continue
        put(key, obj, old)
        changes++
      }
      for (const [key, old] of [...items]) {
        if (seen.has(key)) continue
        remove(key, old, old)
        changes++
      }
      return changes
    },
    addIndex (name, fn) {
      if (indexes.has(name)) throw new Error(`index ${name} already exists`)
      const idx: Index<T> = { fn, map: new Map() }
      indexes.set(name, idx)
      for (const [key, o] of items) indexInto(idx, key, o)
    },
    byIndex (name, key) {
      const idx = indexes.get(name)
      if (idx === undefined) throw new Error(`no index named ${name}`)
      const bucket = idx.map.get(key)
      return bucket === undefined ? [] : [...bucket.values()]
    },
    subscribe (cb) {
      listeners.add(cb)
      return () => { listeners.delete(cb) }
    }
  }
}
