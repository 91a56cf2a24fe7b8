import { Type, type Static } from 'typebox'
import { ARCHES } from '../rules/platform-arch.ts'
import {
  AutoscalingSchema, ConfigMapNamesSchema, DurationSchema, PausedUntilSchema, ReleaseImageSchema, ReplicasSchema, TaintsSchema, UPGRADE_TYPES
} from './nodepool-fields-schema.ts'

// Body of POST /api/v1/clusters/{name}/nodepools: the inputs of `hcp create nodepool <platform>` plus the
// NodePool fields the CLI leaves to a later edit. At most one platform block, matching the cluster's platform.

const AwsSchema = Type.Object({
  instanceType: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Default m5.large (amd64) or m6g.large (arm64)' })),
  subnetId: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: "Default: the cluster's spec.platform.aws.cloudProviderConfig.subnet.id" })),
  securityGroupIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 50 })),
  instanceProfile: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Default <infraID>-worker' })),
  rootVolume: Type.Optional(Type.Object({
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Default gp3' })),
    size: Type.Optional(Type.Integer({ minimum: 8, description: 'GiB, default 120' })),
    iops: Type.Optional(Type.Integer({ minimum: 1, description: 'Only for io1, io2 and gp3 volumes' })),
    encryptionKey: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'KMS key ID or ARN' }))
  }, { additionalProperties: false })),
  capacityReservation: Type.Optional(Type.Object({
    id: Type.Optional(Type.String({ maxLength: 20, description: 'cr- followed by 17 lowercase hex characters' })),
    marketType: Type.Optional(Type.Enum(['OnDemand', 'CapacityBlocks'])),
    preference: Type.Optional(Type.Enum(['None', 'CapacityReservationsOnly', 'Open']))
  }, { additionalProperties: false, description: 'EC2 capacity reservation or capacity block (e.g. GPU reservations)' })),
  ami: Type.Optional(Type.String({ minLength: 1, maxLength: 255 }))
}, { additionalProperties: false })

const LabelSelectorRequirementSchema = Type.Object({
  key: Type.String({ minLength: 1 }),
  operator: Type.Enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: Type.Optional(Type.Array(Type.String()))
}, { additionalProperties: false })

const AgentSchema = Type.Object({
  agentLabelSelector: Type.Optional(Type.Object({
    matchLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
    matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirementSchema))
  }, { additionalProperties: false, description: 'Agents a Machine may take; empty selects any agent' }))
}, { additionalProperties: false })

const KubevirtSchema = Type.Object({
  memory: Type.Optional(Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?([KMGTPE]i|[kMGTPE])?$', description: 'Guest memory, default 4Gi' })),
  cores: Type.Optional(Type.Integer({ minimum: 1, description: 'Default 2' })),
  rootVolume: Type.Optional(Type.Object({
    storageClass: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    size: Type.Optional(Type.Integer({ minimum: 16, description: 'GiB, default 32' })),
    accessModes: Type.Optional(Type.Array(Type.Enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnly', 'ReadWriteOncePod']), { maxItems: 10 })),
    volumeMode: Type.Optional(Type.Enum(['Filesystem', 'Block'])),
    cacheStrategy: Type.Optional(Type.Enum(['None', 'PVC']))
  }, { additionalProperties: false })),
  additionalNetworks: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255, description: 'NetworkAttachmentDefinition as namespace/name' }), { maxItems: 20 })),
  attachDefaultNetwork: Type.Optional(Type.Boolean({ description: 'Default true; false needs additionalNetworks' })),
  qosClass: Type.Optional(Type.Enum(['Burstable', 'Guaranteed'])),
  networkInterfaceMultiqueue: Type.Optional(Type.Enum(['Enable', 'Disable'])),
  nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String())),
  hostDevices: Type.Optional(Type.Array(Type.Object({
    deviceName: Type.String({ minLength: 1, maxLength: 255 }),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Per VM, default 1' }))
  }, { additionalProperties: false }), { maxItems: 10, description: 'Host devices such as GPUs (Technology Preview)' }))
}, { additionalProperties: false })

const OpenStackSchema = Type.Object({
  flavor: Type.String({ minLength: 1, maxLength: 255 }),
  imageName: Type.String({ minLength: 1, maxLength: 255 }),
  availabilityZone: Type.Optional(Type.String({ minLength: 1, maxLength: 255 }))
}, { additionalProperties: false })

export const NodePoolCreateSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 63, description: 'DNS-1123 label; also the hypershift.openshift.io/nodePool node label value' }),
  replicas: Type.Optional(ReplicasSchema),
  autoscaling: Type.Optional(AutoscalingSchema),
  releaseImage: Type.Optional(ReleaseImageSchema),
  arch: Type.Optional(Type.Enum([...ARCHES], { description: 'Default amd64' })),
  upgradeType: Type.Optional(Type.Enum([...UPGRADE_TYPES], { description: 'Default InPlace on Agent and None, Replace elsewhere; immutable' })),
  autoRepair: Type.Optional(Type.Boolean({ description: 'Needs nodeDrainTimeout > 0s' })),
  nodeDrainTimeout: Type.Optional(DurationSchema),
  nodeVolumeDetachTimeout: Type.Optional(DurationSchema),
  nodeLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
  taints: Type.Optional(TaintsSchema),
  tuningConfig: Type.Optional(ConfigMapNamesSchema),
  config: Type.Optional(ConfigMapNamesSchema),
  pausedUntil: Type.Optional(PausedUntilSchema),
  aws: Type.Optional(AwsSchema),
  agent: Type.Optional(AgentSchema),
  kubevirt: Type.Optional(KubevirtSchema),
  openstack: Type.Optional(OpenStackSchema),
  none: Type.Optional(Type.Object({}, { additionalProperties: false }))
}, { additionalProperties: false })

export type NodePoolCreateInput = Static<typeof NodePoolCreateSchema>
