import type { KubeObject } from '../../kube/kube-object.ts'

// OpenShift release pull specs as the docs show them: `quay.io/openshift-release-dev/ocp-release:4.17.9-x86_64`,
// `…:4.19.0-multi`, `…:4.20.0-0.nightly-2025-06-05-224220`, or a digest `…/ocp-release@sha256:<hex>` for
// disconnected installs (002_ch5-6 §1.6, §4.9). A digest says nothing about its version, so callers may pass a
// resolver (e.g. a release catalogue) for those.

export const RELEASE_ARCHES = ['x86_64', 'aarch64', 'ppc64le', 's390x', 'multi'] as const
export type ReleaseArch = typeof RELEASE_ARCHES[number]

export interface Version { major: number, minor: number, patch: number, text: string }
export interface ReleaseInfo { version: Version | null, arch: ReleaseArch | null }
export type ReleaseVersionResolver = (image: string) => string | null

const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/
const TAG = /^(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+?)??)(?:-(x86_64|aarch64|ppc64le|s390x|multi))?$/
// registry[:port]/path(:tag | @sha256:hex); the CRD itself only asks for `^(\w+\S+)$` and at most 253 characters.
const PULL_SPEC = /^[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/

export function parseVersion (text: string): Version | null {
  const m = VERSION.exec(text)
  if (m === null) return null
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text }
}

export function compareVersions (a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

export const minorOf = (v: Version): string => `${v.major}.${v.minor}`

export function releaseImageError (image: string): string | null {
  if (image.length > 253) return 'must be at most 253 characters'
  if (!PULL_SPEC.test(image)) return 'must be a release image pull spec such as quay.io/openshift-release-dev/ocp-release:4.17.9-x86_64 or …@sha256:<digest>'
  return null
}

export function parseReleaseImage (image: string, resolve?: ReleaseVersionResolver): ReleaseInfo {
  const resolved = resolve?.(image)
  const fromResolver = resolved === undefined || resolved === null ? null : parseVersion(resolved)
  if (image.includes('@')) return { version: fromResolver, arch: null }
  const tag = image.slice(image.lastIndexOf(':') + 1)
  const m = TAG.exec(tag)
  if (m === null) return { version: fromResolver, arch: null }
  return { version: fromResolver ?? parseVersion(m[1]), arch: (m[2] as ReleaseArch | undefined) ?? null }
}

// The control-plane version a day-2 rule compares against: the desired release, unless a rollout is still
// running, in which case the older completed version is what the nodes talk to.
export function clusterVersion (hc: KubeObject, resolve?: ReleaseVersionResolver): Version | null {
  const image: string | undefined = hc.spec?.release?.image
  const desired = image === undefined ? null : parseReleaseImage(image, resolve).version
  const statusDesired = hc.status?.version?.desired
  const target = desired ?? (statusDesired?.image === image && typeof statusDesired?.version === 'string' ? parseVersion(statusDesired.version) : null)
  const history: Array<{ state?: string, version?: string }> = hc.status?.version?.history ?? []
  const completedText = history.find(h => h.state === 'Completed')?.version
  const completed = completedText === undefined ? null : parseVersion(completedText)
  if (target === null) return completed
  return completed !== null && compareVersions(completed, target) < 0 ? completed : target
}

// Versions a NodePool's nodes run or are moving to: its spec release and the status version.
export function nodePoolVersions (np: KubeObject, resolve?: ReleaseVersionResolver): Version[] {
  const out: Version[] = []
  const image: string | undefined = np.spec?.release?.image
  const fromSpec = image === undefined ? null : parseReleaseImage(image, resolve).version
  if (fromSpec !== null) out.push(fromSpec)
  const fromStatus = typeof np.status?.version === 'string' ? parseVersion(np.status.version) : null
  if (fromStatus !== null && (fromSpec === null || compareVersions(fromSpec, fromStatus) !== 0)) out.push(fromStatus)
  return out
}
