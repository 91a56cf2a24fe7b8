// Kinds the twin serves without a CRD file: Kubernetes built-ins, plus fallbacks for the custom
// kinds whose CRD yaml may be absent (taken from the upstream CRDs).
import type { ResourceInfo } from './types.ts'

const NONE: ResourceInfo['subresources'] = { status: false }

interface Entry {
  group: string
  version: string
  plural: string
  kind: string
  namespaced?: boolean
  shortNames?: string[]
  categories?: string[]
  subresources?: ResourceInfo['subresources']
  builtin?: boolean
  readOnly?: boolean
  generation?: boolean
  returnDeletedObject?: boolean
}

function entry (e: Entry): ResourceInfo {
  const builtin = e.builtin ?? true
  return {
    group: e.group,
    version: e.version,
    plural: e.plural,
    singular: e.kind.toLowerCase(),
    kind: e.kind,
    listKind: `${e.kind}List`,
    namespaced: e.namespaced ?? true,
    shortNames: e.shortNames ?? [],
    categories: e.categories ?? [],
    subresources: e.subresources ?? NONE,
    builtin,
    readOnly: e.readOnly ?? false,
    generation: e.generation ?? !builtin,
    returnDeletedObject: e.returnDeletedObject ?? false,
    printerColumns: [],
    validated: false
  }
}

const REPLICAS = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' }

export const BUILTIN_RESOURCES: ResourceInfo[] = [
  entry({ group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: { status: true } }),
  entry({ group: '', version: 'v1', plural: 'secrets', kind: 'Secret' }),
  entry({ group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] }),
  entry({ group: '', version: 'v1', plural: 'pods', kind: 'Pod', shortNames: ['po'], categories: ['all'], subresources: { status: true }, returnDeletedObject: true }),
  entry({ group: '', version: 'v1', plural: 'services', kind: 'Service', shortNames: ['svc'], categories: ['all'], subresources: { status: true }, returnDeletedObject: true }),
  entry({ group: '', version: 'v1', plural: 'events', kind: 'Event', shortNames: ['ev'] }),
  entry({ group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', shortNames: ['deploy'], categories: ['all'], subresources: { status: true, scale: { ...REPLICAS, labelSelectorPath: '.status.selector' } }, generation: true }),
  entry({ group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', shortNames: ['sts'], categories: ['all'], subresources: { status: true, scale: { ...REPLICAS, labelSelectorPath: '.status.selector' } }, generation: true }),
  entry({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: { status: true }, readOnly: true, generation: true }),
  entry({ group: 'certificates.k8s.io', version: 'v1', plural: 'certificatesigningrequests', kind: 'CertificateSigningRequest', namespaced: false, shortNames: ['csr'], subresources: { status: true, approval: true } })
]

const CUSTOM = { builtin: false }

// Used when crdDir lacks the kind's CRD: same names, scope and subresources as upstream.
export const FALLBACK_CUSTOM_RESOURCES: ResourceInfo[] = [
  entry({ ...CUSTOM, group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters', kind: 'HostedCluster', shortNames: ['hc', 'hcs'], subresources: { status: true } }),
  entry({ ...CUSTOM, group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'nodepools', kind: 'NodePool', shortNames: ['np', 'nps'], subresources: { status: true, scale: REPLICAS } }),
  entry({ ...CUSTOM, group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hcpetcdbackups', kind: 'HCPEtcdBackup', shortNames: ['hcpetcdbk'], subresources: { status: true } }),
  entry({ ...CUSTOM, group: 'agent-install.openshift.io', version: 'v1beta1', plural: 'infraenvs', kind: 'InfraEnv', shortNames: ['infraenv'], subresources: { status: true } }),
  entry({ ...CUSTOM, group: 'agent-install.openshift.io', version: 'v1beta1', plural: 'agents', kind: 'Agent', subresources: { status: true } }),
  // OADP's Velero kinds (velero.io/v1), served unvalidated
  entry({ ...CUSTOM, group: 'velero.io', version: 'v1', plural: 'backups', kind: 'Backup', categories: ['velero'], subresources: { status: true } }),
  entry({ ...CUSTOM, group: 'velero.io', version: 'v1', plural: 'restores', kind: 'Restore', categories: ['velero'], subresources: { status: true } })
]

export function fromCrd (crd: unknown): ResourceInfo[] {
  const spec = (crd as { spec?: Record<string, unknown> }).spec
  if (spec === undefined) return []
  const names = spec.names as { plural: string, singular?: string, kind: string, listKind?: string, shortNames?: string[], categories?: string[] }
  const versions = (spec.versions ?? []) as Array<Record<string, unknown>>
  return versions.filter(v => v.served !== false).map(v => {
    const sub = (v.subresources ?? {}) as { status?: unknown, scale?: ResourceInfo['subresources']['scale'] }
    const info = entry({
      ...CUSTOM,
      group: String(spec.group),
      version: String(v.name),
      plural: names.plural,
      kind: names.kind,
      namespaced: spec.scope !== 'Cluster',
      shortNames: names.shortNames,
      categories: names.categories,
      subresources: { status: sub.status !== undefined, scale: sub.scale }
    })
    info.singular = names.singular ?? names.kind.toLowerCase()
    info.listKind = names.listKind ?? `${names.kind}List`
    info.printerColumns = (v.additionalPrinterColumns ?? []) as ResourceInfo['printerColumns']
    return info
  })
}
