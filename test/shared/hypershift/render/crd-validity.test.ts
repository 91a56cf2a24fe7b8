import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { loadCrdValidator } from '../../../../services/sim/kube/validation/index.ts'
import { renderCluster } from '../../../../shared/hypershift/render/render-cluster.ts'
import { validateCreateCluster } from '../../../../shared/hypershift/rules/create-cluster.ts'
import type { CreateClusterInput } from '../../../../shared/hypershift/render/create-cluster-schema.ts'
import type { KubeObject } from '../../../../shared/kube/kube-object.ts'

const crdDir = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))

const common = {
  name: 'example',
  releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.0-multi',
  pullSecret: '{"auths":{}}',
  sshKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB test@example'
}
const rich: Partial<CreateClusterInput> = {
  additionalTrustBundle: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  enableClusterCapabilities: ['Insights'],
  disableClusterCapabilities: ['Console', 'Ingress'],
  featureSet: 'TechPreviewNoUpgrade',
  olmDisableDefaultSources: true,
  olmCatalogPlacement: 'guest',
  pausedUntil: '2030-01-01T00:00:00Z',
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'hcp', effect: 'NoSchedule' }],
  nodeSelector: { 'node-role.kubernetes.io/infra': '' },
  podsLabels: { team: 'a' },
  imageContentSources: [{ source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['mirror.example.com/ocp/release'] }],
  kasDnsName: 'api.custom.example.com',
  controllerAvailabilityPolicy: 'HighlyAvailable',
  infrastructureAvailabilityPolicy: 'HighlyAvailable',
  fips: true,
  etcd: { storageClass: 'lvm-storageclass', storageSize: '16Gi' },
  annotations: { 'example.com/owner': 'team-a' },
  labels: { env: 'test' },
  nodePool: { replicas: 3, autoRepair: true, nodeDrainTimeout: '30m', nodeVolumeDetachTimeout: '5m' }
}
const rolesRef = {
  ingressARN: 'arn:aws:iam::1:role/i',
  imageRegistryARN: 'arn:aws:iam::1:role/r',
  storageARN: 'arn:aws:iam::1:role/s',
  networkARN: 'arn:aws:iam::1:role/n',
  kubeCloudControllerARN: 'arn:aws:iam::1:role/k',
  nodePoolManagementARN: 'arn:aws:iam::1:role/p',
  controlPlaneOperatorARN: 'arn:aws:iam::1:role/c'
}
const awsOptions = {
  zones: [{ name: 'us-east-1a', subnetId: 'subnet-0a' }, { name: 'us-east-1b', subnetId: 'subnet-0b' }],
  vpcId: 'vpc-01',
  machineCidr: '10.0.0.0/16',
  publicZoneId: 'Z0PUBLIC',
  privateZoneId: 'Z0PRIVATE',
  proxyAddress: 'http://10.0.0.5:3128',
  issuerUrl: 'https://oidc.s3.us-east-1.amazonaws.com/example',
  instanceProfile: 'example-worker',
  rolesRef,
  additionalTags: { 'cost-center': 'x' },
  rootVolume: { type: 'io1', size: 200, iops: 4000, kmsKey: 'arn:aws:kms:us-east-1:1:key/k' }
}

const cases: Array<[string, CreateClusterInput]> = [
  ['aws minimal', { ...common, platform: 'aws', baseDomain: 'example.com', aws: { zones: [{ name: 'us-east-1a', subnetId: 'subnet-0a' }], vpcId: 'vpc-01', issuerUrl: 'https://oidc.example.com/x', instanceProfile: 'p', rolesRef } }],
  ['aws rich', { ...common, ...rich, platform: 'aws', baseDomain: 'example.com', externalDnsDomain: 'svc.example.com', aws: { ...awsOptions, kms: { keyArn: 'arn:aws:kms:us-east-1:1:key/e', providerRoleArn: 'arn:aws:iam::1:role/kms' } }, networking: { ovnKubernetesMtu: 1400 } }],
  ['aws private arm64', { ...common, platform: 'aws', baseDomain: 'example.com', aws: { ...awsOptions, endpointAccess: 'Private' }, nodePool: { arch: 'arm64', autoScaling: { min: 0, max: 3 } } }],
  ['agent minimal', { ...common, platform: 'agent', agent: { agentNamespace: 'agents', apiServerAddress: '192.168.122.10' } }],
  ['agent rich', { ...common, ...rich, platform: 'agent', baseDomain: 'krnl.es', agent: { agentNamespace: 'agents', apiServerAddress: 'api.example.krnl.es', agentLabelSelector: 'size=large,zone notin (az1,az2),!gpu' }, networking: { defaultDual: true } }],
  ['agent ibm power', { ...common, platform: 'agent', agent: { agentNamespace: 'agents', apiServerAddress: '10.0.0.1', agentLabelSelector: { matchLabels: { 'inventory.agent-install.openshift.io/cpu-architecture': 'ppc64le' } } }, nodePool: { arch: 'ppc64le', replicas: 0 } }],
  ['kubevirt minimal', { ...common, platform: 'kubevirt' }],
  ['kubevirt rich', { ...common, ...rich, platform: 'kubevirt', baseDomain: 'apps.example.com', kubevirt: { memory: '8Gi', cores: 4, rootVolumeSize: 64, rootVolumeStorageClass: 'ocs', rootVolumeAccessModes: ['ReadWriteMany'], rootVolumeVolumeMode: 'Block', rootVolumeCacheStrategy: 'PVC', networkMultiqueue: 'Disable', qosClass: 'Guaranteed', additionalNetworks: ['my-namespace/network1'], attachDefaultNetwork: false, vmNodeSelector: { role: 'kubevirt' }, hostDevices: [{ deviceName: 'nvidia-a10', count: 2 }], infraKubeconfig: 'apiVersion: v1\nkind: Config\n', infraNamespace: 'clusters-example', storageClassMappings: [{ infra: 'ocs-storagecluster-ceph-rbd', guest: 'ceph-rbd', group: 'ceph' }], volumeSnapshotClassMappings: [{ infra: 'ocs-rbd-snap', guest: 'rbd-snap', group: 'ceph' }] } }],
  ['kubevirt nodeport s390x', { ...common, platform: 'kubevirt', kubevirt: { servicePublishingStrategy: 'NodePort', apiServerAddress: '10.0.0.7' }, nodePool: { arch: 's390x', autoScaling: { min: 1, max: 4 } } }],
  ['none nodeport', { ...common, platform: 'none', none: { apiServerAddress: '10.0.0.7' }, networking: { networkType: 'Other', disableMultiNetwork: true, allocateNodeCidrs: true } }],
  ['none load balancer', { ...common, ...rich, platform: 'none', none: { exposeThroughLoadBalancer: true }, nodePool: { replicas: 2, arch: 'arm64' } }]
]

// Every field the render sets survives CRD pruning (nothing misspelled or unknown to the API).
function missingPaths (rendered: unknown, normalized: unknown, path = ''): string[] {
  if (Array.isArray(rendered)) {
    if (!Array.isArray(normalized)) return [path]
    return rendered.flatMap((v, i) => missingPaths(v, normalized[i], `${path}[${i}]`))
  }
  if (typeof rendered === 'object' && rendered !== null) {
    if (typeof normalized !== 'object' || normalized === null) return [path]
    const n = normalized as Record<string, unknown>
    return Object.entries(rendered).flatMap(([k, v]) => (k in n ? missingPaths(v, n[k], `${path}.${k}`) : [`${path}.${k}`]))
  }
  return []
}

t.test('rendered HostedClusters and NodePools are valid against the CRDs', { skip: existsSync(crdDir) ? false : `no CRDs at ${crdDir}` }, async t => {
  const validator = await loadCrdValidator(crdDir)
  const check = (label: string, plural: string, object: KubeObject) => {
    const result = validator.validate({ group: 'hypershift.openshift.io', version: 'v1beta1', plural, object })
    t.same(result.causes, [], `${label}: ${plural}/${object.metadata.name} is valid`)
    t.same(missingPaths(object, result.object), [], `${label}: ${plural}/${object.metadata.name} loses no field to pruning`)
  }
  for (const [label, input] of cases) {
    t.same(validateCreateCluster(input), [], `${label}: passes the gateway rules`)
    const rendered = renderCluster(input)
    check(label, 'hostedclusters', rendered.hostedCluster)
    t.ok(rendered.nodePools.length > 0, `${label}: renders node pools`)
    for (const np of rendered.nodePools) check(label, 'nodepools', np)
  }
})

t.test('OpenStack against the installed CRD feature set', { skip: existsSync(crdDir) ? false : `no CRDs at ${crdDir}` }, async t => {
  const validator = await loadCrdValidator(crdDir)
  const rendered = renderCluster({
    ...common,
    platform: 'openstack',
    openstack: { cloudsYaml: 'clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.example.com\n', nodeFlavor: 'm1.xlarge', externalNetworkId: '5387f86a-a10e-47fe-91c6-41ac131f9f30' }
  })
  for (const [plural, object] of [['hostedclusters', rendered.hostedCluster], ['nodepools', rendered.nodePools[0]]] as const) {
    const result = validator.validate({ group: 'hypershift.openshift.io', version: 'v1beta1', plural, object })
    if (result.causes.length === 0) {
      t.same(missingPaths(object, result.object), [], `${plural} valid and unpruned`)
      continue
    }
    // The shared CRDs are the Default feature set; OpenStack (Technology Preview) is not an allowed platform there.
    t.comment(`${plural}: ${result.causes[0].message}`)
    t.same(result.causes.filter(c => c.field !== '<nil>').map(c => [c.field, c.reason]), [['spec.platform.type', 'FieldValueNotSupported']], `${plural}: only the TechPreview platform type is refused`)
  }
})
