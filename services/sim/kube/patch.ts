// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch for built-in kinds.
import { badRequest, unprocessable } from './status.ts'

type Json = unknown
type JsonObject = Record<string, unknown>

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v)

export function mergePatch (target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch)
  const out: JsonObject = isObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

interface Operation { op: string, path: string, from?: string, value?: unknown }

function pointer (path: string): string[] {
  if (path === '') return []
  if (!path.startsWith('/')) throw unprocessable(`invalid JSON pointer: ${path}`)
  return path.slice(1).split('/').map(p => p.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function parentOf (doc: Json, parts: string[], path: string): { container: JsonObject | unknown[], key: string } {
  let cur: unknown = doc
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)]
    else if (isObject(cur)) cur = cur[p]
    else cur = undefined
    if (cur === undefined) throw unprocessable(`doc is missing path: "${path}": missing value`)
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw unprocessable(`doc is missing path: "${path}": missing value`)
  return { container: cur, key: parts[parts.length - 1] }
}

function arrayIndex (arr: unknown[], key: string, path: string, forInsert: boolean): number {
  if (forInsert && key === '-') return arr.length
  if (!/^\d+$/.test(key)) throw unprocessable(`unable to access invalid index: ${key}: "${path}"`)
  const i = Number(key)
  if (i > arr.length || (!forInsert && i === arr.length)) throw unprocessable(`unable to access invalid index: ${i}: "${path}"`)
  return i
}

function read (doc: Json, path: string): unknown {
  const parts = pointer(path)
  if (parts.length === 0) return doc
  const { container, key } = parentOf(doc, parts, path)
  const v = Array.isArray(container) ? container[arrayIndex(container, key, path, false)] : container[key]
  if (v === undefined) throw unprocessable(`doc is missing key: "${path}": missing value`)
  return v
}

function remove (doc: Json, path: string): unknown {
  const { container, key } = parentOf(doc, pointer(path), path)
  if (Array.isArray(container)) return container.splice(arrayIndex(container, key, path, false), 1)[0]
  if (!Object.hasOwn(container, key)) throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`)
  const v = container[key]
  delete container[key]
  return v
}

function add (doc: Json, path: string, value: unknown, replace: boolean): Json {
  const parts = pointer(path)
  if (parts.length === 0) return value
  const { container, key } = parentOf(doc, parts, path)
  if (Array.isArray(container)) {
    const i = arrayIndex(container, key, path, !replace)
    container.splice(i, replace ? 1 : 0, value)
  } else {
    if (replace && !Object.hasOwn(container, key)) throw unprocessable(`replace operation does not apply: doc is missing key: ${path}: missing value`)
    container[key] = value
  }
  return doc
}

export function jsonPatch (target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
  let doc = structuredClone(target)
  for (const raw of ops as Operation[]) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw badRequest('invalid JSON patch operation')
    const { op, path } = raw
    switch (op) {
      case 'add': doc = add(doc, path, structuredClone(raw.value), false); break
      case 'replace': read(doc, path); doc = add(doc, path, structuredClone(raw.value), true); break
      case 'remove': remove(doc, path); break
      case 'move': { const v = remove(doc, String(raw.from)); doc = add(doc, path, v, false); break }
      case 'copy': doc = add(doc, path, structuredClone(read(doc, String(raw.from))), false); break
      case 'test':
        if (!deepEqual(read(doc, path), raw.value)) throw unprocessable(`testing value ${path} failed: test failed`)
        break
      default: throw unprocessable(`Unexpected kind: ${op}`)
    }
  }
  return doc
}

export function deepEqual (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]))
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter(k => a[k] !== undefined)
    const kb = Object.keys(b).filter(k => b[k] !== undefined)
    return ka.length === kb.length && ka.every(k => deepEqual(a[k], b[k]))
  }
  return false
}

// patchMergeKey of the common lists in core/apps types; lists not named here are replaced whole.
function mergeKeyFor (field: string, path: string[]): string | undefined {
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'env': case 'volumes':
    case 'imagePullSecrets': case 'hostAliases': case 'resourceClaims':
      return field === 'hostAliases' ? 'ip' : 'name'
    case 'volumeMounts': case 'volumeDevices': return field === 'volumeMounts' ? 'mountPath' : 'devicePath'
    case 'ports': return path.some(p => p.endsWith('ontainers')) ? 'containerPort' : 'port'
    case 'conditions': return 'type'
    case 'ownerReferences': return 'uid'
    case 'topologySpreadConstraints': return 'topologyKey'
    default: return undefined
  }
}

const MERGED_PRIMITIVE_LISTS = new Set(['finalizers'])

function strategicList (field: string, path: string[], target: unknown, patch: unknown[]): unknown[] {
  const key = mergeKeyFor(field, path)
  const replaceDirective = patch.find(p => isObject(p) && p.$patch === 'replace')
  if (replaceDirective !== undefined) return patch.filter(p => p !== replaceDirective)
  if (MERGED_PRIMITIVE_LISTS.has(field) && Array.isArray(target)) return [...new Set([...target, ...patch])]
  if (key === undefined || !Array.isArray(target)) return patch.filter(p => !(isObject(p) && p.$patch === 'delete'))
  const out = [...target]
  for (const item of patch) {
    if (!isObject(item)) continue
    const i = out.findIndex(o => isObject(o) && o[key] === item[key])
    if (item.$patch === 'delete') { if (i >= 0) out.splice(i, 1); continue }
    if (i >= 0) out[i] = strategicMerge(out[i], item, [...path, field])
    else out.push(strategicMerge(undefined, item, [...path, field]))
  }
  return out
}

export function strategicMerge (target: unknown, patch: unknown, path: string[] = []): unknown {
  if (!isObject(patch)) return structuredClone(patch)
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch
    return rest
  }
  if (patch.$patch === 'delete') return undefined
  const out: JsonObject = isObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys') continue
    if (v === null) delete out[k]
    else if (Array.isArray(v)) out[k] = strategicList(k, path, out[k], v)
    else {
      const merged = strategicMerge(out[k], v, [...path, k])
      if (merged === undefined) delete out[k]
      else out[k] = merged
    }
  }
  return out
}
