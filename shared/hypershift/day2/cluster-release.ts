import type { KubeObject } from '../../kube/kube-object.ts'
import type { Issues } from './issues.ts'
import type { PlanContext } from './plan.ts'
import { clusterVersion, compareVersions, minorOf, nodePoolVersions, parseReleaseImage, releaseImageError, type Version } from './release.ts'
import { nodePoolSkewError } from './version-skew.ts'

// Control-plane update rules (002_ch7-17 §3.3–3.4, 002_ch5-6 §1.6).

export interface ReleaseRequest { image: string, force?: boolean }

// Returns the version the cluster will run after the patch when it is known, for the channel rule.
export function checkClusterRelease (
  issues: Issues, warnings: string[], hc: KubeObject, pools: KubeObject[], req: ReleaseRequest, ctx: PlanContext
): { changed: boolean, version: Version | null } {
  const field = 'body.release.image'
  const syntax = releaseImageError(req.image)
  if (syntax !== null) {
    issues.add('validation', field, syntax, 'pattern')
    return { changed: false, version: null }
  }
  const current = clusterVersion(hc, ctx.releaseVersion)
  if (req.image === hc.spec?.release?.image) {
    warnings.push(`the cluster already runs ${req.image}`)
    return { changed: false, version: current }
  }
  const target = parseReleaseImage(req.image, ctx.releaseVersion)
  const version = target.version
  if (version === null) {
    warnings.push(`cannot tell the OpenShift version of ${req.image}; the supported-version, downgrade and skew rules were not checked (the operator reports them in the ValidReleaseImage condition)`)
    return { changed: true, version: null }
  }
  // The operator's supported-versions ConfigMap lists the minors it can deploy (§3.3).
  if (!ctx.supportedVersions.includes(minorOf(version))) {
    issues.add('unprocessable', field, `OpenShift ${minorOf(version)} is not supported by this management cluster (supported: ${ctx.supportedVersions.join(', ')})`, 'supported-version')
  }
  if (current !== null) {
    if (version.major < current.major || (version.major === current.major && version.minor < current.minor)) {
      issues.add('unprocessable', field, `y-stream downgrade from "${current.text}" to "${version.text}" is not supported`, 'no-downgrade')
    } else if (compareVersions(version, current) < 0) {
      warnings.push(`${version.text} is older than ${current.text}; z-stream downgrades are not supported by OpenShift`)
    }
    // Single-arch → multi-arch keeps the version; only the payload changes (002_ch5-6 §1.6).
    const currentArch = parseReleaseImage(hc.spec?.release?.image ?? '').arch
    if (currentArch !== null && target.arch !== null && currentArch !== target.arch) {
      if (compareVersions(version, current) !== 0) {
        issues.add('unprocessable', field, `switching the payload from ${currentArch} to ${target.arch} must keep the version ${current.text}; change the version in a separate update`, 'multi-arch-same-version')
      } else if (target.arch === 'multi') {
        warnings.push('existing NodePools keep their single-arch payload; create new NodePools to run other architectures')
      }
    }
  }
  checkPoolSkew(issues, warnings, pools, version, req.force === true, ctx)
  if (req.force === true) warnings.push('force-upgrade-to skips the upgradeability checks of the cluster version operator')
  return { changed: true, version }
}

// Node pools must stay within the skew of the new control plane (§3.5): a pool too old for it is a conflict with
// live state, which `force` turns into a warning.
function checkPoolSkew (issues: Issues, warnings: string[], pools: KubeObject[], version: Version, force: boolean, ctx: PlanContext): void {
  for (const np of pools) {
    for (const v of nodePoolVersions(np, ctx.releaseVersion)) {
      const skew = nodePoolSkewError(version, v)
      if (skew === null) continue
      const message = `NodePool ${np.metadata.name}: ${skew}`
      if (force) warnings.push(message)
      else issues.add('conflict', 'body.release.image', `${message}; update the NodePool first or set release.force`, 'version-skew')
      break
    }
  }
}

const CHANNEL = /^(stable|fast|candidate|eus)-(\d+)\.(\d+)$/

// spec.channel names the minor of spec.release, e.g. 4.16.4 → stable-4.16 (002_ch7-17 §3.2). A newer minor is how
// an update to that minor is offered; an older one offers nothing.
export function checkChannel (issues: Issues, warnings: string[], channel: string, version: Version | null, ctx: PlanContext): void {
  const field = 'body.channel'
  const m = CHANNEL.exec(channel)
  if (m === null) {
    issues.add('validation', field, 'must be stable-4.y, fast-4.y, candidate-4.y or eus-4.y', 'pattern')
    return
  }
  const major = Number(m[2])
  const minor = Number(m[3])
  if (m[1] === 'eus' && minor % 2 !== 0) issues.add('unprocessable', field, `EUS channels exist only for even minors; eus-${major}.${minor} does not exist`, 'eus-even')
  if (version === null) {
    warnings.push('cannot tell the cluster version; the channel was not compared with spec.release')
    return
  }
  if (major !== version.major || minor < version.minor) {
    issues.add('unprocessable', field, `channel ${channel} is older than the cluster release ${version.text}; use ${m[1]}-${minorOf(version)}`, 'channel-version')
    return
  }
  if (minor > version.minor) warnings.push(`channel ${channel} offers updates to ${major}.${minor}; the cluster runs ${version.text}`)
  if (!ctx.supportedVersions.includes(`${major}.${minor}`)) warnings.push(`OpenShift ${major}.${minor} is not in this management cluster's supported versions`)
}
