import { Type, type Static } from 'typebox'

const Minor = Type.String({ pattern: '^\\d+\\.\\d+$', examples: ['4.19'] })
const Range = Type.Object({ min: Minor, max: Minor })
export const SupportLevelSchema = Type.Enum(['GA', 'TechPreview', 'DeveloperPreview', 'NotAvailable'])
const PlatformId = Type.Enum(['aws', 'bare-metal', 'non-bare-metal-agent', 'ibm-power', 'ibm-z', 'kubevirt', 'openstack'])

export const SupportedVersionsSchema = Type.Object({
  versions: Type.Array(Minor, { description: 'Hosted-cluster minor versions the installed HyperShift Operator can create, newest first' }),
  latest: Minor,
  minimum: Minor,
  mceSupported: Type.Array(Minor, { description: 'The part of versions inside the MCE support window (newest and 2 minors before)' }),
  serverVersion: Type.Union([Type.String(), Type.Null()], { description: 'HyperShift Operator build revision' })
})

export const SupportMatrixSchema = Type.Object({
  documentation: Type.String(),
  managementClusters: Type.Array(Type.Object({ mce: Type.String(), managementOcp: Range })),
  hostedClustersByMce: Type.Array(Type.Object({ mce: Type.String(), hostedOcp: Range })),
  platforms: Type.Array(Type.Object({
    id: PlatformId,
    name: Type.String(),
    hypershiftPlatform: Type.Enum(['AWS', 'Agent', 'KubeVirt', 'OpenStack']),
    support: SupportLevelSchema,
    managementOcp: Range,
    hostedOcp: Range,
    notes: Type.Array(Type.String())
  })),
  architectures: Type.Array(Type.Object({
    platform: PlatformId,
    role: Type.Enum(['control-plane', 'compute']),
    architecture: Type.Enum(['amd64', 'arm64', 'ppc64le', 's390x']),
    support: SupportLevelSchema,
    hostedOcp: Range
  })),
  mceUpgrades: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), hostedOcp: Range })),
  technologyPreviewFeatures: Type.Array(Type.String()),
  rules: Type.Array(Type.String())
})

// GET /api/v1/versions: what the live operator supports next to the documented matrix.
export const VersionsResponseSchema = Type.Object({
  supported: Type.Union([SupportedVersionsSchema, Type.Null()], {
    description: 'From ConfigMap hypershift/supported-versions; null when the HyperShift Operator has not published it'
  }),
  matrix: SupportMatrixSchema
})

export type VersionsResponse = Static<typeof VersionsResponseSchema>
