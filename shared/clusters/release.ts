// OpenShift release versions as the views show and sort them.

// The version a release image names in its tag (quay.io/openshift-release-dev/ocp-release:4.19.3-multi
// → 4.19.3); null for digest-only or unconventional tags.
export function versionFromImage (image: string | undefined): string | null {
  if (image === undefined || image === '') return null
  const ref = image.split('@')[0]
  const colon = ref.lastIndexOf(':')
  // a colon before the last slash is a registry port, not a tag
  if (colon === -1 || colon < ref.lastIndexOf('/')) return null
  const m = /^(\d+\.\d+\.\d+(?:-(?:rc|ec|fc)\.\d+|-0\.nightly-[\w.-]+?)?)(?:-(?:x86_64|aarch64|ppc64le|s390x|multi))?$/.exec(ref.slice(colon + 1))
  return m === null ? null : m[1]
}

// A key that sorts versions by their numbers (4.9.1 < 4.10.0) with plain string comparison; a
// prerelease sorts before its release.
export function versionSortKey (version: string | null | undefined): string {
  if (version === null || version === undefined || version === '') return ''
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$/.exec(version)
  if (m === null) return `~${version}`
  const pad = (s: string) => s.padStart(6, '0')
  return `${pad(m[1])}.${pad(m[2])}.${pad(m[3])}${m[4] === undefined ? '~' : `-${m[4]}`}`
}
