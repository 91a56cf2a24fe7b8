import { Type, type Static } from 'typebox'

// Per-platform options of POST /api/v1/clusters. Names follow the `hcp create cluster <platform>` flags
// (docs/notes/api-anchors.md §3.2–3.4, seed-notes 002_ch4.md §2.11, §3.4, §4.11, §8.6); defaults are
// the CLI's and are named next to each field.

const dnsLabel = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
const quantity = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$'

const StringMap = (description: string) => Type.Record(Type.String({ minLength: 1, maxLength: 317 }), Type.String({ maxLength: 63 }), { description })

export const AwsRolesRefSchema = Type.Object({
  ingressARN: Type.String({ pattern: '^arn:', description: 'Role the ingress operator assumes' }),
  imageRegistryARN: Type.String({ pattern: '^arn:', description: 'Role the image registry operator assumes' }),
  storageARN: Type.String({ pattern: '^arn:', description: 'Role the EBS CSI driver assumes' }),
  networkARN: Type.String({ pattern: '^arn:', description: 'Role the cloud network config controller assumes' }),
  kubeCloudControllerARN: Type.String({ pattern: '^arn:', description: 'Role the cloud controller manager assumes' }),
  nodePoolManagementARN: Type.String({ pattern: '^arn:', description: 'Role the CAPI AWS provider assumes' }),
  controlPlaneOperatorARN: Type.String({ pattern: '^arn:', description: 'Role the control plane operator assumes' })
}, { additionalProperties: false, description: 'IAM roles of the cluster, as `hypershift create iam aws` outputs them (rolesRef)' })

export const AwsOptionsSchema = Type.Object({
  region: Type.Optional(Type.String({ default: 'us-east-1', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$', description: 'AWS region (--region, default us-east-1)' })),
  zones: Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 63, description: 'Availability zone, e.g. us-east-1a; the NodePool is named <cluster>-<zone>' }),
    subnetId: Type.String({ pattern: '^subnet-[0-9a-z]+$', description: 'Private subnet of the zone the NodePool machines use' })
  }, { additionalProperties: false }), { minItems: 1, maxItems: 16, description: 'One NodePool per zone (--zones); the first zone also configures the cloud provider' }),
  vpcId: Type.String({ pattern: '^vpc-[0-9a-z]+$', description: 'VPC of the cluster infrastructure (`hypershift create infra aws` output)' }),
  machineCidr: Type.Optional(Type.String({ description: 'VPC CIDR; becomes networking.machineNetwork unless networking.machineCidr is given' })),
  publicZoneId: Type.Optional(Type.String({ maxLength: 32, description: 'Route 53 public hosted zone ID' })),
  privateZoneId: Type.Optional(Type.String({ maxLength: 32, description: 'Route 53 private hosted zone ID' })),
  proxyAddress: Type.Optional(Type.String({ description: 'HTTP(S) proxy the infrastructure created (--enable-proxy); sets configuration.proxy' })),
  issuerUrl: Type.String({ pattern: '^https://', description: 'OIDC issuer URL (--oidc-issuer-url / IAM output)' }),
  instanceProfile: Type.String({ minLength: 1, description: 'Worker instance profile (IAM output profileName)' }),
  rolesRef: AwsRolesRefSchema,
  kms: Type.Optional(Type.Object({
    keyArn: Type.String({ pattern: '^arn:', description: 'KMS key for etcd encryption (--kms-key-arn)' }),
    providerRoleArn: Type.String({ pattern: '^arn:', description: 'Role the KMS provider assumes (IAM output kmsProviderRoleARN)' })
  }, { additionalProperties: false, description: 'etcd encryption with AWS KMS instead of a generated AES-CBC key' })),
  endpointAccess: Type.Optional(Type.Enum(['Public', 'PublicAndPrivate', 'Private'], { default: 'Public', description: 'Control plane endpoint access (--endpoint-access, default Public)' })),
  instanceType: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+\\.[a-z0-9]+$', description: 'EC2 instance type (--instance-type); default m5.large for amd64, m6g.large for arm64' })),
  rootVolume: Type.Optional(Type.Object({
    type: Type.Optional(Type.String({ default: 'gp3', enum: ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'], description: 'EBS volume type (--root-volume-type, default gp3)' })),
    size: Type.Optional(Type.Integer({ default: 120, minimum: 8, maximum: 16384, description: 'Root volume GiB (--root-volume-size, default 120, min 8)' })),
    iops: Type.Optional(Type.Integer({ minimum: 0, description: 'IOPS for io1/io2 (--root-volume-iops)' })),
    kmsKey: Type.Optional(Type.String({ description: 'KMS key ID or ARN for the root volume (--root-volume-kms-key)' }))
  }, { additionalProperties: false, description: 'Root EBS volume of the NodePool machines' })),
  additionalTags: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ maxLength: 256 }), { maxProperties: 25, description: 'Tags on AWS resources (--additional-tags)' })),
  multiArch: Type.Optional(Type.Boolean({ description: 'Deprecated (--multi-arch): the operator derives the payload arch from the release image' }))
}, { additionalProperties: false, description: 'AWS options; zones, VPC and IAM come from `hypershift create infra aws` / `create iam aws`' })

export const LabelSelectorSchema = Type.Object({
  matchLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
  matchExpressions: Type.Optional(Type.Array(Type.Object({
    key: Type.String({ minLength: 1 }),
    operator: Type.Enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: Type.Optional(Type.Array(Type.String()))
  }, { additionalProperties: false })))
}, { additionalProperties: false })

export const AgentOptionsSchema = Type.Object({
  agentNamespace: Type.String({ pattern: dnsLabel, maxLength: 63, description: 'Namespace holding the Agents (--agent-namespace, required)' }),
  agentLabelSelector: Type.Optional(Type.Union([
    Type.String({ minLength: 1, description: "Selector expression, e.g. 'size=large,zone notin (az1,az2)'" }),
    LabelSelectorSchema
  ], { description: 'Selects the Agents the NodePool may use (--agentLabelSelector)' })),
  apiServerAddress: Type.Optional(Type.String({ minLength: 1, description: 'Address for the NodePort services (--api-server-address); hcp defaults it from a management-cluster node' }))
}, { additionalProperties: false, description: 'Agent platform options (bare metal, non-bare-metal agents, IBM Z, IBM Power)' })

const StorageMappingSchema = (kind: string) => Type.Object({
  infra: Type.String({ minLength: 1, description: `Infra cluster ${kind}` }),
  guest: Type.String({ minLength: 1, description: `Guest cluster ${kind}` }),
  group: Type.Optional(Type.String({ minLength: 1, description: 'Only classes of the same group are used together' }))
}, { additionalProperties: false })

export const KubevirtOptionsSchema = Type.Object({
  memory: Type.Optional(Type.String({ default: '4Gi', pattern: quantity, description: 'Guest memory (--memory, default 4Gi)' })),
  cores: Type.Optional(Type.Integer({ default: 2, minimum: 1, description: 'vCPU cores (--cores, default 2)' })),
  rootVolumeSize: Type.Optional(Type.Integer({ default: 32, minimum: 16, description: 'Root volume size in Gi (--root-volume-size, default 32, min 16)' })),
  rootVolumeStorageClass: Type.Optional(Type.String({ minLength: 1, description: 'Storage class of the root volume (--root-volume-storage-class)' })),
  rootVolumeAccessModes: Type.Optional(Type.Array(Type.Enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod']), { minItems: 1, uniqueItems: true, description: '--root-volume-access-modes' })),
  rootVolumeVolumeMode: Type.Optional(Type.Enum(['Block', 'Filesystem'], { description: '--root-volume-volume-mode' })),
  rootVolumeCacheStrategy: Type.Optional(Type.Enum(['None', 'PVC'], { description: 'Boot image caching (--root-volume-cache-strategy)' })),
  networkMultiqueue: Type.Optional(Type.Enum(['Enable', 'Disable'], { default: 'Enable', description: 'virtio multiqueue (--network-multiqueue, default Enable)' })),
  qosClass: Type.Optional(Type.Enum(['Burstable', 'Guaranteed'], { default: 'Burstable', description: 'Guaranteed pins requests to limits (--qos-class, default Burstable)' })),
  additionalNetworks: Type.Optional(Type.Array(Type.String({ pattern: `^${dnsLabel.slice(1, -1)}/${dnsLabel.slice(1, -1)}$`, description: '<namespace>/<network-attachment-definition>' }), { uniqueItems: true, description: '--additional-network name:<ns>/<nad>' })),
  attachDefaultNetwork: Type.Optional(Type.Boolean({ default: true, description: 'Attach the pod network (--attach-default-network); false needs additionalNetworks' })),
  vmNodeSelector: Type.Optional(StringMap('Node selector for the VirtualMachines (--vm-node-selector)')),
  hostDevices: Type.Optional(Type.Array(Type.Object({
    deviceName: Type.String({ minLength: 1, description: 'PCI device name exposed by the infra cluster' }),
    count: Type.Optional(Type.Integer({ minimum: 1, description: 'Devices per VM (default 1)' }))
  }, { additionalProperties: false }), { description: '--host-device-name <dev>[,count:N]' })),
  servicePublishingStrategy: Type.Optional(Type.Enum(['Ingress', 'NodePort'], { default: 'Ingress', description: 'Ingress = LoadBalancer API + Routes; NodePort needs apiServerAddress (--service-publishing-strategy)' })),
  apiServerAddress: Type.Optional(Type.String({ minLength: 1, description: 'NodePort address (--api-server-address); only with servicePublishingStrategy NodePort' })),
  infraKubeconfig: Type.Optional(Type.String({ minLength: 1, description: 'Kubeconfig of an external infra cluster (--infra-kubeconfig-file content); stored in <name>-infra-credentials' })),
  infraNamespace: Type.Optional(Type.String({ pattern: dnsLabel, maxLength: 63, description: 'Namespace on the external infra cluster (--infra-namespace); required with infraKubeconfig' })),
  storageClassMappings: Type.Optional(Type.Array(StorageMappingSchema('StorageClass'), { description: '--infra-storage-class-mapping <infra>/<guest>[,group=<g>]' })),
  volumeSnapshotClassMappings: Type.Optional(Type.Array(StorageMappingSchema('VolumeSnapshotClass'), { description: '--infra-volumesnapshot-class-mapping <infra>/<guest>[,group=<g>]' }))
}, { additionalProperties: false, description: 'OpenShift Virtualization (KubeVirt) options' })

export const OpenstackOptionsSchema = Type.Object({
  cloudsYaml: Type.String({ minLength: 1, description: 'clouds.yaml content (--openstack-credentials-file); stored in <name>-cloud-credentials' }),
  cloud: Type.Optional(Type.String({ default: 'openstack', minLength: 1, description: 'Cloud entry of clouds.yaml (--openstack-cloud, default openstack)' })),
  caCert: Type.Optional(Type.String({ pattern: '-----BEGIN CERTIFICATE-----', description: 'CA certificate PEM (--openstack-ca-cert-file)' })),
  externalNetworkId: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$', description: '--openstack-external-network-id' })),
  ingressFloatingIp: Type.Optional(Type.String({ minLength: 1, description: '--openstack-ingress-floating-ip' })),
  kubeApiServerVirtualIp: Type.Optional(Type.String({ minLength: 1, description: '--openstack-kube-apiserver-virtual-ip' })),
  dnsNameservers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: '--openstack-dns-nameservers' })),
  nodeFlavor: Type.String({ minLength: 1, description: 'Nova flavor of the NodePool (--openstack-node-flavor, required)' }),
  nodeImageName: Type.Optional(Type.String({ minLength: 1, description: 'Glance image (--openstack-node-image-name); ORC downloads RHCOS when absent' })),
  nodeAvailabilityZone: Type.Optional(Type.String({ minLength: 1, description: '--openstack-node-availability-zone' })),
  nodeAdditionalPorts: Type.Optional(Type.Array(Type.Object({
    networkId: Type.String({ minLength: 1 }),
    vnicType: Type.Optional(Type.String({ minLength: 1 })),
    disablePortSecurity: Type.Optional(Type.Boolean()),
    addressPairs: Type.Optional(Type.Array(Type.String({ minLength: 1 })))
  }, { additionalProperties: false }), { description: '--openstack-node-additional-port' }))
}, { additionalProperties: false, description: 'OpenStack options (Technology Preview)' })

export const NoneOptionsSchema = Type.Object({
  apiServerAddress: Type.Optional(Type.String({ minLength: 1, description: 'NodePort address (--external-api-server-address); hcp defaults it from a management-cluster node' })),
  exposeThroughLoadBalancer: Type.Optional(Type.Boolean({ description: 'Publish through LoadBalancer/Routes instead of NodePorts (--expose-through-load-balancer)' }))
}, { additionalProperties: false, description: 'Platform none options' })

export type AwsOptions = Static<typeof AwsOptionsSchema>
export type AgentOptions = Static<typeof AgentOptionsSchema>
export type KubevirtOptions = Static<typeof KubevirtOptionsSchema>
export type OpenstackOptions = Static<typeof OpenstackOptionsSchema>
export type NoneOptions = Static<typeof NoneOptionsSchema>
export type LabelSelector = Static<typeof LabelSelectorSchema>
