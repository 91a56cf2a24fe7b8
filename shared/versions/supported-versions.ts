import { GatewayError } from '../errors.ts'
import { compareMinor, minorString } from './minor.ts'

// The HyperShift Operator publishes the hosted-cluster versions it can create in this ConfigMap (docs §2.4).
export const SUPPORTED_VERSIONS_CONFIGMAP = { namespace: 'hypershift', name: 'supported-versions' } as const

export interface SupportedVersions {
  // Minor versions, newest first, e.g. ["4.19", "4.18", ...].
  versions: string[]
  latest: string
  minimum: string
  // The operator's build revision (key `server-version`), when present.
  serverVersion: string | null
}

function upstream (detail: string): never {
  throw new GatewayError('GW_ERR_UPSTREAM', `ConfigMap hypershift/supported-versions ${detail}`)
}

export function readSupportedVersions (data: Record<string, string> | undefined): SupportedVersions {
  const text = data?.['supported-versions']
  if (typeof text !== 'string') upstream('has no supported-versions key')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    upstream('holds invalid JSON in supported-versions')
  }
  const list = (parsed as { versions?: unknown } | null)?.versions
  if (!Array.isArray(list) || list.length === 0) upstream('has no versions list')
  const versions = new Set<string>()
  for (const entry of list) {
    const minor = typeof entry === 'string' ? minorString(entry) : null
    if (minor === null) upstream(`lists ${JSON.stringify(entry)}, which is not a version`)
    versions.add(minor)
  }
  const sorted = [...versions].sort((a, b) => compareMinor(b, a))
  const serverVersion = data?.['server-version']
  return {
    versions: sorted,
    latest: sorted[0],
    minimum: sorted[sorted.length - 1],
    serverVersion: typeof serverVersion === 'string' && serverVersion !== '' ? serverVersion : null
  }
}

export interface VersionVerdict {
  version: string
  // The installed HyperShift Operator can create it (the ConfigMap lists its minor).
  operatorSupported: boolean
  // MCE itself supports hosted clusters up to 2 minors older than the newest (docs §3.1.1).
  mceSupported: boolean
  warnings: string[]
}

export const MCE_SUPPORT_WINDOW_MINORS = 2

// Keeps the two verdicts of docs §3.1.1 apart: operator support and the narrower MCE support window.
export function versionVerdict (version: string, supported: SupportedVersions): VersionVerdict {
  const minor = minorString(version)
  if (minor === null) throw new GatewayError('GW_ERR_VALIDATION', `${JSON.stringify(version)} is not an OpenShift version`)
  const operatorSupported = supported.versions.includes(minor)
  // `versions` is newest first and lists every minor, so the window is its first 1 + 2 entries.
  const mceSupported = operatorSupported && supported.versions.indexOf(minor) <= MCE_SUPPORT_WINDOW_MINORS
  const warnings: string[] = []
  if (operatorSupported && !mceSupported) {
    warnings.push(`${minor} is supported by the HyperShift Operator but outside the MCE support window ` +
      `(${supported.latest} and ${MCE_SUPPORT_WINDOW_MINORS} minors before): manage it without MCE or use an older MCE`)
  }
  return { version, operatorSupported, mceSupported, warnings }
}
