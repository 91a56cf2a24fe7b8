import type { KubeObject } from '../../kube/kube-object.ts'
import { jsonEqual, type Issues } from './issues.ts'

// HostedCluster fields the CRD freezes after creation, with the x-kubernetes-validations rule and message that
// enforce it (/work/shared/crds/hostedclusters-Hypershift-Default.crd.yaml). The apiserver would refuse these
// too; refusing them here gives the caller a field error before any write.
export const IMMUTABLE_CLUSTER_FIELDS = {
  platform: { path: 'spec.platform.type', rule: 'self == oldSelf', message: 'Type is immutable', hint: 'tags are changed through aws.resourceTags' },
  infraID: { path: 'spec.infraID', rule: 'oldSelf == "" || self == oldSelf', message: 'infraID is immutable' },
  networking: { path: 'spec.networking.{clusterNetwork,serviceNetwork,machineNetwork}', rule: 'self == oldSelf', message: 'clusterNetwork is immutable and cannot be modified once set.' },
  dns: { path: 'spec.dns.baseDomain', rule: 'oldSelf == "" || self == oldSelf', message: 'baseDomain is immutable' },
  etcd: { path: 'spec.etcd.{managementType,managed.storage.persistentVolume.size,…storageClassName}', rule: 'self == oldSelf', message: 'Etcd PV storage size is immutable' },
  services: { path: 'spec.services', rule: 'self.platform.type != "IBMCloud" ? self.services == oldSelf.services : true', message: 'Services is immutable. Changes might result in unpredictable and disruptive behavior.' },
  controllerAvailabilityPolicy: { path: 'spec.controllerAvailabilityPolicy', rule: 'self == oldSelf', message: 'ControllerAvailabilityPolicy is immutable' },
  fips: { path: 'spec.fips', rule: 'self == oldSelf', message: 'fips is immutable' },
  issuerURL: { path: 'spec.issuerURL', rule: 'self == oldSelf', message: 'issuerURL is immutable' },
  clusterID: { path: 'spec.clusterID', rule: 'oldSelf == "" || self == oldSelf', message: 'clusterID is immutable' },
  capabilities: { path: 'spec.capabilities', rule: 'self == oldSelf', message: 'Capabilities is immutable. Changes might result in unpredictable and disruptive behavior.' },
  olmCatalogPlacement: { path: 'spec.olmCatalogPlacement', rule: 'self == oldSelf', message: 'OLMCatalogPlacement is immutable' }
} as const

export type ImmutableClusterField = keyof typeof IMMUTABLE_CLUSTER_FIELDS

// The body names a whole spec member: exactly the current value is a no-op (the CEL rules compare with oldSelf),
// anything else is refused.
export function checkImmutableClusterFields (issues: Issues, warnings: string[], hc: KubeObject, body: Record<string, unknown>): void {
  for (const [field, rule] of Object.entries(IMMUTABLE_CLUSTER_FIELDS)) {
    if (!Object.hasOwn(body, field)) continue
    const requested = body[field]
    const current = hc.spec?.[field]
    if (jsonEqual(requested, current)) {
      warnings.push(`${field} is unchanged`)
      continue
    }
    const hint = 'hint' in rule ? `; ${rule.hint}` : ''
    issues.add('unprocessable', `body.${field}`, `${field} cannot change after creation: ${rule.message} (HostedCluster CRD rule on ${rule.path}: ${rule.rule})${hint}`, 'immutable')
  }
}
