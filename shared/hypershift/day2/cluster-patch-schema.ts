import { Type, type Static } from 'typebox'
import { IdentityProviderSchema } from './identity-provider-schema.ts'
import { IMMUTABLE_CLUSTER_FIELDS, type ImmutableClusterField } from './cluster-immutable.ts'
import { PausedUntilSchema, ReleaseImageSchema } from './nodepool-fields-schema.ts'

// Body of PATCH /api/v1/clusters/{name}. Every member is optional but at least one is required. Fields that the
// HostedCluster CRD makes immutable are accepted by the schema only so the planner can refuse them with the
// CRD's own message instead of a bare "unknown field".

const ResourceTagSchema = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 128, pattern: '^[0-9A-Za-z_.:/=+@-]+$' }),
  value: Type.String({ minLength: 1, maxLength: 256, pattern: '^[0-9A-Za-z_.:/=+@-]+$' }),
  overridePolicy: Type.Optional(Type.Enum(['Allow', 'Deny'], { description: 'Allow lets a NodePool tag with the same key win' }))
}, { additionalProperties: false })

const immutable = (field: ImmutableClusterField) => Type.Optional(Type.Unknown({
  description: `Immutable after creation (HostedCluster CRD: "${IMMUTABLE_CLUSTER_FIELDS[field].message}"); a different value is refused with 422`
}))

export const ClusterPatchSchema = Type.Object({
  labels: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 63 }), Type.Null()]), { description: 'Merged into metadata.labels; null deletes a key' })),
  annotations: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]), { description: 'Merged into metadata.annotations; null deletes a key' })),
  release: Type.Optional(Type.Object({
    image: ReleaseImageSchema,
    force: Type.Optional(Type.Boolean({ description: 'Also set hypershift.openshift.io/force-upgrade-to, skipping the upgradeability checks' }))
  }, { additionalProperties: false, description: 'Control-plane update (spec.release)' })),
  channel: Type.Optional(Type.Union([
    Type.String({ pattern: '^(stable|fast|candidate|eus)-\\d+\\.\\d+$', maxLength: 100, description: 'e.g. stable-4.16, for the minor of spec.release' }),
    Type.Null()
  ])),
  pausedUntil: Type.Optional(Type.Union([PausedUntilSchema, Type.Null()], { description: 'null resumes reconciliation' })),
  restart: Type.Optional(Type.Literal(true, { description: 'Restart every control-plane component (hypershift.openshift.io/restart-date)' })),
  aws: Type.Optional(Type.Object({
    resourceTags: Type.Array(ResourceTagSchema, { maxItems: 25, description: 'The complete tag list; it replaces the current one' })
  }, { additionalProperties: false })),
  oauth: Type.Optional(Type.Object({
    identityProviders: Type.Array(IdentityProviderSchema, { description: 'The complete list; it replaces the current one' })
  }, { additionalProperties: false })),
  additionalTrustBundle: Type.Optional(Type.Union([
    Type.String({ minLength: 1, maxLength: 253, description: 'ConfigMap in the cluster namespace with a ca-bundle.crt key' }),
    Type.Null()
  ])),
  platform: immutable('platform'),
  infraID: immutable('infraID'),
  networking: immutable('networking'),
  dns: immutable('dns'),
  etcd: immutable('etcd'),
  services: immutable('services'),
  controllerAvailabilityPolicy: immutable('controllerAvailabilityPolicy'),
  fips: immutable('fips'),
  issuerURL: immutable('issuerURL'),
  clusterID: immutable('clusterID'),
  capabilities: immutable('capabilities'),
  olmCatalogPlacement: immutable('olmCatalogPlacement')
}, { additionalProperties: false, minProperties: 1 })

export type ClusterPatchBody = Static<typeof ClusterPatchSchema>
