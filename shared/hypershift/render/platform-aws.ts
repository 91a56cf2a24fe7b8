import type { CreateClusterInput } from './create-cluster-schema.ts'
import type { AwsOptions } from './platform-options-schema.ts'
import type { KubeObject } from './types.ts'
import {
  AWS_DEFAULT_ENDPOINT_ACCESS,
  AWS_DEFAULT_INSTANCE_TYPE,
  AWS_DEFAULT_REGION,
  AWS_DEFAULT_ROOT_VOLUME_SIZE,
  AWS_DEFAULT_ROOT_VOLUME_TYPE,
  DEFAULT_ARCH
} from './defaults.ts'
import { applyExternalDnsHostnames, ingressServices } from './services.ts'
import { defaultNodePool } from './node-pool.ts'

type Spec = Record<string, any>

// cmd/cluster/aws/create.go ApplyPlatformSpecifics, fed with what `create infra aws` / `create iam aws`
// output (the --infra-json / --iam-json the CLI reads).
export function applyAws (spec: Spec, input: CreateClusterInput, aws: AwsOptions): void {
  const region = aws.region ?? AWS_DEFAULT_REGION
  const endpointAccess = aws.endpointAccess ?? AWS_DEFAULT_ENDPOINT_ACCESS
  spec.issuerURL = aws.issuerUrl
  if (aws.machineCidr !== undefined && spec.networking.machineNetwork === undefined) {
    spec.networking.machineNetwork = [{ cidr: aws.machineCidr }]
  }
  const dns: Spec = { baseDomain: input.baseDomain ?? '' }
  // infra.BaseDomainPrefix: "none" means an explicitly empty prefix
  if (input.baseDomainPrefix === 'none') dns.baseDomainPrefix = ''
  else if (input.baseDomainPrefix !== undefined && input.baseDomainPrefix !== '') dns.baseDomainPrefix = input.baseDomainPrefix
  if (aws.publicZoneId !== undefined) dns.publicZoneID = aws.publicZoneId
  if (aws.privateZoneId !== undefined) dns.privateZoneID = aws.privateZoneId
  spec.dns = dns

  const first = aws.zones[0]
  const platformAws: Spec = {
    cloudProviderConfig: { subnet: { id: first.subnetId }, vpc: aws.vpcId, zone: first.name },
    endpointAccess,
    multiArch: aws.multiArch ?? false,
    region,
    rolesRef: { ...aws.rolesRef }
  }
  const tags = Object.entries(aws.additionalTags ?? {})
  if (tags.length > 0) platformAws.resourceTags = tags.map(([key, value]) => ({ key, value }))
  spec.platform = { aws: platformAws, type: 'AWS' }

  if (aws.proxyAddress !== undefined) {
    // configv1.ProxySpec.TrustedCA is a struct, so an empty name is always printed.
    spec.configuration.proxy = { httpProxy: aws.proxyAddress, httpsProxy: aws.proxyAddress, trustedCA: { name: '' } }
  }
  if (aws.kms !== undefined) {
    spec.secretEncryption = {
      kms: {
        aws: { activeKey: { arn: aws.kms.keyArn }, auth: { awsKms: aws.kms.providerRoleArn }, region },
        provider: 'AWS'
      },
      type: 'kms'
    }
  }
  const services = ingressServices(input.externalDnsDomain !== undefined, endpointAccess === 'Private')
  if (input.externalDnsDomain !== undefined) {
    applyExternalDnsHostnames(services, input.name, input.externalDnsDomain, endpointAccess === 'Public')
  }
  spec.services = services
}

// GenerateNodePools: one NodePool per zone named <cluster>-<zone>, upgrade type Replace, instance type by arch.
export function awsNodePools (input: CreateClusterInput, aws: AwsOptions): KubeObject[] {
  const arch = input.nodePool?.arch ?? DEFAULT_ARCH
  const instanceType = aws.instanceType ?? (arch === 'arm64' ? AWS_DEFAULT_INSTANCE_TYPE.arm64 : AWS_DEFAULT_INSTANCE_TYPE.amd64)
  return aws.zones.map(zone => {
    const rootVolume: Spec = {
      size: aws.rootVolume?.size ?? AWS_DEFAULT_ROOT_VOLUME_SIZE,
      type: aws.rootVolume?.type ?? AWS_DEFAULT_ROOT_VOLUME_TYPE
    }
    if (aws.rootVolume?.iops !== undefined && aws.rootVolume.iops > 0) rootVolume.iops = aws.rootVolume.iops
    if (aws.rootVolume?.kmsKey !== undefined) rootVolume.encryptionKey = aws.rootVolume.kmsKey
    return defaultNodePool(input, zone.name, {
      aws: { instanceProfile: aws.instanceProfile, instanceType, rootVolume, subnet: { id: zone.subnetId } }
    })
  })
}
