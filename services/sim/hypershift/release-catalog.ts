import { createHash } from 'node:crypto'

// Release pull specs as the docs show them (seed 002_ch4 §1.7): `…/ocp-release:4.19.0-multi`,
// `…:4.17.9-x86_64`, `…:4.17.0-rc.0-x86_64`, or a digest `…/ocp-release@sha256:<digest>` for
// disconnected installs. A digest is opaque, so only digests in the catalogue below resolve.

export const RELEASE_ARCHES = ['x86_64', 'aarch64', 'ppc64le', 's390x', 'multi'] as const
export type ReleaseArch = typeof RELEASE_ARCHES[number]

export interface ReleaseInfo {
  image: string
  version: string
  major: number
  minor: number
  patch: number
  prerelease: string | null
  arch: ReleaseArch
}

export const RELEASE_REPOSITORY = 'quay.io/openshift-release-dev/ocp-release'

const TAG_RE = /^(\d+)\.(\d+)\.(\d+)(?:-((?:rc|ec|fc)\.\d+|0\.nightly-[\w.-]+?))?(?:-(x86_64|aarch64|ppc64le|s390x|multi))?$/

export function parseVersion (version: string): { major: number, minor: number, patch: number, prerelease: string | null } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$/.exec(version)
  if (m === null) return null
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? null }
}

function fromTag (image: string, tag: string): ReleaseInfo | null {
  const m = TAG_RE.exec(tag)
  if (m === null) return null
  const prerelease = m[4] ?? null
  const version = `${m[1]}.${m[2]}.${m[3]}${prerelease === null ? '' : `-${prerelease}`}`
  return {
    image,
    version,
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease,
    // Mirrors sometimes drop the suffix; the x86_64 payload is what such a tag points at upstream.
    arch: (m[5] as ReleaseArch | undefined) ?? 'x86_64'
  }
}

export function releaseDigest (version: string, arch: ReleaseArch): string {
  return 'sha256:' + createHash('sha256').update(`${RELEASE_REPOSITORY}:${version}-${arch}`).digest('hex')
}

// The twin's stand-in for `oc adm release info`: the releases it knows by digest. Digests are derived
// from the tag so that any component of the project can compute the same pull spec.
export const DIGEST_CATALOGUE_VERSIONS = [
  '4.14.38', '4.15.36', '4.16.20', '4.16.4', '4.17.9', '4.17.14', '4.18.1', '4.18.10', '4.19.0', '4.19.3', '4.19.5'
] as const

const digestIndex = new Map<string, { version: string, arch: ReleaseArch }>()
for (const version of DIGEST_CATALOGUE_VERSIONS) {
  for (const arch of RELEASE_ARCHES) digestIndex.set(releaseDigest(version, arch), { version, arch })
}

export function releaseImageFor (version: string, arch: ReleaseArch = 'x86_64'): string {
  return `${RELEASE_REPOSITORY}:${version}-${arch}`
}

export function lookupReleaseImage (image: string): ReleaseInfo | null {
  const at = image.indexOf('@')
  if (at !== -1) {
    const known = digestIndex.get(image.slice(at + 1))
    if (known === undefined) return null
    const parsed = fromTag(image, `${known.version}-${known.arch}`)
    return parsed
  }
  const lastSlash = image.lastIndexOf('/')
  const colon = image.indexOf(':', lastSlash + 1)
  if (colon === -1) return null
  return fromTag(image, image.slice(colon + 1))
}

// OCP minor → Kubernetes minor, as in upstream supportedversion.ocpVersionToKubeVersion (4.14→1.27 … 4.21→1.34).
export function kubeletVersionFor (ocpVersion: string): string {
  const v = parseVersion(ocpVersion)
  if (v === null) return 'v1.0.0'
  return `v1.${v.minor + 13}.0`
}

export function payloadArchFor (arch: ReleaseArch): 'Multi' | 'AMD64' | 'ARM64' | 'PPC64LE' | 'S390X' {
  const map = { multi: 'Multi', x86_64: 'AMD64', aarch64: 'ARM64', ppc64le: 'PPC64LE', s390x: 'S390X' } as const
  return map[arch]
}
