import type { FieldError } from '../../errors.ts'
import type { CreateClusterInput } from '../render/create-cluster-schema.ts'
import type { AgentOptions, AwsOptions, KubevirtOptions, OpenstackOptions } from '../render/platform-options-schema.ts'
import { parseLabelSelector } from '../render/label-selector.ts'
import { extractCloud } from '../render/platform-openstack.ts'
import { dns1123LabelErrors, dns1123SubdomainErrors, validateClusterName, validateNamespace } from './names.ts'
import {
  DEFAULT_CLUSTER_CIDR_V4,
  DEFAULT_CLUSTER_CIDR_V6,
  DEFAULT_SERVICE_CIDR_V4,
  DEFAULT_SERVICE_CIDR_V6,
  validateCidr,
  validateNetworking
} from './networking.ts'
import { PLATFORMS, validateArch, validateReleaseForArch, validateScaling } from './platform-arch.ts'
import { parseGoDuration, validateDuration } from './duration.ts'
import { validateAnnotations, validateLabels } from './labels.ts'

const B = 'body'

function pullSecretErrors (pullSecret: string): FieldError[] {
  const field = `${B}.pullSecret`
  try {
    const parsed: unknown = JSON.parse(pullSecret)
    const auths = typeof parsed === 'object' && parsed !== null ? (parsed as { auths?: unknown }).auths : undefined
    if (typeof auths !== 'object' || auths === null || Array.isArray(auths)) {
      return [{ field, message: 'must be a docker config JSON with an "auths" object', constraint: 'format' }]
    }
    return []
  } catch {
    return [{ field, message: 'must be valid JSON (a docker config with "auths")', constraint: 'format' }]
  }
}

function platformBlockErrors (input: CreateClusterInput): FieldError[] {
  const errors: FieldError[] = []
  for (const p of PLATFORMS) {
    if (p !== input.platform && input[p] !== undefined) {
      errors.push({ field: `${B}.${p}`, message: `only allowed with platform ${p} (platform is ${input.platform})`, constraint: 'platform' })
    }
  }
  const required = { aws: 'zones, VPC and IAM from `hypershift create infra/iam aws`', agent: 'agentNamespace', openstack: 'cloudsYaml and nodeFlavor' } as const
  if ((input.platform === 'aws' || input.platform === 'agent' || input.platform === 'openstack') && input[input.platform] === undefined) {
    errors.push({ field: `${B}.${input.platform}`, message: `required for platform ${input.platform} (${required[input.platform]})`, constraint: 'required' })
  }
  return errors
}

function networkingErrors (input: CreateClusterInput): FieldError[] {
  const net = input.networking ?? {}
  const base = `${B}.networking`
  // Overlaps are checked against the CIDRs the cluster will really get, hcp's defaults included
  // (render-cluster applies --default-dual over any given list the same way).
  const dual = net.defaultDual === true && input.platform === 'agent'
  const errors = validateNetworking({
    ...net,
    clusterCidr: dual ? [DEFAULT_CLUSTER_CIDR_V4, DEFAULT_CLUSTER_CIDR_V6] : net.clusterCidr ?? [DEFAULT_CLUSTER_CIDR_V4],
    serviceCidr: dual ? [DEFAULT_SERVICE_CIDR_V4, DEFAULT_SERVICE_CIDR_V6] : net.serviceCidr ?? [DEFAULT_SERVICE_CIDR_V4]
  }, base)
  const networkType = net.networkType ?? 'OVNKubernetes'
  if (net.defaultDual === true) {
    if (input.platform !== 'agent') errors.push({ field: `${base}.defaultDual`, message: 'dual-stack defaults are only supported on platform agent', constraint: 'platform' })
    if (net.clusterCidr !== undefined || net.serviceCidr !== undefined) {
      errors.push({ field: `${base}.defaultDual`, message: 'cannot be combined with clusterCidr or serviceCidr', constraint: 'oneOf' })
    }
  }
  if (net.ovnKubernetesMtu !== undefined && networkType !== 'OVNKubernetes') {
    errors.push({ field: `${base}.ovnKubernetesMtu`, message: `only valid with networkType OVNKubernetes (got ${networkType})`, constraint: 'networkType' })
  }
  for (const key of ['disableMultiNetwork', 'allocateNodeCidrs'] as const) {
    if (net[key] === true && networkType !== 'Other') {
      errors.push({ field: `${base}.${key}`, message: `only allowed with networkType Other (got ${networkType})`, constraint: 'networkType' })
    }
  }
  return errors
}

function nodePoolErrors (input: CreateClusterInput): FieldError[] {
  const np = input.nodePool ?? {}
  const base = `${B}.nodePool`
  const arch = np.arch ?? 'amd64'
  const errors = [
    ...validateArch(input.platform, arch, `${base}.arch`),
    ...validateReleaseForArch(input.releaseImage, arch, `${base}.arch`),
    ...validateScaling({ replicas: np.replicas, autoScaling: np.autoScaling }, input.platform, base, { allowNoNodePool: true })
  ]
  for (const key of ['nodeDrainTimeout', 'nodeVolumeDetachTimeout'] as const) {
    const value = np[key]
    if (value !== undefined) errors.push(...validateDuration(value, `${base}.${key}`))
  }
  // Auto-repair replaces nodes by draining them first; the docs make a drain timeout a prerequisite (002_ch5-6.md §1.5).
  const drain = parseGoDuration(np.nodeDrainTimeout ?? '0s')
  if (np.autoRepair === true && drain !== null && drain <= 0n) {
    errors.push({ field: `${base}.nodeDrainTimeout`, message: 'autoRepair needs a nodeDrainTimeout greater than 0s (e.g. 30m)', constraint: 'minimum' })
  }
  return errors
}

function awsErrors (aws: AwsOptions): FieldError[] {
  const base = `${B}.aws`
  const errors: FieldError[] = []
  const region = aws.region ?? 'us-east-1'
  const seen = new Set<string>()
  aws.zones.forEach((zone, i) => {
    if (seen.has(zone.name)) errors.push({ field: `${base}.zones[${i}].name`, message: `zone ${zone.name} is listed twice`, constraint: 'unique' })
    seen.add(zone.name)
    if (!zone.name.startsWith(region)) {
      errors.push({ field: `${base}.zones[${i}].name`, message: `zone ${zone.name} is not in region ${region}`, constraint: 'region' })
    }
  })
  if (aws.machineCidr !== undefined) errors.push(...validateCidr(aws.machineCidr, `${base}.machineCidr`))
  const volumeType = aws.rootVolume?.type ?? 'gp3'
  if (aws.rootVolume?.iops !== undefined && !['io1', 'io2', 'gp3'].includes(volumeType)) {
    errors.push({ field: `${base}.rootVolume.iops`, message: `iops only applies to io1, io2 and gp3 volumes (type is ${volumeType})`, constraint: 'volumeType' })
  }
  return errors
}

function agentErrors (agent: AgentOptions): FieldError[] {
  if (typeof agent.agentLabelSelector !== 'string') return []
  try {
    parseLabelSelector(agent.agentLabelSelector)
    return []
  } catch (err) {
    return [{ field: `${B}.agent.agentLabelSelector`, message: `invalid label selector: ${(err as Error).message}`, constraint: 'format' }]
  }
}

function kubevirtErrors (kv: KubevirtOptions): FieldError[] {
  const base = `${B}.kubevirt`
  const errors: FieldError[] = []
  if (kv.attachDefaultNetwork === false && (kv.additionalNetworks ?? []).length === 0) {
    errors.push({ field: `${base}.attachDefaultNetwork`, message: 'detaching the default pod network needs at least one additionalNetworks entry', constraint: 'dependency' })
  }
  if ((kv.infraKubeconfig === undefined) !== (kv.infraNamespace === undefined)) {
    const missingField = kv.infraKubeconfig === undefined ? 'infraKubeconfig' : 'infraNamespace'
    errors.push({ field: `${base}.${missingField}`, message: 'an external infra cluster needs both infraKubeconfig and infraNamespace', constraint: 'dependency' })
  }
  if (kv.apiServerAddress !== undefined && (kv.servicePublishingStrategy ?? 'Ingress') !== 'NodePort') {
    errors.push({ field: `${base}.apiServerAddress`, message: 'only supported with servicePublishingStrategy NodePort', constraint: 'dependency' })
  }
  return errors
}

function openstackErrors (os: OpenstackOptions): FieldError[] {
  try {
    extractCloud(os.cloudsYaml, os.cloud ?? 'openstack')
    return []
  } catch (err) {
    return [{ field: `${B}.openstack.cloudsYaml`, message: (err as Error).message, constraint: 'format' }]
  }
}

function platformOptionErrors (input: CreateClusterInput): FieldError[] {
  const errors: FieldError[] = []
  if (input.platform === 'aws' && input.aws !== undefined) {
    errors.push(...awsErrors(input.aws))
    if (input.baseDomain === undefined) errors.push({ field: `${B}.baseDomain`, message: 'required on platform aws', constraint: 'required' })
    if (input.externalDnsDomain !== undefined && input.aws.endpointAccess === 'Private') {
      errors.push({ field: `${B}.externalDnsDomain`, message: 'external DNS needs endpointAccess Public or PublicAndPrivate', constraint: 'dependency' })
    }
  }
  if (input.platform === 'agent' && input.agent !== undefined) errors.push(...agentErrors(input.agent))
  if (input.platform === 'kubevirt' && input.kubevirt !== undefined) errors.push(...kubevirtErrors(input.kubevirt))
  if (input.platform === 'openstack') {
    if (input.openstack !== undefined) errors.push(...openstackErrors(input.openstack))
    if (input.externalDnsDomain !== undefined) errors.push({ field: `${B}.externalDnsDomain`, message: 'not supported on OpenStack', constraint: 'platform' })
  }
  return errors
}

function commonErrors (input: CreateClusterInput): FieldError[] {
  const errors: FieldError[] = []
  if (/\s/.test(input.releaseImage)) errors.push({ field: `${B}.releaseImage`, message: 'must be an image pull spec without whitespace', constraint: 'format' })
  errors.push(...pullSecretErrors(input.pullSecret))
  if (input.baseDomain !== undefined && input.baseDomain !== '') errors.push(...dns1123SubdomainErrors(input.baseDomain, `${B}.baseDomain`))
  if (input.baseDomainPrefix !== undefined && input.baseDomainPrefix !== 'none' && input.baseDomainPrefix !== '') {
    errors.push(...dns1123LabelErrors(input.baseDomainPrefix, `${B}.baseDomainPrefix`))
  }
  if (input.kasDnsName !== undefined) errors.push(...dns1123SubdomainErrors(input.kasDnsName, `${B}.kasDnsName`))
  if (input.pausedUntil !== undefined && input.pausedUntil !== 'true' && Number.isNaN(Date.parse(input.pausedUntil))) {
    errors.push({ field: `${B}.pausedUntil`, message: "must be 'true' or an RFC3339 date", constraint: 'format' })
  }
  const disabled = input.disableClusterCapabilities ?? []
  if (disabled.includes('Ingress') && !disabled.includes('Console')) {
    errors.push({ field: `${B}.disableClusterCapabilities`, message: 'Ingress can only be disabled together with Console', constraint: 'dependency' })
  }
  for (const cap of input.enableClusterCapabilities ?? []) {
    if (disabled.includes(cap)) errors.push({ field: `${B}.enableClusterCapabilities`, message: `${cap} is both enabled and disabled`, constraint: 'oneOf' })
  }
  errors.push(...validateAnnotations(input.annotations, `${B}.annotations`))
  errors.push(...validateLabels(input.labels, `${B}.labels`))
  errors.push(...validateLabels(input.podsLabels, `${B}.podsLabels`))
  errors.push(...validateLabels(input.nodeSelector, `${B}.nodeSelector`))
  ;(input.tolerations ?? []).forEach((t, i) => {
    if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') {
      errors.push({ field: `${B}.tolerations[${i}].value`, message: 'must be empty when operator is Exists', constraint: 'dependency' })
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errors.push({ field: `${B}.tolerations[${i}].tolerationSeconds`, message: 'only valid with effect NoExecute', constraint: 'dependency' })
    }
  })
  return errors
}

// Every rule the gateway applies to a create request beyond the schema, with REST field paths.
export function validateCreateCluster (input: CreateClusterInput): FieldError[] {
  return [
    ...validateClusterName(input.name, `${B}.name`),
    ...validateNamespace(input.namespace ?? 'clusters', input.name, `${B}.namespace`),
    ...platformBlockErrors(input),
    ...commonErrors(input),
    ...networkingErrors(input),
    ...nodePoolErrors(input),
    ...platformOptionErrors(input)
  ]
}
