import { createHash } from 'node:crypto'
import type { ReleaseInfo } from './release-catalog.ts'

// The HyperShift Operator shipped with MCE 2.9 / OCP 4.19: upstream supportedversion sets
// LatestSupportedVersion = 4.19.0 and MinSupportedVersion = 4.14.0, and Supported() lists every minor
// from the latest down to the minimum (seed 002_ch7-17 §3.3; 002_ch1-3 §2.4).
export const LATEST_SUPPORTED = { major: 4, minor: 19 } as const
export const MIN_SUPPORTED = { major: 4, minor: 14 } as const

export function supportedVersions (): string[] {
  const out: string[] = []
  for (let minor = LATEST_SUPPORTED.minor; minor >= MIN_SUPPORTED.minor; minor--) out.push(`4.${minor}`)
  return out
}

// `server-version` is the operator's git revision; the twin derives a stable 40-hex stand-in.
export function serverVersion (): string {
  return createHash('sha1').update(`hypershift-operator ${LATEST_SUPPORTED.major}.${LATEST_SUPPORTED.minor}`).digest('hex')
}

export function supportedVersionsConfigMapData (): Record<string, string> {
  return {
    'supported-versions': JSON.stringify({ versions: supportedVersions() }),
    'server-version': serverVersion()
  }
}

// Mirrors upstream supportedversion.IsValidReleaseVersion for OVNKubernetes clusters: returns the
// operator's error text, or null when the release is acceptable.
export function releaseVersionError (release: ReleaseInfo, current: ReleaseInfo | null, platformType: string): string | null {
  const v = release.version
  if (release.major < 4 || (release.major === 4 && release.minor < 8)) {
    return `releases before 4.8 are not supported. Attempting to use: "${v}"`
  }
  if (current !== null && current.minor > release.minor) {
    return `y-stream downgrade from "${current.version}" to "${v}" is not supported`
  }
  if (release.major > LATEST_SUPPORTED.major || (release.major === LATEST_SUPPORTED.major && release.minor > LATEST_SUPPORTED.minor)) {
    return `the latest version supported is: "${LATEST_SUPPORTED.major}.${LATEST_SUPPORTED.minor}.0". Attempting to use: "${v}"`
  }
  if (release.major < MIN_SUPPORTED.major || (release.major === MIN_SUPPORTED.major && release.minor < MIN_SUPPORTED.minor)) {
    return `the minimum version supported for platform ${platformType} is: "${MIN_SUPPORTED.major}.${MIN_SUPPORTED.minor}.0". Attempting to use: "${v}"`
  }
  return null
}
