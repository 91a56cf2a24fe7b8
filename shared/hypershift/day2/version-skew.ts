import { compareVersions, type Version } from './release.ts'

// HostedCluster ↔ NodePool version skew, the rule the NodePool `SupportedVersionSkew` condition reports
// (002_ch7-17 §3.5; upstream docs "HostedCluster, NodePool Version Compatibility Check"):
//   1. a NodePool cannot run a newer version than its control plane;
//   2. an even 4.y control plane (e.g. 4.18) accepts NodePools up to 2 minors older;
//   3. an odd 4.y control plane (e.g. 4.17) accepts 1 minor older.
// The twin (services/sim/hypershift/version-skew.ts) reports the same rule in its status; gateway code may
// not import simulator code, so the rule lives here too.
export function maxNodePoolMinorSkew (controlPlaneMinor: number): number {
  return controlPlaneMinor % 2 === 0 ? 2 : 1
}

export function nodePoolSkewError (controlPlane: Version, nodePool: Version): string | null {
  if (nodePool.major !== controlPlane.major) {
    return `NodePool major version ${nodePool.major} must match the control plane major version ${controlPlane.major}`
  }
  if (compareVersions(nodePool, controlPlane) > 0) {
    return `NodePool version ${nodePool.text} cannot be higher than the control plane version ${controlPlane.text}`
  }
  const allowed = maxNodePoolMinorSkew(controlPlane.minor)
  if (controlPlane.minor - nodePool.minor > allowed) {
    return `NodePool version ${nodePool.text} is more than ${allowed} minor version${allowed === 1 ? '' : 's'} older than ` +
      `the ${controlPlane.major}.${controlPlane.minor} control plane (oldest supported: ${controlPlane.major}.${controlPlane.minor - allowed})`
  }
  return null
}
