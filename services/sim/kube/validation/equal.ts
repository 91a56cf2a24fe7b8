// Deep equality of decoded JSON values (reflect.DeepEqual on unstructured content).
export function deepEqual (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bl = b as unknown[]
    return a.length === bl.length && a.every((v, i) => deepEqual(v, bl[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao)
  if (ak.length !== Object.keys(bo).length) return false
  return ak.every(k => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]))
}
