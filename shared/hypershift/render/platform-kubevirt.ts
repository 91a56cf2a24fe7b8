import type { CreateClusterInput } from './create-cluster-schema.ts'
import type { KubevirtOptions } from './platform-options-schema.ts'
import type { KubeObject } from './types.ts'
import {
  DEFAULT_NAMESPACE,
  KUBEVIRT_DEFAULT_CORES,
  KUBEVIRT_DEFAULT_MEMORY,
  KUBEVIRT_DEFAULT_MULTIQUEUE,
  KUBEVIRT_DEFAULT_PUBLISHING,
  KUBEVIRT_DEFAULT_ROOT_VOLUME_GI
} from './defaults.ts'
import { ingressServices, nodePortServices } from './services.ts'
import { defaultNodePool } from './node-pool.ts'
import { clusterSecret } from './secrets.ts'

type Spec = Record<string, any>

// hyperv1.AllowUnsupportedKubeVirtRHCOSVariantsAnnotation: hcp copies it from the HostedCluster to the NodePool.
const RHCOS_VARIANTS_ANNOTATION = 'hypershift.openshift.io/allow-unsupported-kubevirt-rhcos-variants'

export function infraCredentialsSecretName (clusterName: string): string {
  return `${clusterName}-infra-credentials`
}

// cmd/cluster/kubevirt/create.go ApplyPlatformSpecifics.
export function applyKubevirt (spec: Spec, input: CreateClusterInput, kv: KubevirtOptions, apiServerAddress: string | undefined): void {
  const platform: Spec = {}
  if (kv.infraKubeconfig !== undefined) {
    platform.credentials = { infraKubeConfigSecret: { key: 'kubeconfig', name: infraCredentialsSecretName(input.name) } }
    if (kv.infraNamespace !== undefined) platform.credentials.infraNamespace = kv.infraNamespace
  }
  // Without --base-domain the guest ingress becomes a subdomain of the management cluster's apps domain.
  if (input.baseDomain === undefined || input.baseDomain === '') platform.baseDomainPassthrough = true
  const classMappings = kv.storageClassMappings ?? []
  const snapshotMappings = kv.volumeSnapshotClassMappings ?? []
  if (classMappings.length > 0 || snapshotMappings.length > 0) {
    const manual: Spec = {}
    if (classMappings.length > 0) {
      manual.storageClassMapping = classMappings.map(m => withGroup({ guestStorageClassName: m.guest, infraStorageClassName: m.infra }, m.group))
    }
    if (snapshotMappings.length > 0) {
      manual.volumeSnapshotClassMapping = snapshotMappings.map(m => withGroup({ guestVolumeSnapshotClassName: m.guest, infraVolumeSnapshotClassName: m.infra }, m.group))
    }
    platform.storageDriver = { manual, type: 'Manual' }
  }
  spec.platform = { kubevirt: platform, type: 'KubeVirt' }
  spec.services = (kv.servicePublishingStrategy ?? KUBEVIRT_DEFAULT_PUBLISHING) === 'NodePort'
    ? nodePortServices(kv.apiServerAddress ?? apiServerAddress ?? '')
    : ingressServices(input.externalDnsDomain !== undefined, false)
}

function withGroup (mapping: Spec, group: string | undefined): Spec {
  return group === undefined ? mapping : { ...mapping, group }
}

// cmd/nodepool/kubevirt/create.go NodePoolPlatform with its DefaultOptions; Burstable and Disable are
// the API defaults, so hcp only prints qosClass Guaranteed and multiqueue Enable.
export function kubevirtNodePoolPlatform (kv: KubevirtOptions): Spec {
  const persistent: Spec = { size: `${kv.rootVolumeSize ?? KUBEVIRT_DEFAULT_ROOT_VOLUME_GI}Gi` }
  if (kv.rootVolumeStorageClass !== undefined) persistent.storageClass = kv.rootVolumeStorageClass
  if (kv.rootVolumeAccessModes !== undefined) persistent.accessModes = [...kv.rootVolumeAccessModes]
  if (kv.rootVolumeVolumeMode !== undefined) persistent.volumeMode = kv.rootVolumeVolumeMode
  const rootVolume: Spec = { persistent, type: 'Persistent' }
  if (kv.rootVolumeCacheStrategy !== undefined) rootVolume.cacheStrategy = { type: kv.rootVolumeCacheStrategy }
  const compute: Spec = { cores: kv.cores ?? KUBEVIRT_DEFAULT_CORES, memory: kv.memory ?? KUBEVIRT_DEFAULT_MEMORY }
  if (kv.qosClass === 'Guaranteed') compute.qosClass = 'Guaranteed'
  const platform: Spec = {
    attachDefaultNetwork: kv.attachDefaultNetwork ?? true,
    compute,
    rootVolume
  }
  if ((kv.networkMultiqueue ?? KUBEVIRT_DEFAULT_MULTIQUEUE) === 'Enable') platform.networkInterfaceMultiqueue = 'Enable'
  if (kv.additionalNetworks !== undefined && kv.additionalNetworks.length > 0) {
    platform.additionalNetworks = kv.additionalNetworks.map(name => ({ name }))
  }
  if (kv.vmNodeSelector !== undefined && Object.keys(kv.vmNodeSelector).length > 0) platform.nodeSelector = { ...kv.vmNodeSelector }
  if (kv.hostDevices !== undefined && kv.hostDevices.length > 0) {
    platform.hostDevices = kv.hostDevices.map(d => ({ count: d.count ?? 1, deviceName: d.deviceName }))
  }
  return platform
}

// GenerateNodePools: one NodePool, upgrade type Replace, the RHCOS-variants annotation carried over.
export function kubevirtNodePools (input: CreateClusterInput, kv: KubevirtOptions): KubeObject[] {
  const nodePool = defaultNodePool(input, '', { kubevirt: kubevirtNodePoolPlatform(kv) })
  const variants = input.annotations?.[RHCOS_VARIANTS_ANNOTATION]
  if (variants !== undefined) nodePool.metadata.annotations = { [RHCOS_VARIANTS_ANNOTATION]: variants }
  return [nodePool]
}

// GenerateResources: the external infra cluster kubeconfig.
export function kubevirtSecrets (input: CreateClusterInput, kv: KubevirtOptions): KubeObject[] {
  if (kv.infraKubeconfig === undefined) return []
  const namespace = input.namespace ?? DEFAULT_NAMESPACE
  return [clusterSecret(namespace, infraCredentialsSecretName(input.name), { kubeconfig: kv.infraKubeconfig }, 'Opaque')]
}
