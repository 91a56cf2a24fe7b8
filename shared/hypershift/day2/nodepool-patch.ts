import type { KubeObject } from '../../kube/kube-object.ts'
import { assertNotDeleting, createIssues, type Issues } from './issues.ts'
import type { NodePoolPatchBody } from './nodepool-patch-schema.ts'
import {
  checkAutoRepairDrain, checkAutoscaling, checkDuration, checkLabels, checkNodePoolRelease, checkPausedUntil, checkTaints, configMapRefs
} from './nodepool-rules.ts'
import type { PatchPlan, PlanContext } from './plan.ts'
import { nodePoolVersions } from './release.ts'
import { normalizeGoDuration, parseGoDuration } from '../rules/duration.ts'

// PATCH /api/v1/clusters/{name}/nodepools/{pool} → one JSON merge patch for the NodePool.

// NodePool CRD immutability rules (x-kubernetes-validations `self == oldSelf`); upgradeType can only change by
// replacing the pool (002_ch7-17 §3.5).
const IMMUTABLE = {
  upgradeType: { current: (np: KubeObject) => np.spec?.management?.upgradeType, message: 'UpgradeType is immutable; create a new NodePool with the other upgrade type and delete this one' },
  arch: { current: (np: KubeObject) => np.spec?.arch ?? 'amd64', message: 'Arch is immutable' },
  clusterName: { current: (np: KubeObject) => np.spec?.clusterName, message: 'ClusterName is immutable' }
} as const

type Replace = NonNullable<NonNullable<NodePoolPatchBody['management']>['replace']>
type Spec = Record<string, unknown>

const isZero = (v: number | string | undefined): boolean => v === 0 || v === '0%'

export function planNodePoolPatch (np: KubeObject, hc: KubeObject, body: NodePoolPatchBody, ctx: PlanContext): PatchPlan {
  assertNotDeleting(hc, `changing NodePool ${np.metadata.name}`)
  assertNotDeleting(np, 'changing it')
  const issues = createIssues()
  const warnings: string[] = []
  const spec: Spec = {}
  const management: Spec = {}
  const platform: string = np.spec?.platform?.type ?? ''

  if (Object.keys(body).length === 0) issues.add('validation', 'body', 'at least one change is required', 'minProperties')
  for (const [field, rule] of Object.entries(IMMUTABLE)) {
    const requested = (body as Record<string, unknown>)[field]
    if (requested === undefined) continue
    if (requested === rule.current(np)) warnings.push(`${field} is unchanged`)
    else issues.add('unprocessable', `body.${field}`, rule.message, 'immutable')
  }

  planScaling(issues, warnings, spec, np, body, platform)

  if (body.release !== undefined) {
    if (body.release.image === np.spec?.release?.image) {
      warnings.push(`the NodePool already uses ${body.release.image}`)
    } else {
      checkNodePoolRelease(issues, warnings, 'body.release.image', body.release.image, hc, nodePoolVersions(np, ctx.releaseVersion), ctx.releaseVersion)
      spec.release = { image: body.release.image }
      warnings.push(`the NodePool rolls its nodes (${np.spec?.management?.upgradeType ?? 'Replace'} upgrade)`)
    }
  }

  const drain = body.nodeDrainTimeout === undefined
    ? parseGoDuration(np.spec?.nodeDrainTimeout ?? '0') ?? 0n
    : body.nodeDrainTimeout === null ? 0n : checkDuration(issues, 'body.nodeDrainTimeout', body.nodeDrainTimeout)
  // metav1.Duration serialises as Go's Duration.String(): 30m → 30m0s.
  if (body.nodeDrainTimeout !== undefined) spec.nodeDrainTimeout = body.nodeDrainTimeout === null ? null : normalizeGoDuration(body.nodeDrainTimeout)
  const autoRepair = body.autoRepair ?? np.spec?.management?.autoRepair === true
  checkAutoRepairDrain(issues, body.autoRepair === undefined ? 'body.nodeDrainTimeout' : 'body.autoRepair', autoRepair, drain)
  if (body.autoRepair !== undefined) management.autoRepair = body.autoRepair
  if (body.nodeVolumeDetachTimeout !== undefined) {
    if (body.nodeVolumeDetachTimeout !== null) checkDuration(issues, 'body.nodeVolumeDetachTimeout', body.nodeVolumeDetachTimeout)
    spec.nodeVolumeDetachTimeout = body.nodeVolumeDetachTimeout === null ? null : normalizeGoDuration(body.nodeVolumeDetachTimeout)
  }

  if (body.nodeLabels !== undefined) {
    checkLabels(issues, 'body.nodeLabels', body.nodeLabels)
    spec.nodeLabels = body.nodeLabels
    warnings.push('nodeLabels are applied to nodes created from now on, not to existing nodes')
  }
  if (body.taints !== undefined) {
    checkTaints(issues, 'body.taints', body.taints)
    spec.taints = body.taints
    warnings.push('taints are applied to nodes created from now on, not to existing nodes')
  }
  if (body.tuningConfig !== undefined) {
    spec.tuningConfig = configMapRefs(issues, 'body.tuningConfig', body.tuningConfig)
    warnings.push('changing tuningConfig rolls the NodePool; each ConfigMap needs a single key "tuning"')
  }
  if (body.config !== undefined) {
    spec.config = configMapRefs(issues, 'body.config', body.config)
    warnings.push('changing config rolls the NodePool; each ConfigMap needs a single key "config"')
  }
  if (body.management?.replace !== undefined) planReplace(issues, warnings, management, np, body.management.replace)
  if (body.management?.inPlace !== undefined) {
    // NodePool CRD: "The 'inPlace' field can only be set when 'upgradeType' is 'InPlace'".
    if (np.spec?.management?.upgradeType !== 'InPlace') {
      issues.add('unprocessable', 'body.management.inPlace', "The 'inPlace' field can only be set when 'upgradeType' is 'InPlace'", 'upgrade-type')
    }
    management.inPlace = { ...body.management.inPlace }
  }
  if (body.pausedUntil !== undefined) {
    if (body.pausedUntil !== null) checkPausedUntil(issues, warnings, 'body.pausedUntil', body.pausedUntil, ctx.now)
    spec.pausedUntil = body.pausedUntil
  }

  issues.throwIfAny(`NodePool ${np.metadata.name} patch refused`)
  if (Object.keys(management).length > 0) spec.management = management
  return { patch: Object.keys(spec).length > 0 ? { spec } : {}, warnings }
}

// replicas and autoScaling may not both be set (CRD: "Both replicas or autoScaling should not be set"), so a switch
// nulls the other one in the same merge patch (002_ch5-6 §1.4).
function planScaling (issues: Issues, warnings: string[], spec: Spec, np: KubeObject, body: NodePoolPatchBody, platform: string): void {
  if (body.replicas !== undefined && body.autoscaling !== undefined) {
    issues.add('validation', 'body.autoscaling', 'replicas and autoscaling are mutually exclusive (Both replicas or autoScaling should not be set)', 'oneOf')
    return
  }
  if (body.replicas !== undefined) {
    spec.replicas = body.replicas
    spec.autoScaling = null
    const before: number = np.spec?.replicas ?? np.status?.replicas ?? 0
    if (platform === 'Agent' && body.replicas < before) warnings.push('agents released by a scale-down must boot the discovery image again before they can be reused')
    if (body.replicas === 0) {
      warnings.push('scaling to 0 removes every worker of this pool; control-plane pods that need workers stay Pending')
      if ((parseGoDuration(np.spec?.nodeDrainTimeout ?? '0') ?? 0n) === 0n) warnings.push('nodeDrainTimeout is 0s, so a node that cannot be drained blocks the scale-down; set it above 0s')
    }
  }
  if (body.autoscaling !== undefined) {
    checkAutoscaling(issues, 'body.autoscaling', body.autoscaling, platform)
    spec.autoScaling = { min: body.autoscaling.min, max: body.autoscaling.max }
    spec.replicas = null
    if (platform === 'Agent') warnings.push('on Agent the autoscaling maximum is bounded by the number of available agents')
  }
}

// management.replace (NodePool CRD): rollingUpdate only with strategy RollingUpdate; maxSurge and maxUnavailable
// cannot both be 0 (defaults 1 and 0).
function planReplace (issues: Issues, warnings: string[], management: Spec, np: KubeObject, req: Replace): void {
  const current = np.spec?.management?.replace ?? {}
  const strategy = req.strategy ?? current.strategy ?? 'RollingUpdate'
  if (np.spec?.management?.upgradeType === 'InPlace') warnings.push('management.replace only affects Replace upgrades; this NodePool upgrades InPlace')
  if (strategy === 'OnDelete') {
    if (req.rollingUpdate !== undefined) {
      issues.add(req.strategy === undefined ? 'unprocessable' : 'validation', 'body.management.replace.rollingUpdate', "The 'rollingUpdate' field can only be set when 'strategy' is 'RollingUpdate'", 'strategy')
    }
    management.replace = { strategy: 'OnDelete', rollingUpdate: null }
    return
  }
  const effective = { maxSurge: 1, maxUnavailable: 0, ...current.rollingUpdate, ...req.rollingUpdate }
  if (isZero(effective.maxSurge) && isZero(effective.maxUnavailable)) {
    issues.add('unprocessable', 'body.management.replace.rollingUpdate', 'maxSurge and maxUnavailable cannot both be 0', 'rolling-update')
  }
  management.replace = {
    ...(req.strategy === undefined ? {} : { strategy: req.strategy }),
    ...(req.rollingUpdate === undefined ? {} : { rollingUpdate: { ...req.rollingUpdate } })
  }
}
