import type { KubeObject } from '../../kube/kube-object.ts'
import { checkIdentityProviders, checkResourceTags, checkTrustBundle } from './cluster-config.ts'
import { checkImmutableClusterFields } from './cluster-immutable.ts'
import type { ClusterPatchBody } from './cluster-patch-schema.ts'
import { checkChannel, checkClusterRelease } from './cluster-release.ts'
import { assertNotDeleting, createIssues } from './issues.ts'
import { checkLabels, checkPausedUntil } from './nodepool-rules.ts'
import { ANNOTATION_FORCE_UPGRADE_TO, ANNOTATION_RESTART_DATE, type PatchPlan, type PlanContext } from './plan.ts'
import { clusterVersion } from './release.ts'
import { qualifiedNameErrors, validateAnnotations } from '../rules/labels.ts'

// PATCH /api/v1/clusters/{name} → one JSON merge patch for the HostedCluster. Pure: the caller reads the cluster and
// its node pools, plans, then sends the patch (with the resourceVersion precondition it holds).

// Annotations that carry an operation; they are written by `release.force` and `restart`, not set by hand.
const OPERATION_ANNOTATIONS: Record<string, string> = {
  [ANNOTATION_FORCE_UPGRADE_TO]: 'release.force',
  [ANNOTATION_RESTART_DATE]: 'restart'
}

export function planClusterPatch (hc: KubeObject, nodePools: KubeObject[], body: ClusterPatchBody, ctx: PlanContext): PatchPlan {
  assertNotDeleting(hc, 'changing it')
  const issues = createIssues()
  const warnings: string[] = []
  const spec: Record<string, unknown> = {}
  const labels: Record<string, string | null> = {}
  const annotations: Record<string, string | null> = {}

  if (Object.keys(body).length === 0) issues.add('validation', 'body', 'at least one change is required', 'minProperties')
  checkImmutableClusterFields(issues, warnings, hc, body)

  if (body.labels !== undefined) {
    checkLabels(issues, 'body.labels', body.labels)
    Object.assign(labels, body.labels)
  }
  if (body.annotations !== undefined) {
    const merged: Record<string, string> = { ...hc.metadata.annotations }
    for (const [key, value] of Object.entries(body.annotations)) {
      issues.addAll('validation', qualifiedNameErrors(key, `body.annotations.${key}`))
      if (value === null) delete merged[key]
      else merged[key] = value
      if (value !== null && Object.hasOwn(OPERATION_ANNOTATIONS, key)) {
        issues.add('validation', `body.annotations.${key}`, `set through ${OPERATION_ANNOTATIONS[key]}, not as a plain annotation (null removes it)`, 'reserved')
      }
      annotations[key] = value
    }
    // the apiserver's total annotation size limit applies to the result, not to the request
    issues.addAll('validation', validateAnnotations(merged, 'body.annotations').filter(e => e.field === 'body.annotations'))
  }

  let version = clusterVersion(hc, ctx.releaseVersion)
  if (body.release !== undefined) {
    const planned = checkClusterRelease(issues, warnings, hc, nodePools, body.release, ctx)
    if (planned.changed) spec.release = { image: body.release.image }
    if (body.release.force === true) annotations[ANNOTATION_FORCE_UPGRADE_TO] = body.release.image
    version = planned.version
  }
  if (body.channel !== undefined) {
    if (body.channel !== null) checkChannel(issues, warnings, body.channel, version, ctx)
    spec.channel = body.channel
  }
  if (body.pausedUntil !== undefined) {
    if (body.pausedUntil !== null) checkPausedUntil(issues, warnings, 'body.pausedUntil', body.pausedUntil, ctx.now)
    spec.pausedUntil = body.pausedUntil
  }
  if (body.restart === true) {
    // The control plane restarts whenever the value changes; it is a string, the date just makes it unique (§5.2).
    annotations[ANNOTATION_RESTART_DATE] = ctx.now.toISOString()
    warnings.push('every control-plane component restarts')
  }
  if (body.aws !== undefined) {
    checkResourceTags(issues, warnings, hc, body.aws.resourceTags)
    spec.platform = { aws: { resourceTags: body.aws.resourceTags } }
  }
  if (body.oauth !== undefined) {
    checkIdentityProviders(issues, warnings, nodePools, body.oauth.identityProviders)
    spec.configuration = { oauth: { identityProviders: body.oauth.identityProviders } }
  }
  if (body.additionalTrustBundle !== undefined) {
    checkTrustBundle(issues, warnings, body.additionalTrustBundle)
    spec.additionalTrustBundle = body.additionalTrustBundle === null ? null : { name: body.additionalTrustBundle }
  }

  issues.throwIfAny(`HostedCluster ${hc.metadata.name} patch refused`)
  const patch: PatchPlan['patch'] = {}
  if (Object.keys(labels).length > 0 || Object.keys(annotations).length > 0) {
    patch.metadata = {}
    if (Object.keys(labels).length > 0) patch.metadata.labels = labels
    if (Object.keys(annotations).length > 0) patch.metadata.annotations = annotations
  }
  if (Object.keys(spec).length > 0) patch.spec = spec
  return { patch, warnings }
}
