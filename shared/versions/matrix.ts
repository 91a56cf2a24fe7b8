import type { Static } from 'typebox'
import { inMinorRange } from './minor.ts'
import type { SupportLevelSchema, SupportMatrixSchema } from './schema.ts'

// The hosted-control-plane support matrix of the OCP 4.19 documentation (MCE 2.9), as data.
// Section references are to the "Hosted control planes" guide: §2.4 Versioning, §3.1.1 Support matrix,
// §1.1.4 GA and Technology Preview features.

export type SupportLevel = Static<typeof SupportLevelSchema>
export type SupportMatrix = Static<typeof SupportMatrixSchema>
export type PlatformId = SupportMatrix['platforms'][number]['id']
export interface MinorRange { min: string, max: string }

type PlatformRow = SupportMatrix['platforms'][number]

const range = (min: string, max: string): MinorRange => ({ min, max })

function platform (
  id: PlatformId, name: string, hypershiftPlatform: PlatformRow['hypershiftPlatform'], support: SupportLevel,
  managementOcp: MinorRange, hostedOcp: MinorRange, notes: string[] = []
): PlatformRow {
  return { id, name, hypershiftPlatform, support, managementOcp, hostedOcp, notes }
}

export const SUPPORT_MATRIX: SupportMatrix = {
  documentation: 'OpenShift Container Platform 4.19, Hosted control planes (multicluster engine 2.9)',
  // §3.1.1: the MCE versions that run on each management-cluster OCP version.
  managementClusters: [
    { mce: '2.4', managementOcp: range('4.14', '4.15') },
    { mce: '2.5', managementOcp: range('4.14', '4.16') },
    { mce: '2.6', managementOcp: range('4.14', '4.17') },
    { mce: '2.7', managementOcp: range('4.15', '4.17') },
    { mce: '2.8', managementOcp: range('4.16', '4.18') },
    { mce: '2.9', managementOcp: range('4.17', '4.19') }
  ],
  // §3.1.1: hosted-cluster versions the HyperShift Operator of each MCE can create.
  hostedClustersByMce: [
    { mce: '2.4', hostedOcp: range('4.14', '4.14') },
    { mce: '2.5', hostedOcp: range('4.14', '4.15') },
    { mce: '2.6', hostedOcp: range('4.14', '4.16') },
    { mce: '2.7', hostedOcp: range('4.14', '4.17') },
    { mce: '2.8', hostedOcp: range('4.14', '4.18') },
    { mce: '2.9', hostedOcp: range('4.14', '4.19') }
  ],
  // §3.1.1 platform support; levels from §1.1.4 and §2.1.
  platforms: [
    platform('aws', 'AWS', 'AWS', 'GA', range('4.16', '4.19'), range('4.16', '4.19')),
    platform('ibm-power', 'IBM Power', 'Agent', 'GA', range('4.17', '4.19'), range('4.17', '4.19'), [
      'the control plane runs on 64-bit x86 machines; node pools run on IBM Power (§1.1.4)'
    ]),
    platform('ibm-z', 'IBM Z', 'Agent', 'GA', range('4.17', '4.19'), range('4.17', '4.19'), [
      'the control plane runs on 64-bit x86 machines; node pools run on IBM Z (§1.1.4)',
      'disconnected installs on IBM Z are Technology Preview (§3.1.1)'
    ]),
    platform('kubevirt', 'OpenShift Virtualization', 'KubeVirt', 'GA', range('4.14', '4.19'), range('4.14', '4.19')),
    platform('bare-metal', 'Bare metal (Agent)', 'Agent', 'GA', range('4.14', '4.19'), range('4.14', '4.19')),
    platform('non-bare-metal-agent', 'Non-bare-metal agent machines', 'Agent', 'TechPreview', range('4.16', '4.19'), range('4.16', '4.19')),
    platform('openstack', 'Red Hat OpenStack Platform (RHOSP 17.1)', 'OpenStack', 'TechPreview', range('4.19', '4.19'), range('4.19', '4.19'), [
      'Developer Preview in 4.17 and 4.18 (§1.1.4)'
    ])
  ],
  // §3.1.1 multi-architecture support, for the architectures the documentation names.
  architectures: [
    { platform: 'aws', role: 'control-plane', architecture: 'arm64', support: 'GA', hostedOcp: range('4.17', '4.19') },
    { platform: 'aws', role: 'control-plane', architecture: 'arm64', support: 'TechPreview', hostedOcp: range('4.14', '4.16') },
    { platform: 'aws', role: 'compute', architecture: 'arm64', support: 'GA', hostedOcp: range('4.14', '4.19') },
    { platform: 'bare-metal', role: 'control-plane', architecture: 'arm64', support: 'NotAvailable', hostedOcp: range('4.14', '4.19') },
    { platform: 'bare-metal', role: 'compute', architecture: 'arm64', support: 'TechPreview', hostedOcp: range('4.14', '4.19') },
    { platform: 'non-bare-metal-agent', role: 'control-plane', architecture: 'arm64', support: 'NotAvailable', hostedOcp: range('4.17', '4.19') },
    { platform: 'non-bare-metal-agent', role: 'compute', architecture: 'arm64', support: 'NotAvailable', hostedOcp: range('4.17', '4.19') },
    { platform: 'ibm-power', role: 'control-plane', architecture: 'amd64', support: 'GA', hostedOcp: range('4.19', '4.19') },
    { platform: 'ibm-power', role: 'compute', architecture: 'amd64', support: 'GA', hostedOcp: range('4.19', '4.19') },
    { platform: 'ibm-power', role: 'compute', architecture: 'ppc64le', support: 'GA', hostedOcp: range('4.17', '4.19') },
    { platform: 'ibm-z', role: 'control-plane', architecture: 'amd64', support: 'GA', hostedOcp: range('4.19', '4.19') },
    { platform: 'ibm-z', role: 'compute', architecture: 's390x', support: 'GA', hostedOcp: range('4.19', '4.19') },
    { platform: 'kubevirt', role: 'control-plane', architecture: 'arm64', support: 'NotAvailable', hostedOcp: range('4.14', '4.19') },
    { platform: 'kubevirt', role: 'compute', architecture: 'arm64', support: 'NotAvailable', hostedOcp: range('4.14', '4.19') }
  ],
  // §3.1.1: hosted clusters keep running across an MCE update when the new operator supports their version.
  mceUpgrades: [
    { from: '2.4', to: '2.5', hostedOcp: range('4.14', '4.14') },
    { from: '2.5', to: '2.6', hostedOcp: range('4.14', '4.15') },
    { from: '2.6', to: '2.7', hostedOcp: range('4.14', '4.16') },
    { from: '2.7', to: '2.8', hostedOcp: range('4.14', '4.17') },
    { from: '2.8', to: '2.9', hostedOcp: range('4.14', '4.18') }
  ],
  // §3.1.1 "Technology Preview in this release", plus non-bare-metal agent machines from §1.1.4.
  technologyPreviewFeatures: [
    'hosted control planes on IBM Z in a disconnected environment',
    'custom taints and tolerations for hosted control planes',
    'NVIDIA GPU devices on hosted control planes for OpenShift Virtualization',
    'hosted control planes on Red Hat OpenStack Platform',
    'hosted control planes using non-bare-metal agent machines'
  ],
  rules: [
    'a new MCE release runs on the latest GA OpenShift version and the two versions before it (§2.4)',
    'the HyperShift Operator creates hosted clusters of the management cluster version and earlier minors; the versions it supports are in ConfigMap hypershift/supported-versions (§2.4)',
    'different control-plane versions can run on the same management cluster (§2.4)',
    'MCE supports hosted clusters up to 2 minor versions older than the newest; older ones must be detached from MCE or use an older MCE (§3.1.1)',
    'single-node OpenShift cannot be a management cluster (§3.1.1)',
    'a hosted cluster uses exactly one infrastructure platform: node pools of different platforms cannot share it (§3.1.1)',
    'latency between the management cluster and hosted clusters must stay under 200 ms (§3.1.1)',
    'the management cluster needs at least 3 worker nodes (§3.1)'
  ]
}

export interface PlatformVerdict {
  platform: PlatformId
  supported: boolean
  level: SupportLevel
  reasons: string[]
}

// Whether a platform supports a hosted-cluster version (and, when known, the management cluster version).
export function platformVerdict (platformId: PlatformId, hostedVersion: string, managementVersion?: string): PlatformVerdict {
  const row = SUPPORT_MATRIX.platforms.find(p => p.id === platformId)
  if (!row) return { platform: platformId, supported: false, level: 'NotAvailable', reasons: [`${platformId} is not a documented platform`] }
  const reasons: string[] = []
  if (!inMinorRange(hostedVersion, row.hostedOcp)) {
    reasons.push(`${row.name} supports hosted clusters ${row.hostedOcp.min} to ${row.hostedOcp.max}`)
  }
  if (managementVersion !== undefined && !inMinorRange(managementVersion, row.managementOcp)) {
    reasons.push(`${row.name} needs a management cluster on ${row.managementOcp.min} to ${row.managementOcp.max}`)
  }
  const supported = reasons.length === 0
  return { platform: platformId, supported, level: supported ? row.support : 'NotAvailable', reasons }
}
