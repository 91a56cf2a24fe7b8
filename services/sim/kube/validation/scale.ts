import { invalid } from './messages.ts'
import type { LocatedCause, PathSegment } from './types.ts'

export interface ScaleSubresource { specReplicasPath?: string, statusReplicasPath?: string }

function valueAt (obj: unknown, path: string): { value: unknown, at: PathSegment[] } {
  const at = path.replace(/^\./, '').split('.')
  let v: unknown = obj
  for (const seg of at) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[seg] : undefined
  return { value: v, at }
}

// customResourceValidator.ValidateScaleSpec/ValidateScaleStatus: the replicas paths of the scale
// subresource must hold int32-range non-negative integers.
export function validateScale (obj: unknown, path: string | undefined): LocatedCause[] {
  if (!path) return []
  const { value, at } = valueAt(obj, path)
  if (value === undefined) return []
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    const type = Array.isArray(value) ? '[]interface {}' : typeof value === 'object' ? 'map[string]interface {}' : typeof value === 'number' ? 'float64' : typeof value === 'boolean' ? 'bool' : 'string'
    return [invalid(path, 0, `${path} accessor error: ${String(value)} is of the type ${type}, expected int64`, at)]
  }
  if (value < 0) return [invalid(path, value, 'should be a non-negative integer', at)]
  if (value > 2147483647) return [invalid(path, value, 'should be less than or equal to 2147483647', at)]
  return []
}
