// Response shapes of clusters and node pools for REST (response schemas, OpenAPI) and GraphQL. The
// view functions return exactly these types. Absent values are null, never missing keys.
import { Type, type Static, type TSchema } from 'typebox'
import { CLUSTER_PHASES, NODE_POOL_PHASES } from './phase.ts'

// `type: [T, 'null']` rather than anyOf: fast-json-stringify serialises it directly, while anyOf makes it
// validate every value against each branch (several times slower on a 100-cluster page).
const Nullable = <S extends TSchema & { type: string }>(schema: S, description?: string) =>
  Type.Unsafe<Static<S> | null>({ ...schema, type: [schema.type, 'null'], ...(description === undefined ? {} : { description }) })
const Labels = (description: string) => Type.Record(Type.String(), Type.String(), { description })

export const ConditionSchema = Type.Object({
  type: Type.String(),
  status: Type.Enum(['True', 'False', 'Unknown']),
  reason: Type.String(),
  message: Type.String(),
  observedGeneration: Nullable(Type.Integer()),
  lastTransitionTime: Nullable(Type.String({ format: 'date-time' }))
}, { additionalProperties: false })

export const VersionHistoryEntrySchema = Type.Object({
  state: Type.String({ description: 'Completed or Partial' }),
  version: Type.String(),
  image: Type.String(),
  startedTime: Nullable(Type.String({ format: 'date-time' })),
  completionTime: Nullable(Type.String({ format: 'date-time' }))
}, { additionalProperties: false })

export const ClusterVersionSchema = Type.Object({
  current: Nullable(Type.String(), 'Last version the cluster completed installing or updating to'),
  desired: Nullable(Type.String(), 'Version named by spec.release.image (from status once the operator resolved it, else from the tag)'),
  image: Type.String({ description: 'spec.release.image' }),
  history: Type.Array(VersionHistoryEntrySchema, { description: 'status.version.history, newest first' })
}, { additionalProperties: false })

export const PlatformSummarySchema = Type.Object({
  type: Type.String(),
  region: Type.Optional(Type.String()),
  zones: Type.Optional(Type.Array(Type.String())),
  endpointAccess: Type.Optional(Type.String()),
  agentNamespace: Type.Optional(Type.String()),
  infraNamespace: Type.Optional(Type.String()),
  baseDomainPassthrough: Type.Optional(Type.Boolean()),
  location: Type.Optional(Type.String()),
  resourceGroup: Type.Optional(Type.String()),
  zone: Type.Optional(Type.String()),
  providerType: Type.Optional(Type.String()),
  externalNetwork: Type.Optional(Type.String())
}, { additionalProperties: false, description: 'Where the cluster runs; which keys appear depends on the platform' })

export const ClusterSchema = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  uid: Nullable(Type.String()),
  resourceVersion: Nullable(Type.String(), 'Also the ETag'),
  generation: Nullable(Type.Integer()),
  platform: Type.String({ description: 'spec.platform.type: AWS, Agent, KubeVirt, OpenStack, None, ...' }),
  phase: Type.Enum([...CLUSTER_PHASES]),
  conditions: Type.Array(ConditionSchema),
  version: ClusterVersionSchema,
  controlPlaneEndpoint: Nullable(Type.Object({ host: Type.String(), port: Type.Integer() }, { additionalProperties: false })),
  platformSummary: PlatformSummarySchema,
  baseDomain: Nullable(Type.String()),
  controllerAvailabilityPolicy: Nullable(Type.String()),
  infrastructureAvailabilityPolicy: Nullable(Type.String()),
  payloadArch: Nullable(Type.String()),
  nodePools: Type.Object({
    count: Type.Integer({ minimum: 0 }),
    desiredReplicas: Type.Integer({ minimum: 0 }),
    readyReplicas: Type.Integer({ minimum: 0 })
  }, { additionalProperties: false }),
  labels: Labels('metadata.labels'),
  annotations: Labels('metadata.annotations'),
  createdAt: Nullable(Type.String({ format: 'date-time' })),
  deletionTimestamp: Nullable(Type.String({ format: 'date-time' })),
  pausedUntil: Nullable(Type.String(), "spec.pausedUntil: 'true' or an RFC3339 time"),
  kubeconfigSecret: Nullable(Type.String(), 'Name of the admin kubeconfig Secret (its content is served by /kubeconfig)'),
  kubeadminPasswordSecret: Nullable(Type.String(), 'Name of the kubeadmin password Secret')
}, { additionalProperties: false })

export const NodePoolSchema = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  uid: Nullable(Type.String()),
  resourceVersion: Nullable(Type.String()),
  generation: Nullable(Type.Integer()),
  clusterName: Type.String(),
  replicas: Nullable(Type.Integer({ minimum: 0 }), 'spec.replicas; null when autoscaling'),
  autoscaling: Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() }, { additionalProperties: false })),
  desiredReplicas: Type.Integer({ minimum: 0 }),
  readyReplicas: Type.Integer({ minimum: 0 }),
  phase: Type.Enum([...NODE_POOL_PHASES]),
  conditions: Type.Array(ConditionSchema),
  version: Type.Object({
    current: Nullable(Type.String(), 'status.version: the version every node runs'),
    desired: Nullable(Type.String(), 'Version named by spec.release.image'),
    image: Type.String()
  }, { additionalProperties: false }),
  arch: Type.String(),
  platform: Type.String(),
  instanceType: Nullable(Type.String(), 'AWS instance type, Azure VM size or PowerVS system type'),
  upgradeType: Nullable(Type.String()),
  autoRepair: Type.Boolean(),
  nodeDrainTimeout: Nullable(Type.String()),
  nodeVolumeDetachTimeout: Nullable(Type.String()),
  pausedUntil: Nullable(Type.String()),
  nodeLabels: Labels('spec.nodeLabels'),
  labels: Labels('metadata.labels'),
  annotations: Labels('metadata.annotations'),
  createdAt: Nullable(Type.String({ format: 'date-time' })),
  deletionTimestamp: Nullable(Type.String({ format: 'date-time' }))
}, { additionalProperties: false })

export const CacheStateSchema = Type.Object({
  synced: Type.Boolean(),
  resourceVersion: Type.String(),
  ageMs: Nullable(Type.Integer({ minimum: 0 }), '0 while the watch is connected; else how long changes may have gone unseen')
}, { additionalProperties: false, description: 'Freshness of the watch cache the list was served from' })

const listOf = <S extends typeof ClusterSchema | typeof NodePoolSchema>(item: S) => Type.Object({
  items: Type.Array(item),
  limit: Type.Integer({ minimum: 1, maximum: 500 }),
  continue: Type.Optional(Type.String({ description: 'Opaque token for the next page; absent on the last page' })),
  total: Type.Integer({ minimum: 0, description: 'Items matching the search across all pages' }),
  cache: CacheStateSchema
}, { additionalProperties: false })

export const ClusterListSchema = listOf(ClusterSchema)
export const NodePoolListSchema = listOf(NodePoolSchema)

export type Condition = Static<typeof ConditionSchema>
export type Cluster = Static<typeof ClusterSchema>
export type NodePool = Static<typeof NodePoolSchema>
export type PlatformSummary = Static<typeof PlatformSummarySchema>
export type CacheState = Static<typeof CacheStateSchema>
export type ClusterList = Static<typeof ClusterListSchema>
export type NodePoolList = Static<typeof NodePoolListSchema>
