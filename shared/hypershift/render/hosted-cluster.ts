import type { CreateClusterInput } from './create-cluster-schema.ts'
import type { KubeObject } from './types.ts'
import {
  AWS_DEFAULT_ETCD_STORAGE_CLASS,
  DEFAULT_CONTROLLER_AVAILABILITY_POLICY,
  DEFAULT_ETCD_STORAGE_SIZE,
  DEFAULT_NAMESPACE,
  DEFAULT_NETWORK_TYPE,
  DEFAULT_OLM_CATALOG_PLACEMENT
} from './defaults.ts'
import {
  DEFAULT_CLUSTER_CIDR_V4,
  DEFAULT_CLUSTER_CIDR_V6,
  DEFAULT_SERVICE_CIDR_V4,
  DEFAULT_SERVICE_CIDR_V6
} from '../rules/networking.ts'

type Spec = Record<string, any>

function nonEmpty (map: Record<string, string> | undefined): Record<string, string> | undefined {
  return map !== undefined && Object.keys(map).length > 0 ? { ...map } : undefined
}

// --default-dual (Agent only) swaps in the IPv4+IPv6 defaults (cmd/cluster/agent/create.go Complete).
function cidrs (input: CreateClusterInput): { cluster: string[], service: string[] } {
  const net = input.networking ?? {}
  if (net.defaultDual === true) {
    return { cluster: [DEFAULT_CLUSTER_CIDR_V4, DEFAULT_CLUSTER_CIDR_V6], service: [DEFAULT_SERVICE_CIDR_V4, DEFAULT_SERVICE_CIDR_V6] }
  }
  return { cluster: net.clusterCidr ?? [DEFAULT_CLUSTER_CIDR_V4], service: net.serviceCidr ?? [DEFAULT_SERVICE_CIDR_V4] }
}

function networking (input: CreateClusterInput): Spec {
  const net = input.networking ?? {}
  const { cluster, service } = cidrs(input)
  const spec: Spec = {
    clusterNetwork: cluster.map(cidr => ({ cidr })),
    networkType: net.networkType ?? DEFAULT_NETWORK_TYPE,
    serviceNetwork: service.map(cidr => ({ cidr }))
  }
  if (net.machineCidr !== undefined && net.machineCidr.length > 0) spec.machineNetwork = net.machineCidr.map(cidr => ({ cidr }))
  // hyperv1.AllocateNodeCIDRsEnabled
  if (net.allocateNodeCidrs === true) spec.allocateNodeCIDRs = 'Enabled'
  return spec
}

function etcd (input: CreateClusterInput): Spec {
  const persistentVolume: Spec = { size: input.etcd?.storageSize ?? DEFAULT_ETCD_STORAGE_SIZE }
  // cmd/cluster/aws/create.go Complete defaults --etcd-storage-class to gp3-csi on AWS.
  const storageClass = input.etcd?.storageClass ?? (input.platform === 'aws' ? AWS_DEFAULT_ETCD_STORAGE_CLASS : undefined)
  if (storageClass !== undefined) persistentVolume.storageClassName = storageClass
  return { managed: { storage: { persistentVolume, type: 'PersistentVolume' } }, managementType: 'Managed' }
}

function configuration (input: CreateClusterInput): Spec {
  const config: Spec = {}
  if (input.olmDisableDefaultSources === true) config.operatorhub = { disableAllDefaultSources: true }
  if (input.featureSet === 'TechPreviewNoUpgrade' || input.featureSet === 'DevPreviewNoUpgrade') {
    config.featureGate = { featureSet: input.featureSet }
  }
  return config
}

// cmd/cluster/core/create.go prototypeResources + its apply* helpers: everything that does not depend on
// the platform. Struct-typed fields without omitempty (autoscaling, configuration, sshKey, fips, status)
// are printed even when empty, exactly as hcp's YAML shows them.
export function baseHostedCluster (input: CreateClusterInput, infraId: string): KubeObject {
  const spec: Spec = {
    autoscaling: {},
    configuration: configuration(input),
    controllerAvailabilityPolicy: input.controllerAvailabilityPolicy ?? DEFAULT_CONTROLLER_AVAILABILITY_POLICY,
    dns: { baseDomain: input.baseDomain ?? '' },
    etcd: etcd(input),
    fips: input.fips ?? false,
    infraID: infraId,
    networking: networking(input),
    olmCatalogPlacement: input.olmCatalogPlacement ?? DEFAULT_OLM_CATALOG_PLACEMENT,
    pullSecret: { name: `${input.name}-pull-secret` },
    release: { image: input.releaseImage },
    sshKey: {}
  }
  if (input.infrastructureAvailabilityPolicy !== undefined) spec.infrastructureAvailabilityPolicy = input.infrastructureAvailabilityPolicy
  const enabled = input.enableClusterCapabilities ?? []
  const disabled = input.disableClusterCapabilities ?? []
  if (enabled.length > 0 || disabled.length > 0) {
    spec.capabilities = {}
    if (enabled.length > 0) spec.capabilities.enabled = [...enabled]
    if (disabled.length > 0) spec.capabilities.disabled = [...disabled]
  }
  // hcp skips spec.pausedUntil for the literal "true" (applyPausedUntil), which contradicts its own flag help
  // ("paused until the field is removed"); the gateway pauses the HostedCluster in both cases.
  if (input.pausedUntil !== undefined) spec.pausedUntil = input.pausedUntil
  const nodeSelector = nonEmpty(input.nodeSelector)
  if (nodeSelector !== undefined) spec.nodeSelector = nodeSelector
  const podsLabels = nonEmpty(input.podsLabels)
  if (podsLabels !== undefined) spec.labels = podsLabels
  if (input.tolerations !== undefined && input.tolerations.length > 0) spec.tolerations = input.tolerations.map(t => ({ ...t }))
  if (input.imageContentSources !== undefined && input.imageContentSources.length > 0) {
    spec.imageContentSources = input.imageContentSources.map(s => (s.mirrors === undefined ? { source: s.source } : { mirrors: [...s.mirrors], source: s.source }))
  }
  if (input.kasDnsName !== undefined) spec.kubeAPIServerDNSName = input.kasDnsName
  const net = input.networking ?? {}
  if (net.disableMultiNetwork === true || (net.ovnKubernetesMtu !== undefined && net.ovnKubernetesMtu > 0)) {
    const cno: Spec = {}
    if (net.disableMultiNetwork === true) cno.disableMultiNetwork = true
    if (net.ovnKubernetesMtu !== undefined && net.ovnKubernetesMtu > 0) cno.ovnKubernetesConfig = { mtu: net.ovnKubernetesMtu }
    spec.operatorConfiguration = { clusterNetworkOperator: cno }
  }

  const metadata: KubeObject['metadata'] = { name: input.name, namespace: input.namespace ?? DEFAULT_NAMESPACE }
  const annotations = nonEmpty(input.annotations)
  if (annotations !== undefined) metadata.annotations = annotations
  const labels = nonEmpty(input.labels)
  if (labels !== undefined) metadata.labels = labels
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata,
    spec,
    status: { controlPlaneEndpoint: { host: '', port: 0 } }
  }
}
