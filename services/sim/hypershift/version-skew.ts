import { parseVersion } from './release-catalog.ts'

// HostedCluster ↔ NodePool skew, as reported in the NodePool `SupportedVersionSkew` condition.
// Rule for the 4.19 era (upstream hypershift docs "HostedCluster, NodePool Version Compatibility Check";
// seed 002_ch7-17 §3.5; OCP docs module hcp-np-version-skew):
//   1. the NodePool version cannot be higher than the HostedCluster version;
//   2. an even 4.y control plane (EUS, e.g. 4.18) allows NodePools up to 2 minors older (4.17, 4.16);
//   3. an odd 4.y control plane (e.g. 4.17) allows 1 minor older (4.16).
// (Later upstream releases relaxed this to n-3 for every minor; the twin models MCE 2.9 / OCP 4.19.)
export function maxMinorSkew (controlPlaneMinor: number): number {
  return controlPlaneMinor % 2 === 0 ? 2 : 1
}

export function versionSkewError (hostedClusterVersion: string, nodePoolVersion: string): string | null {
  const hc = parseVersion(hostedClusterVersion)
  const np = parseVersion(nodePoolVersion)
  if (hc === null || np === null) return `cannot compare versions "${hostedClusterVersion}" and "${nodePoolVersion}"`
  if (np.major !== hc.major) {
    return `NodePool major version ${np.major} must match HostedCluster major version ${hc.major}`
  }
  const newer = np.minor > hc.minor || (np.minor === hc.minor && np.patch > hc.patch)
  if (newer) {
    return `NodePool version ${nodePoolVersion} cannot be higher than the HostedCluster version ${hostedClusterVersion}`
  }
  const allowed = maxMinorSkew(hc.minor)
  if (hc.minor - np.minor > allowed) {
    return `NodePool minor version ${np.major}.${np.minor} is less than ${hc.major}.${hc.minor - allowed}, ` +
      `which is the minimum NodePool version compatible with the ${hc.major}.${hc.minor} HostedCluster`
  }
  return null
}
