import { Type, type Static } from 'typebox'
import {
  AgentOptionsSchema,
  AwsOptionsSchema,
  KubevirtOptionsSchema,
  NoneOptionsSchema,
  OpenstackOptionsSchema
} from './platform-options-schema.ts'

// Body of POST /api/v1/clusters: the inputs of `hcp create cluster <platform>` (cmd/cluster/core/create.go
// bindCoreOptions) as JSON. Defaults are hcp's; renderCluster applies them too, so callers that skip
// schema defaulting (GraphQL) get the same objects.

const dnsLabel = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
const dnsSubdomain = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'
const goDuration = '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$|^0$'
const quantity = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$'
const cidrList = (description: string) => Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 43 }), { minItems: 1, maxItems: 2, description }))

export const CAPABILITIES = ['ImageRegistry', 'openshift-samples', 'Insights', 'baremetal', 'Console', 'NodeTuning', 'Ingress'] as const

export const NetworkingSchema = Type.Object({
  networkType: Type.Optional(Type.Enum(['OVNKubernetes', 'Calico', 'OpenShiftSDN', 'Other'], { default: 'OVNKubernetes', description: 'Cluster network provider (--network-type, default OVNKubernetes)' })),
  clusterCidr: cidrList('Pod networks (--cluster-cidr, default 10.132.0.0/14)'),
  serviceCidr: cidrList('Service networks (--service-cidr, default 172.31.0.0/16)'),
  machineCidr: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 43 }), { minItems: 1, maxItems: 8, description: 'Machine networks (--machine-cidr); AWS takes the VPC CIDR, OpenStack defaults to 10.0.0.0/16' })),
  defaultDual: Type.Optional(Type.Boolean({ description: 'Dual-stack default CIDRs, Agent only; excludes clusterCidr/serviceCidr (--default-dual)' })),
  ovnKubernetesMtu: Type.Optional(Type.Integer({ minimum: 576, maximum: 9216, description: 'OVN-Kubernetes tunnel MTU (--ovn-kubernetes-mtu); OVNKubernetes only' })),
  disableMultiNetwork: Type.Optional(Type.Boolean({ description: 'Disable Multus (--disable-multi-network); networkType Other only' })),
  allocateNodeCidrs: Type.Optional(Type.Boolean({ description: 'Let kube-controller-manager allocate node CIDRs (--allocate-node-cidrs); networkType Other only' }))
}, { additionalProperties: false, description: 'Cluster networking; cluster, service and machine networks must not overlap each other or 100.65.0.0/16 (OVN-Kubernetes)' })

export const NodePoolInputSchema = Type.Object({
  replicas: Type.Optional(Type.Integer({ default: 0, minimum: -1, description: 'Replicas of the default NodePool(s) (--node-pool-replicas, default 0); -1 creates no NodePool' })),
  autoScaling: Type.Optional(Type.Object({
    min: Type.Integer({ minimum: 0, description: 'Minimum nodes; 0 (scale from zero) only on AWS' }),
    max: Type.Integer({ minimum: 1, description: 'Maximum nodes' })
  }, { additionalProperties: false, description: 'Autoscaling instead of a fixed replica count (NodePool spec.autoScaling; excludes replicas)' })),
  arch: Type.Optional(Type.Enum(['amd64', 'arm64', 'ppc64le', 's390x'], { default: 'amd64', description: 'NodePool CPU architecture (--arch, default amd64)' })),
  upgradeType: Type.Optional(Type.Enum(['Replace', 'InPlace'], { description: 'Upgrade strategy (--node-upgrade-type); default Replace on AWS/KubeVirt/OpenStack, InPlace on Agent/None' })),
  autoRepair: Type.Optional(Type.Boolean({ default: false, description: 'Machine health checks (--auto-repair)' })),
  nodeDrainTimeout: Type.Optional(Type.String({ pattern: goDuration, default: '0s', description: 'Go duration (--node-drain-timeout, default 0s); must be > 0s with autoRepair' })),
  nodeVolumeDetachTimeout: Type.Optional(Type.String({ pattern: goDuration, default: '0s', description: 'Go duration (--node-volume-detach-timeout, default 0s)' }))
}, { additionalProperties: false, description: 'The NodePool(s) created with the cluster' })

export const TolerationSchema = Type.Object({
  key: Type.Optional(Type.String({ maxLength: 316 })),
  operator: Type.Optional(Type.Enum(['Exists', 'Equal'])),
  value: Type.Optional(Type.String({ maxLength: 63 })),
  effect: Type.Optional(Type.Enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])),
  tolerationSeconds: Type.Optional(Type.Integer())
}, { additionalProperties: false })

export const ImageContentSourceSchema = Type.Object({
  source: Type.String({ minLength: 1, description: 'Repository pulled from' }),
  mirrors: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Mirrors serving the same content' }))
}, { additionalProperties: false })

const StringMap = (description: string) => Type.Record(Type.String({ minLength: 1, maxLength: 317 }), Type.String(), { description })

export const CreateClusterSchema = Type.Object({
  name: Type.String({ pattern: dnsLabel, minLength: 1, maxLength: 63, description: 'HostedCluster name (--name): DNS-1123 label, not "clusters", different from namespace' }),
  namespace: Type.Optional(Type.String({ pattern: dnsLabel, minLength: 1, maxLength: 63, default: 'clusters', description: 'Namespace of the HostedCluster and NodePools (--namespace, default clusters)' })),
  platform: Type.Enum(['aws', 'agent', 'kubevirt', 'openstack', 'none'], { description: 'Infrastructure platform; the options object of the same name must be given for aws, agent and openstack' }),
  aws: Type.Optional(AwsOptionsSchema),
  agent: Type.Optional(AgentOptionsSchema),
  kubevirt: Type.Optional(KubevirtOptionsSchema),
  openstack: Type.Optional(OpenstackOptionsSchema),
  none: Type.Optional(NoneOptionsSchema),
  releaseImage: Type.String({ minLength: 1, maxLength: 1024, description: 'OCP release image pull spec (--release-image), e.g. quay.io/openshift-release-dev/ocp-release:4.19.0-multi' }),
  pullSecret: Type.String({ minLength: 2, description: 'Docker config JSON (--pull-secret content); stored in <name>-pull-secret' }),
  sshKey: Type.Optional(Type.String({ pattern: '^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com) ', description: 'SSH public key (--ssh-key content); stored in <name>-ssh-key' })),
  baseDomain: Type.Optional(Type.String({ pattern: dnsSubdomain, maxLength: 253, description: 'Ingress base domain (--base-domain); Agent/None default example.com, KubeVirt defaults to the management apps domain' })),
  baseDomainPrefix: Type.Optional(Type.String({ maxLength: 63, description: "Base domain prefix (--base-domain-prefix); 'none' means empty" })),
  externalDnsDomain: Type.Optional(Type.String({ pattern: dnsSubdomain, maxLength: 253, description: 'Publish API/OAuth/... routes under this domain via ExternalDNS (--external-dns-domain)' })),
  kasDnsName: Type.Optional(Type.String({ pattern: dnsSubdomain, maxLength: 253, description: 'Custom kube-apiserver DNS name (--kas-dns-name)' })),
  infraId: Type.Optional(Type.String({ pattern: dnsLabel, maxLength: 63, description: 'Infrastructure ID (--infra-id); generated as <name>-<5 random chars> when absent' })),
  networking: Type.Optional(NetworkingSchema),
  controllerAvailabilityPolicy: Type.Optional(Type.Enum(['SingleReplica', 'HighlyAvailable'], { default: 'SingleReplica', description: 'Control plane availability (--control-plane-availability-policy, default SingleReplica)' })),
  infrastructureAvailabilityPolicy: Type.Optional(Type.Enum(['SingleReplica', 'HighlyAvailable'], { description: 'Guest infrastructure availability (--infra-availability-policy)' })),
  nodePool: Type.Optional(NodePoolInputSchema),
  etcd: Type.Optional(Type.Object({
    storageClass: Type.Optional(Type.String({ minLength: 1, description: 'etcd PV storage class (--etcd-storage-class; AWS default gp3-csi)' })),
    storageSize: Type.Optional(Type.String({ pattern: quantity, description: 'etcd PV size (--etcd-storage-size, default 8Gi)' }))
  }, { additionalProperties: false, description: 'Managed etcd persistent volume' })),
  additionalTrustBundle: Type.Optional(Type.String({ pattern: '-----BEGIN CERTIFICATE-----', description: 'PEM CA bundle (--additional-trust-bundle content); stored in ConfigMap user-ca-bundle' })),
  imageContentSources: Type.Optional(Type.Array(ImageContentSourceSchema, { description: 'Mirrors (--image-content-sources)' })),
  annotations: Type.Optional(StringMap('HostedCluster annotations (--annotations)')),
  labels: Type.Optional(StringMap('HostedCluster labels (--labels)')),
  podsLabels: Type.Optional(StringMap('Labels on the control plane pods (--pods-labels)')),
  nodeSelector: Type.Optional(StringMap('Node selector of the control plane pods (--node-selector)')),
  tolerations: Type.Optional(Type.Array(TolerationSchema, { description: 'Tolerations of the control plane pods (--toleration, Technology Preview)' })),
  pausedUntil: Type.Optional(Type.String({ pattern: '^(true|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2}))$', description: "Pause reconciliation: 'true' or an RFC3339 time (--pausedUntil)" })),
  fips: Type.Optional(Type.Boolean({ default: false, description: 'FIPS mode (--fips); needs a FIPS management cluster' })),
  featureSet: Type.Optional(Type.Enum(['Default', 'TechPreviewNoUpgrade', 'DevPreviewNoUpgrade'], { default: 'Default', description: 'Feature set (--feature-set)' })),
  enableClusterCapabilities: Type.Optional(Type.Array(Type.Enum([...CAPABILITIES]), { uniqueItems: true, description: '--enable-cluster-capabilities' })),
  disableClusterCapabilities: Type.Optional(Type.Array(Type.Enum([...CAPABILITIES]), { uniqueItems: true, description: '--disable-cluster-capabilities; Ingress only together with Console' })),
  olmCatalogPlacement: Type.Optional(Type.Enum(['management', 'guest'], { default: 'management', description: 'Where OLM catalogs run (--olm-catalog-placement, default management)' })),
  olmDisableDefaultSources: Type.Optional(Type.Boolean({ description: 'Disable the default OLM catalog sources (--olm-disable-default-sources)' }))
}, { additionalProperties: false, $id: 'CreateCluster', description: 'Create a hosted cluster the way `hcp create cluster <platform>` does' })

export type CreateClusterInput = Static<typeof CreateClusterSchema>
export type NetworkingInputSpec = Static<typeof NetworkingSchema>
export type NodePoolInput = Static<typeof NodePoolInputSchema>
export type Toleration = Static<typeof TolerationSchema>
