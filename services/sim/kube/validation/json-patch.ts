import { isObject, type JsonObject } from './types.ts'

export interface JsonPatchOp { op: string, path: string, value?: unknown }

function unescape (token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~')
}

// RFC 6902 add/remove/replace, enough for the suites' initialCRDPatches. Returns a patched copy.
export function applyJsonPatch<T extends JsonObject> (doc: T, ops: JsonPatchOp[]): T {
  const out = structuredClone(doc)
  for (const { op, path, value } of ops) {
    const tokens = path.split('/').slice(1).map(unescape)
    const last = tokens.pop()
    if (last === undefined) throw new Error(`json patch: cannot ${op} the document root`)
    let parent: unknown = out
    for (const t of tokens) {
      parent = Array.isArray(parent) ? parent[Number(t)] : isObject(parent) ? parent[t] : undefined
      if (parent === undefined) throw new Error(`json patch: path ${path} does not exist`)
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last)
      if (op === 'remove') parent.splice(index, 1)
      else if (op === 'add') parent.splice(index, 0, structuredClone(value))
      else if (op === 'replace') parent[index] = structuredClone(value)
      else throw new Error(`json patch: unsupported op ${op}`)
    } else if (isObject(parent)) {
      if (op === 'remove') delete parent[last]
      else if (op === 'add' || op === 'replace') parent[last] = structuredClone(value)
      else throw new Error(`json patch: unsupported op ${op}`)
    } else {
      throw new Error(`json patch: path ${path} does not exist`)
    }
  }
  return out
}
