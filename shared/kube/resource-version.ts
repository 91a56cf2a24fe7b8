// resourceVersions are opaque by contract, but every real API server (etcd revisions) and the twin hand out
// increasing decimal integers, which lets a reader tell "seen it" from "not yet" after a write. Anything
// else only compares equal to itself.
const DECIMAL = /^\d+$/

// <0, 0 or >0 like a sort comparator; NaN when the two cannot be ordered.
export function compareResourceVersions (a: string, b: string): number {
  if (a === b) return 0
  if (!DECIMAL.test(a) || !DECIMAL.test(b)) return Number.NaN
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  if (x.length !== y.length) return x.length - y.length
  return x < y ? -1 : x > y ? 1 : 0
}
