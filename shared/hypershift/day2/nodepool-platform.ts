import type { KubeObject } from '../../kube/kube-object.ts'
import type { Issues } from './issues.ts'
import type { NodePoolCreateInput } from './nodepool-create-schema.ts'
import { checkLabels } from './nodepool-rules.ts'
import {
  AWS_DEFAULT_INSTANCE_TYPE, AWS_DEFAULT_ROOT_VOLUME_SIZE, AWS_DEFAULT_ROOT_VOLUME_TYPE, KUBEVIRT_DEFAULT_CORES, KUBEVIRT_DEFAULT_MEMORY,
  KUBEVIRT_DEFAULT_MULTIQUEUE, KUBEVIRT_DEFAULT_ROOT_VOLUME_GI
} from '../render/defaults.ts'
import { PLATFORM_TYPES, PLATFORMS, type Platform } from '../rules/platform-arch.ts'

// spec.platform of a new NodePool, built the way `hcp create nodepool <platform> --render` builds it
// (openshift/hypershift cmd/nodepool/{aws,agent,kubevirt,openstack,none}/create.go, with the defaults of
// product-cli/cmd/nodepool/*/create.go). Fields the CLI leaves empty are omitted, as Go's omitempty does.

// The gateway's platform key ('aws', …) for a spec.platform.type ('AWS', …), or null for platforms it does not serve.
export function platformKey (type: string): Platform | null {
  return PLATFORMS.find(p => PLATFORM_TYPES[p] === type) ?? null
}

type Aws = NonNullable<NodePoolCreateInput['aws']>
type Agent = NonNullable<NodePoolCreateInput['agent']>
type Kubevirt = NonNullable<NodePoolCreateInput['kubevirt']>

const CAPACITY_RESERVATION_ID = /^cr-[a-f0-9]{17}$/

export function checkPlatform (issues: Issues, hc: KubeObject, input: NodePoolCreateInput, platform: Platform): void {
  if (platform === 'aws' && input.aws !== undefined) checkAws(issues, input.aws)
  if (platform === 'aws' && input.aws?.subnetId === undefined && hc.spec?.platform?.aws?.cloudProviderConfig?.subnet?.id === undefined) {
    issues.add('validation', 'body.aws.subnetId', 'subnet ID was not specified and cannot be determined from HostedCluster', 'required')
  }
  if (platform === 'agent' && input.agent?.agentLabelSelector !== undefined) checkAgent(issues, input.agent)
  if (platform === 'kubevirt' && input.kubevirt !== undefined) checkKubevirt(issues, input.kubevirt)
}

function checkAws (issues: Issues, aws: Aws): void {
  // NodePool CRD subnet rule: "a valid subnet id or filters must be set"; ids start with subnet-.
  if (aws.subnetId !== undefined && !aws.subnetId.startsWith('subnet-')) issues.add('validation', 'body.aws.subnetId', "must be a subnet ID starting with 'subnet-'", 'pattern')
  aws.securityGroupIds?.forEach((id, i) => {
    if (!id.startsWith('sg-')) issues.add('validation', `body.aws.securityGroupIds[${i}]`, "must be a security group ID starting with 'sg-'", 'pattern')
  })
  if (aws.ami !== undefined && !aws.ami.startsWith('ami-')) issues.add('validation', 'body.aws.ami', "must be an AMI ID starting with 'ami-'", 'pattern')
  const volumeType = aws.rootVolume?.type ?? 'gp3'
  if (aws.rootVolume?.iops !== undefined && !['io1', 'io2', 'gp3'].includes(volumeType)) {
    issues.add('validation', 'body.aws.rootVolume.iops', `iops applies to io1, io2 and gp3 volumes, not ${volumeType}`, 'iops')
  }
  const cr = aws.capacityReservation
  if (cr === undefined) return
  // NodePool CRD placement.capacityReservation rules; 002_ch5-6 §1.8.
  if (cr.id !== undefined && !CAPACITY_RESERVATION_ID.test(cr.id)) {
    issues.add('validation', 'body.aws.capacityReservation.id', "AWS Capacity Reservation ID must start with 'cr-' followed by 17 lowercase hexadecimal characters (e.g., cr-0123456789abcdef0)", 'pattern')
  }
  if (cr.marketType === 'CapacityBlocks' && cr.id === undefined) {
    issues.add('validation', 'body.aws.capacityReservation.id', "AWS Capacity Reservation market type 'CapacityBlocks' requires a Capacity Reservation ID", 'required')
  }
  if (cr.id !== undefined && (cr.preference === 'None' || cr.preference === 'Open')) {
    issues.add('validation', 'body.aws.capacityReservation.preference', "AWS Capacity Reservation preference 'None' or 'Open' is incompatible with specifying a Capacity Reservation ID", 'capacity-reservation')
  }
}

function checkAgent (issues: Issues, agent: Agent): void {
  const selector = agent.agentLabelSelector ?? {}
  checkLabels(issues, 'body.agent.agentLabelSelector.matchLabels', selector.matchLabels ?? {})
  selector.matchExpressions?.forEach((req, i) => {
    const field = `body.agent.agentLabelSelector.matchExpressions[${i}]`
    const values = req.values ?? []
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      issues.add('validation', `${field}.values`, `must be non-empty when operator is ${req.operator}`, 'required')
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      issues.add('validation', `${field}.values`, `must be empty when operator is ${req.operator}`, 'forbidden')
    }
  })
}

function checkKubevirt (issues: Issues, kv: Kubevirt): void {
  // cmd/nodepool/kubevirt/create.go Validate(): attach-default-network=false needs an additional network.
  if (kv.attachDefaultNetwork === false && (kv.additionalNetworks ?? []).length === 0) {
    issues.add('validation', 'body.kubevirt.attachDefaultNetwork', 'when attachDefaultNetwork is false configuring an additional network is mandatory', 'additional-network')
  }
  kv.additionalNetworks?.forEach((name, i) => {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
      issues.add('validation', `body.kubevirt.additionalNetworks[${i}]`, 'must be a NetworkAttachmentDefinition as namespace/name', 'pattern')
    }
  })
}

export function renderPlatform (hc: KubeObject, input: NodePoolCreateInput, platform: Platform, arch: string): Record<string, unknown> {
  switch (platform) {
    case 'aws': return { type: 'AWS', aws: renderAws(hc, input.aws ?? {}, arch) }
    case 'agent': return { type: 'Agent', agent: renderAgent(input.agent ?? {}) }
    case 'kubevirt': return { type: 'KubeVirt', kubevirt: renderKubevirt(input.kubevirt ?? {}) }
    case 'openstack': {
      const os = input.openstack
      return { type: 'OpenStack', openstack: { flavor: os?.flavor, imageName: os?.imageName, ...(os?.availabilityZone === undefined ? {} : { availabilityZone: os.availabilityZone }) } }
    }
    case 'none': return { type: 'None' }
  }
}

function renderAws (hc: KubeObject, aws: Aws, arch: string): Record<string, unknown> {
  const root = aws.rootVolume ?? {}
  const out: Record<string, unknown> = {
    // Aligns with the AWS IPI instance type defaults, as the CLI does.
    instanceType: aws.instanceType ?? AWS_DEFAULT_INSTANCE_TYPE[arch === 'arm64' ? 'arm64' : 'amd64'],
    instanceProfile: aws.instanceProfile ?? `${hc.spec?.infraID}-worker`,
    subnet: { id: aws.subnetId ?? hc.spec?.platform?.aws?.cloudProviderConfig?.subnet?.id },
    rootVolume: {
      type: root.type ?? AWS_DEFAULT_ROOT_VOLUME_TYPE,
      size: root.size ?? AWS_DEFAULT_ROOT_VOLUME_SIZE,
      ...(root.iops === undefined ? {} : { iops: root.iops }),
      ...(root.encryptionKey === undefined ? {} : { encryptionKey: root.encryptionKey })
    }
  }
  if (aws.securityGroupIds !== undefined && aws.securityGroupIds.length > 0) out.securityGroups = aws.securityGroupIds.map(id => ({ id }))
  if (aws.ami !== undefined) out.ami = aws.ami
  if (aws.capacityReservation !== undefined) out.placement = { capacityReservation: { ...aws.capacityReservation } }
  return out
}

// metav1.ParseToLabelSelector("") yields an empty selector, which the CLI still renders as `agentLabelSelector: {}`.
function renderAgent (agent: Agent): Record<string, unknown> {
  const selector = agent.agentLabelSelector ?? {}
  const out: Record<string, unknown> = {}
  if (selector.matchLabels !== undefined && Object.keys(selector.matchLabels).length > 0) out.matchLabels = { ...selector.matchLabels }
  if (selector.matchExpressions !== undefined && selector.matchExpressions.length > 0) {
    out.matchExpressions = selector.matchExpressions.map(r => ({ key: r.key, operator: r.operator, ...(r.values === undefined || r.values.length === 0 ? {} : { values: [...r.values] }) }))
  }
  return { agentLabelSelector: out }
}

// KubeVirt defaults are the CLI's (memory 4Gi, 2 cores, 32Gi root volume, default network attached,
// multiqueue Enable), not the CRD's; qosClass is only written when Guaranteed, as the CLI does.
function renderKubevirt (kv: Kubevirt): Record<string, unknown> {
  const root = kv.rootVolume ?? {}
  const persistent: Record<string, unknown> = { size: `${root.size ?? KUBEVIRT_DEFAULT_ROOT_VOLUME_GI}Gi` }
  if (root.storageClass !== undefined) persistent.storageClass = root.storageClass
  if (root.accessModes !== undefined && root.accessModes.length > 0) persistent.accessModes = [...root.accessModes]
  if (root.volumeMode !== undefined) persistent.volumeMode = root.volumeMode
  const compute: Record<string, unknown> = { cores: kv.cores ?? KUBEVIRT_DEFAULT_CORES, memory: kv.memory ?? KUBEVIRT_DEFAULT_MEMORY }
  if (kv.qosClass === 'Guaranteed') compute.qosClass = 'Guaranteed'
  const out: Record<string, unknown> = {
    attachDefaultNetwork: kv.attachDefaultNetwork ?? true,
    compute,
    rootVolume: { type: 'Persistent', persistent, ...(root.cacheStrategy === undefined ? {} : { cacheStrategy: { type: root.cacheStrategy } }) }
  }
  if ((kv.networkInterfaceMultiqueue ?? KUBEVIRT_DEFAULT_MULTIQUEUE) === 'Enable') out.networkInterfaceMultiqueue = 'Enable'
  if (kv.additionalNetworks !== undefined && kv.additionalNetworks.length > 0) out.additionalNetworks = kv.additionalNetworks.map(name => ({ name }))
  if (kv.nodeSelector !== undefined && Object.keys(kv.nodeSelector).length > 0) out.nodeSelector = { ...kv.nodeSelector }
  // The CLI silently drops a device given without ",count:N"; here count defaults to 1 as the API does.
  if (kv.hostDevices !== undefined && kv.hostDevices.length > 0) out.hostDevices = kv.hostDevices.map(d => ({ deviceName: d.deviceName, count: d.count ?? 1 }))
  return out
}
