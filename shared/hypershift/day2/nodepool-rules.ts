import type { KubeObject } from '../../kube/kube-object.ts'
import type { Issues } from './issues.ts'
import { clusterVersion, compareVersions, minorOf, parseReleaseImage, releaseImageError, type ReleaseVersionResolver, type Version } from './release.ts'
import { isRfc3339 } from './syntax.ts'
import { parseGoDuration, validateDuration } from '../rules/duration.ts'
import { qualifiedNameErrors, validateLabels } from '../rules/labels.ts'
import { dns1123SubdomainErrors } from '../rules/names.ts'
import { validateArch, validateReleaseForArch, type Platform } from '../rules/platform-arch.ts'
import { nodePoolSkewError } from './version-skew.ts'

// NodePool rules shared by create and patch. Field names are REST body paths ('body.…').

// Arch rules come from shared/hypershift/rules/platform-arch.ts (NodePool CRD CEL rules plus what each platform
// has hardware for); the cluster payload check is hcp's own (cmd/nodepool/core/create.go,
// validateHostedClusterPayloadSupportsNodePoolCPUArch).
export function checkArch (issues: Issues, field: string, arch: string, platform: Platform, hc: KubeObject, releaseImage: string): void {
  const archErrors = validateArch(platform, arch, field)
  if (archErrors.length > 0) {
    issues.addAll('validation', archErrors)
    return
  }
  const payloadArch: string | undefined = hc.status?.payloadArch
  if (payloadArch !== undefined && payloadArch !== '' && payloadArch.toLowerCase() !== 'multi' && payloadArch.toLowerCase() !== arch) {
    issues.add('unprocessable', field, `NodePool CPU arch, ${arch}, is not supported by the HostedCluster payload type, ${payloadArch}`, 'payloadArch')
  }
  issues.addAll('unprocessable', validateReleaseForArch(releaseImage, arch, field))
}

export function checkAutoscaling (issues: Issues, field: string, scaling: { min: number, max: number }, platformType: string): void {
  if (scaling.max < 1) issues.add('validation', `${field}.max`, 'must be at least 1', 'minimum')
  if (scaling.max < scaling.min) issues.add('validation', `${field}.max`, 'max must be equal or greater than min', 'autoscaling')
  // NodePool CRD: "Scale-from-zero (autoScaling.min=0) is currently only supported for AWS and Azure platforms".
  if (scaling.min === 0 && platformType !== 'AWS' && platformType !== 'Azure') {
    issues.add('unprocessable', `${field}.min`, `Scale-from-zero (autoScaling.min=0) is currently only supported for AWS and Azure platforms, not ${platformType}`, 'scale-from-zero')
  }
}

// Taint syntax as the NodePool CRD validates it (the upstream pkg/util/taints rules).
const TAINT_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/
const TAINT_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

export function checkTaints (issues: Issues, field: string, taints: Array<{ key: string, value?: string, effect: string }>): void {
  if (taints.length > 50) issues.add('validation', field, 'at most 50 taints', 'maxItems')
  const seen = new Set<string>()
  taints.forEach((t, i) => {
    if (!TAINT_KEY.test(t.key)) issues.add('validation', `${field}[${i}].key`, 'key must be a qualified name with an optional subdomain prefix e.g. example.com/MyName', 'pattern')
    if (t.value !== undefined && !TAINT_VALUE.test(t.value)) {
      issues.add('validation', `${field}[${i}].value`, "Value must start and end with alphanumeric characters and can only contain '-', '_', '.' in the middle", 'pattern')
    }
    const id = `${t.key}:${t.effect}`
    if (seen.has(id)) issues.add('validation', `${field}[${i}]`, `duplicate taint ${id}`, 'unique')
    seen.add(id)
  })
}

// A null value deletes the label in a merge patch, so only its key is checked.
export function checkLabels (issues: Issues, field: string, labels: Record<string, string | null>): void {
  const set: Record<string, string> = {}
  for (const [key, value] of Object.entries(labels)) {
    if (value === null) issues.addAll('validation', qualifiedNameErrors(key, `${field}.${key}`))
    else set[key] = value
  }
  issues.addAll('validation', validateLabels(set, field))
}

export function configMapRefs (issues: Issues, field: string, names: string[]): Array<{ name: string }> {
  if (names.length > 10) issues.add('validation', field, 'at most 10 ConfigMaps', 'maxItems')
  names.forEach((name, i) => issues.addAll('validation', dns1123SubdomainErrors(name, `${field}[${i}]`)))
  return names.map(name => ({ name }))
}

// Nanoseconds of a Go duration (0 when invalid, after recording why).
export function checkDuration (issues: Issues, field: string, value: string): bigint {
  const errors = validateDuration(value, field)
  issues.addAll('validation', errors)
  return errors.length > 0 ? 0n : parseGoDuration(value) ?? 0n
}

// HostedCluster/NodePool spec.pausedUntil (002_ch7-17 §5.3): 'true' pauses until the field is removed, an RFC3339
// time pauses until then; the CRD allows at most 35 characters.
export function checkPausedUntil (issues: Issues, warnings: string[], field: string, value: string, now: Date): void {
  if (value === 'true') {
    warnings.push('reconciliation is paused until pausedUntil is removed (set it to null to resume)')
    return
  }
  if (value.length > 35 || !isRfc3339(value)) {
    issues.add('validation', field, "must be 'true' or an RFC3339 time such as 2024-03-03T03:28:48Z", 'pattern')
    return
  }
  if (Date.parse(value) <= now.getTime()) warnings.push(`pausedUntil ${value} has already passed, so reconciliation will not pause`)
}

// Machine health checks need a drain timeout above 0s (002_ch5-6 §1.5: "spec.nodeDrainTimeout must be > 0s").
export function checkAutoRepairDrain (issues: Issues, field: string, autoRepair: boolean, drainNs: bigint): void {
  if (autoRepair && drainNs <= 0n) {
    issues.add('unprocessable', field, 'autoRepair requires nodeDrainTimeout greater than 0s (e.g. 30m)', 'autorepair-drain-timeout')
  }
}

// A node pool's release: a valid pull spec, never newer than the control plane and within the skew the
// control plane supports (002_ch7-17 §3.5), and never a y-stream below what the pool runs (NodePool CRD,
// spec.release: "lower than the NodePool's current y-stream" degrades the pool).
export function checkNodePoolRelease (
  issues: Issues, warnings: string[], field: string, image: string, hc: KubeObject,
  current: Version[], resolve?: ReleaseVersionResolver
): void {
  const syntax = releaseImageError(image)
  if (syntax !== null) {
    issues.add('validation', field, syntax, 'pattern')
    return
  }
  const target = parseReleaseImage(image, resolve).version
  const cp = clusterVersion(hc, resolve)
  if (target === null || cp === null) {
    warnings.push(`cannot tell the OpenShift version of ${target === null ? image : 'the control plane'}; version skew was not checked (the NodePool reports it in its ValidReleaseImage and SupportedVersionSkew conditions)`)
    return
  }
  const skew = nodePoolSkewError(cp, target)
  if (skew !== null) issues.add('unprocessable', field, skew, 'version-skew')
  for (const v of current) {
    if (v.major === target.major && v.minor > target.minor) {
      issues.add('unprocessable', field, `y-stream downgrade from ${v.text} to ${target.text} is not supported (minimum ${minorOf(v)})`, 'no-downgrade')
      break
    }
    if (compareVersions(v, target) > 0 && v.minor === target.minor) {
      warnings.push(`${target.text} is older than ${v.text}; z-stream downgrades are not supported by OpenShift`)
    }
  }
}
