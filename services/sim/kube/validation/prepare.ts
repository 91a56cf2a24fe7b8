import type { JsonObject } from './types.ts'

// The customResourceStrategy / statusStrategy Prepare* steps for resources with a status subresource.

// Create cannot set status.
export function prepareForCreate (object: JsonObject, hasStatus: boolean): JsonObject {
  const out = structuredClone(object)
  if (hasStatus) delete out.status
  return out
}

// A main-resource update keeps the stored status.
export function prepareForUpdate (object: JsonObject, old: JsonObject, hasStatus: boolean): JsonObject {
  const out = structuredClone(object)
  if (!hasStatus) return out
  if ('status' in old) out.status = structuredClone(old.status)
  else delete out.status
  return out
}

// A /status update changes only status: everything else comes from the stored object.
export function prepareForStatusUpdate (object: JsonObject, old: JsonObject): JsonObject {
  const out = structuredClone(old)
  if ('status' in object) out.status = structuredClone(object.status)
  else delete out.status
  return out
}
