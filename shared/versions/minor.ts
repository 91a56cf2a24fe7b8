// OpenShift versions compared by major.minor, the granularity every support rule uses.
export interface Minor { major: number, minor: number }

const MINOR = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/

export function parseMinor (version: string): Minor | null {
  const m = MINOR.exec(version.trim())
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null
}

export function minorString (version: string): string | null {
  const m = parseMinor(version)
  return m ? `${m.major}.${m.minor}` : null
}

export function compareMinor (a: string, b: string): number {
  const x = parseMinor(a)
  const y = parseMinor(b)
  if (!x || !y) throw new TypeError(`not a version: ${!x ? a : b}`)
  return x.major - y.major || x.minor - y.minor
}

export function inMinorRange (version: string, range: { min: string, max: string }): boolean {
  return compareMinor(version, range.min) >= 0 && compareMinor(version, range.max) <= 0
}
