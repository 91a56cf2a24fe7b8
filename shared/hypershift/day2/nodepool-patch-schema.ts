import { Type, type Static } from 'typebox'
import {
  AutoscalingSchema, ConfigMapNamesSchema, DurationSchema, PausedUntilSchema, ReleaseImageSchema, ReplicasSchema, TaintsSchema
} from './nodepool-fields-schema.ts'

// Body of PATCH /api/v1/clusters/{name}/nodepools/{pool}. At least one member. `replicas` and `autoscaling` are
// mutually exclusive; either one switches the pool's scaling mode in the same merge patch. arch, clusterName and
// upgradeType are accepted only to be refused with the CRD's immutability message.

const IntOrPercent = Type.Union([
  Type.Integer({ minimum: 0 }),
  Type.String({ pattern: '^(100|[1-9]?[0-9])%$' })
], { description: 'Number of nodes or a percentage of the desired nodes' })

const immutable = (message: string) => Type.Optional(Type.Unknown({ description: `Immutable (NodePool CRD: "${message}"); a different value is refused with 422` }))

export const NodePoolPatchSchema = Type.Object({
  replicas: Type.Optional(ReplicasSchema),
  autoscaling: Type.Optional(AutoscalingSchema),
  release: Type.Optional(Type.Object({ image: ReleaseImageSchema }, { additionalProperties: false, description: 'Node pool update; never newer than the control plane' })),
  autoRepair: Type.Optional(Type.Boolean({ description: 'Machine health checks; needs nodeDrainTimeout > 0s' })),
  nodeDrainTimeout: Type.Optional(Type.Union([DurationSchema, Type.Null()])),
  nodeVolumeDetachTimeout: Type.Optional(Type.Union([DurationSchema, Type.Null()])),
  nodeLabels: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 63 }), Type.Null()]), { description: 'Merged; null deletes a key; applied to new nodes only' })),
  taints: Type.Optional(TaintsSchema),
  tuningConfig: Type.Optional(ConfigMapNamesSchema),
  config: Type.Optional(ConfigMapNamesSchema),
  management: Type.Optional(Type.Object({
    replace: Type.Optional(Type.Object({
      strategy: Type.Optional(Type.Enum(['RollingUpdate', 'OnDelete'])),
      rollingUpdate: Type.Optional(Type.Object({
        maxSurge: Type.Optional(IntOrPercent),
        maxUnavailable: Type.Optional(IntOrPercent)
      }, { additionalProperties: false, minProperties: 1 }))
    }, { additionalProperties: false, minProperties: 1 })),
    inPlace: Type.Optional(Type.Object({ maxUnavailable: IntOrPercent }, { additionalProperties: false }))
  }, { additionalProperties: false, minProperties: 1 })),
  pausedUntil: Type.Optional(Type.Union([PausedUntilSchema, Type.Null()], { description: 'null resumes reconciliation' })),
  upgradeType: immutable('UpgradeType is immutable'),
  arch: immutable('Arch is immutable'),
  clusterName: immutable('ClusterName is immutable')
}, { additionalProperties: false, minProperties: 1 })

export type NodePoolPatchBody = Static<typeof NodePoolPatchSchema>
