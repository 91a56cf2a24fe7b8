import type { FieldError } from '../../errors.ts'

export const PLATFORMS = ['aws', 'agent', 'kubevirt', 'openstack', 'none'] as const
export type Platform = typeof PLATFORMS[number]

// spec.platform.type values of the HostedCluster / NodePool API (api/hypershift/v1beta1 PlatformType).
export const PLATFORM_TYPES = {
  aws: 'AWS',
  agent: 'Agent',
  kubevirt: 'KubeVirt',
  openstack: 'OpenStack',
  none: 'None'
} as const satisfies Record<Platform, string>

// NodePool spec.arch enum (nodepools CRD).
export const ARCHES = ['amd64', 'arm64', 'ppc64le', 's390x'] as const
export type Arch = typeof ARCHES[number]

// Why each platform allows what it allows:
// - the NodePool CRD rejects arm64 except on AWS/Azure/Agent/GCP/None and s390x except on KubeVirt;
// - AWS compute is amd64 or arm64 (002_ch4.md §2.9, §1.8);
// - Agent carries bare metal, non-bare-metal agents and IBM Power (ppc64le, 002_ch4.md §7);
//   IBM Z agents are s390x hosts but the NodePool API only accepts arch s390x with KubeVirt, so
//   they are picked with agentLabelSelector while the NodePool keeps a permitted arch;
// - OpenShift Virtualization has no arm64 compute (002_ch1-3.md §3.1.1); s390x is the KubeVirt-only arch;
// - OpenStack (Technology Preview) is x86_64 only.
export const PLATFORM_ARCHES = {
  aws: ['amd64', 'arm64'],
  agent: ['amd64', 'arm64', 'ppc64le'],
  kubevirt: ['amd64', 's390x'],
  openstack: ['amd64'],
  none: ['amd64', 'arm64', 'ppc64le']
} as const satisfies Record<Platform, readonly Arch[]>

export function isArch (value: string): value is Arch {
  return (ARCHES as readonly string[]).includes(value)
}

export function validateArch (platform: Platform, arch: string, field: string): FieldError[] {
  if (!isArch(arch)) {
    return [{ field, message: `must be one of ${ARCHES.join(', ')}`, constraint: 'enum' }]
  }
  const allowed: readonly Arch[] = PLATFORM_ARCHES[platform]
  if (allowed.includes(arch)) return []
  const hint = arch === 's390x' && platform === 'agent'
    ? ' (the NodePool API accepts s390x only on KubeVirt; for IBM Z agents keep the default arch and select s390x agents with agentLabelSelector inventory.agent-install.openshift.io/cpu-architecture=s390x)'
    : ''
  return [{
    field,
    message: `arch ${arch} is not supported on platform ${platform}; allowed: ${allowed.join(', ')}${hint}`,
    constraint: 'platformArch'
  }]
}

// Architecture a release image tag promises: quay.io/openshift-release-dev/ocp-release:4.19.0-multi,
// ...:4.17.9-x86_64. Digests and unknown tags say nothing (null).
export function releaseImageArch (image: string): Arch | 'multi' | null {
  if (image.includes('@')) return null
  const slash = image.lastIndexOf('/')
  const colon = image.lastIndexOf(':')
  if (colon <= slash) return null
  const tag = image.slice(colon + 1)
  if (/-multi$/.test(tag)) return 'multi'
  if (/-x86_64$/.test(tag)) return 'amd64'
  if (/-(aarch64|arm64)$/.test(tag)) return 'arm64'
  if (/-ppc64le$/.test(tag)) return 'ppc64le'
  if (/-s390x$/.test(tag)) return 's390x'
  return null
}

// A NodePool whose arch differs from a single-arch payload never gets machines (002_ch4.md §2.9): mixed or
// foreign-arch compute needs a -multi release image (002_ch5-6.md §1.6).
export function validateReleaseForArch (image: string, arch: string, field: string): FieldError[] {
  const payload = releaseImageArch(image)
  if (payload === null || payload === 'multi' || payload === arch) return []
  return [{
    field,
    message: `release image is single-arch (${payload}); a ${arch} NodePool needs a multi-arch release image (tag ending in -multi)`,
    constraint: 'multiArch'
  }]
}

export interface ScalingInput {
  replicas?: number
  autoScaling?: { min: number, max: number }
}

export interface ScalingOptions {
  // hcp create cluster treats a negative --node-pool-replicas as "no NodePool".
  allowNoNodePool?: boolean
}

// NodePool CRD rules: replicas XOR autoScaling; max >= min; min >= 0; max >= 1;
// scale-from-zero (min 0) only on AWS (and Azure, which the gateway does not serve).
export function validateScaling (input: ScalingInput, platform: Platform, base: string, opts: ScalingOptions = {}): FieldError[] {
  const errors: FieldError[] = []
  const { replicas, autoScaling } = input
  if (replicas !== undefined && autoScaling !== undefined) {
    errors.push({ field: `${base}.autoScaling`, message: 'replicas and autoScaling are mutually exclusive; set only one', constraint: 'oneOf' })
  }
  if (replicas !== undefined) {
    const min = opts.allowNoNodePool === true ? -1 : 0
    if (!Number.isInteger(replicas) || replicas < min) {
      errors.push({ field: `${base}.replicas`, message: `must be an integer >= ${min}${min < 0 ? ' (-1 creates no NodePool)' : ''}`, constraint: 'minimum' })
    }
  }
  if (autoScaling !== undefined) {
    const { min, max } = autoScaling
    if (!Number.isInteger(min) || min < 0) {
      errors.push({ field: `${base}.autoScaling.min`, message: 'must be an integer >= 0', constraint: 'minimum' })
    } else if (min === 0 && platform !== 'aws') {
      errors.push({ field: `${base}.autoScaling.min`, message: 'scale-from-zero (min 0) is only supported on AWS', constraint: 'minimum' })
    }
    if (!Number.isInteger(max) || max < 1) {
      errors.push({ field: `${base}.autoScaling.max`, message: 'must be an integer >= 1', constraint: 'minimum' })
    } else if (Number.isInteger(min) && max < min) {
      errors.push({ field: `${base}.autoScaling.max`, message: `must be >= autoScaling.min (${min})`, constraint: 'minimum' })
    }
  }
  return errors
}
