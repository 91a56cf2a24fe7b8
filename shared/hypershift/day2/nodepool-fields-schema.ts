import { Type } from 'typebox'
import { GO_DURATION_PATTERN } from './syntax.ts'

// Schema pieces shared by the node-pool create and patch bodies. Limits mirror the NodePool CRD
// (/work/shared/crds/nodepools-Default.crd.yaml) so a body that passes here also passes the apiserver.

export const UPGRADE_TYPES = ['Replace', 'InPlace'] as const

export const ReleaseImageSchema = Type.String({
  minLength: 1,
  maxLength: 253,
  description: 'OpenShift release pull spec, e.g. quay.io/openshift-release-dev/ocp-release:4.17.9-x86_64 or …@sha256:<digest>'
})

export const DurationSchema = Type.String({
  pattern: GO_DURATION_PATTERN,
  maxLength: 64,
  description: 'Go duration, e.g. 30s, 5m, 1h30m; 0 means no limit'
})

export const ReplicasSchema = Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Fixed node count; mutually exclusive with autoscaling' })

export const AutoscalingSchema = Type.Object({
  min: Type.Integer({ minimum: 0, maximum: 2147483647, description: '0 (scale from zero) only on AWS and Azure' }),
  max: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'At least 1 and at least min' })
}, { additionalProperties: false, description: 'Autoscaling bounds; mutually exclusive with replicas' })

export const TaintSchema = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 253 }),
  value: Type.Optional(Type.String({ maxLength: 253 })),
  effect: Type.Enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
}, { additionalProperties: false })

export const TaintsSchema = Type.Array(TaintSchema, { maxItems: 50, description: 'Applied to nodes only when they are created' })

export const ConfigMapNamesSchema = Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
  maxItems: 10,
  description: 'Names of ConfigMaps in the cluster namespace; changing the list rolls the node pool'
})

export const PausedUntilSchema = Type.String({
  minLength: 1,
  maxLength: 35,
  description: "'true' pauses reconciliation until removed; an RFC3339 time pauses until then"
})
