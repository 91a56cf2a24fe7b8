import type { FieldError } from '../../errors.ts'
import type { KubeObject } from '../../kube/kube-object.ts'
import { DEFAULT_ARCH, DEFAULT_UPGRADE_TYPE } from '../render/defaults.ts'
import { normalizeGoDuration } from '../rules/duration.ts'
import { validateNodePoolName } from '../rules/names.ts'
import { PLATFORM_TYPES, PLATFORMS, type Platform } from '../rules/platform-arch.ts'
import { assertNotDeleting, createIssues, type Issues } from './issues.ts'
import type { NodePoolCreateInput } from './nodepool-create-schema.ts'
import { checkPlatform, platformKey, renderPlatform } from './nodepool-platform.ts'
import {
  checkArch, checkAutoRepairDrain, checkAutoscaling, checkDuration, checkLabels, checkNodePoolRelease, checkPausedUntil, checkTaints, configMapRefs
} from './nodepool-rules.ts'
import type { ReleaseVersionResolver } from './release.ts'

// POST /api/v1/clusters/{name}/nodepools → the NodePool `hcp create nodepool <platform> --render` prints
// (openshift/hypershift cmd/nodepool/core/create.go CreateNodePool; flag defaults from
// product-cli/cmd/nodepool/create.go: 2 nodes, arch amd64, autoRepair false, release image = the cluster's; upgrade
// type per platform when not given), plus the NodePool fields the CLI has no flags for.

export interface NodePoolCreateContext {
  now?: Date
  releaseVersion?: ReleaseVersionResolver
}

// product-cli/cmd/nodepool/create.go NodeCount (cluster create's default pool uses 0 instead).
export const NODEPOOL_DEFAULT_NODE_COUNT = 2

function collect (cluster: KubeObject, input: NodePoolCreateInput, ctx: NodePoolCreateContext, warnings: string[]): Issues {
  const issues = createIssues()
  const type: string = cluster.spec?.platform?.type ?? ''
  issues.addAll('validation', validateNodePoolName(input.name))
  for (const key of PLATFORMS) {
    if (input[key] !== undefined && PLATFORM_TYPES[key] !== type) {
      issues.add('validation', `body.${key}`, `NodePool platform type ${PLATFORM_TYPES[key]} must be HostedCluster type ${type}`, 'platform')
    }
  }
  const platform = platformKey(type)
  if (platform === null) {
    issues.add('unprocessable', 'body', `HostedCluster platform ${type || '(none)'} is not supported by the gateway`, 'platform')
    return issues
  }
  if (platform === 'openstack' && input.openstack === undefined) {
    issues.add('validation', 'body.openstack', 'openstack.flavor and openstack.imageName are required on OpenStack', 'required')
  }

  if (input.replicas !== undefined && input.autoscaling !== undefined) {
    issues.add('validation', 'body.autoscaling', 'replicas and autoscaling are mutually exclusive (Both replicas or autoScaling should not be set)', 'oneOf')
  }
  if (input.autoscaling !== undefined) checkAutoscaling(issues, 'body.autoscaling', input.autoscaling, type)

  const releaseImage = input.releaseImage ?? cluster.spec?.release?.image ?? ''
  checkArch(issues, 'body.arch', input.arch ?? DEFAULT_ARCH, platform, cluster, releaseImage)
  if (input.releaseImage !== undefined) checkNodePoolRelease(issues, warnings, 'body.releaseImage', input.releaseImage, cluster, [], ctx.releaseVersion)

  const drain = input.nodeDrainTimeout === undefined ? 0n : checkDuration(issues, 'body.nodeDrainTimeout', input.nodeDrainTimeout)
  if (input.nodeVolumeDetachTimeout !== undefined) checkDuration(issues, 'body.nodeVolumeDetachTimeout', input.nodeVolumeDetachTimeout)
  checkAutoRepairDrain(issues, 'body.autoRepair', input.autoRepair ?? false, drain)
  if (input.nodeLabels !== undefined) checkLabels(issues, 'body.nodeLabels', input.nodeLabels)
  if (input.taints !== undefined) checkTaints(issues, 'body.taints', input.taints)
  if (input.tuningConfig !== undefined) configMapRefs(issues, 'body.tuningConfig', input.tuningConfig)
  if (input.config !== undefined) configMapRefs(issues, 'body.config', input.config)
  if (input.pausedUntil !== undefined) checkPausedUntil(issues, warnings, 'body.pausedUntil', input.pausedUntil, ctx.now ?? new Date())
  checkPlatform(issues, cluster, input, platform)
  return issues
}

export function validateNodePoolCreate (cluster: KubeObject, input: NodePoolCreateInput, ctx: NodePoolCreateContext = {}): FieldError[] {
  return collect(cluster, input, ctx, []).errors()
}

// Throws GW_ERR_CONFLICT while the cluster is being deleted and the validation errors otherwise; the
// warnings tell the caller what the new pool implies (e.g. OpenStack needs the TechPreview CRDs).
export function planNodePoolCreate (cluster: KubeObject, input: NodePoolCreateInput, ctx: NodePoolCreateContext = {}): { nodePool: KubeObject, warnings: string[] } {
  assertNotDeleting(cluster, 'creating a NodePool')
  const warnings: string[] = []
  collect(cluster, input, ctx, warnings).throwIfAny('NodePool create refused')
  const platform = platformKey(cluster.spec.platform.type) as Platform
  const arch = input.arch ?? DEFAULT_ARCH
  const spec: Record<string, unknown> = {
    arch,
    clusterName: cluster.metadata.name,
    management: { autoRepair: input.autoRepair ?? false, upgradeType: input.upgradeType ?? DEFAULT_UPGRADE_TYPE[platform] },
    platform: renderPlatform(cluster, input, platform, arch),
    release: { image: input.releaseImage ?? cluster.spec.release.image }
  }
  if (input.autoscaling === undefined) spec.replicas = input.replicas ?? NODEPOOL_DEFAULT_NODE_COUNT
  else spec.autoScaling = { min: input.autoscaling.min, max: input.autoscaling.max }
  // metav1.Duration serialises as Go's Duration.String(): 30m → 30m0s.
  if (input.nodeDrainTimeout !== undefined) spec.nodeDrainTimeout = normalizeGoDuration(input.nodeDrainTimeout)
  if (input.nodeVolumeDetachTimeout !== undefined) spec.nodeVolumeDetachTimeout = normalizeGoDuration(input.nodeVolumeDetachTimeout)
  if (input.nodeLabels !== undefined) spec.nodeLabels = { ...input.nodeLabels }
  if (input.taints !== undefined) spec.taints = input.taints.map(t => ({ ...t }))
  if (input.tuningConfig !== undefined) spec.tuningConfig = input.tuningConfig.map(name => ({ name }))
  if (input.config !== undefined) spec.config = input.config.map(name => ({ name }))
  if (input.pausedUntil !== undefined) spec.pausedUntil = input.pausedUntil
  if (platform === 'openstack') warnings.push('OpenStack NodePools need the TechPreviewNoUpgrade NodePool CRD; the Default feature set does not accept platform OpenStack')
  if (platform === 'agent' && input.autoscaling !== undefined) warnings.push('on Agent the autoscaling maximum is bounded by the number of available agents')
  return {
    nodePool: {
      apiVersion: 'hypershift.openshift.io/v1beta1',
      kind: 'NodePool',
      metadata: { name: input.name, namespace: cluster.metadata.namespace },
      spec,
      // NodePoolStatus.replicas has no omitempty, so the rendered YAML carries it
      status: { replicas: 0 }
    },
    warnings
  }
}

export function renderNodePool (cluster: KubeObject, input: NodePoolCreateInput, ctx: NodePoolCreateContext = {}): KubeObject {
  return planNodePoolCreate(cluster, input, ctx).nodePool
}
