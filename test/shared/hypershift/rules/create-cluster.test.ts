import t from 'tap'
import { validateCreateCluster } from '../../../../shared/hypershift/rules/create-cluster.ts'
import type { CreateClusterInput } from '../../../../shared/hypershift/render/create-cluster-schema.ts'

const common = {
  name: 'example',
  releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.0-multi',
  pullSecret: '{"auths":{"quay.io":{"auth":"eA=="}}}'
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
const aws = (): CreateClusterInput => ({
  ...common,
  platform: 'aws',
  baseDomain: 'example.com',
  aws: { zones: [{ name: 'us-east-1a', subnetId: 'subnet-1' }], vpcId: 'vpc-1', issuerUrl: 'https://oidc.example.com/c', instanceProfile: 'example-worker', rolesRef }
})

function fields (input: CreateClusterInput): Array<[string, string | undefined]> {
  return validateCreateCluster(input).map(e => [e.field, e.constraint])
}

t.test('valid inputs for every platform', async t => {
  t.same(validateCreateCluster(aws()), [])
  t.same(validateCreateCluster({ ...common, platform: 'agent', agent: { agentNamespace: 'agents', agentLabelSelector: 'size=large' } }), [])
  t.same(validateCreateCluster({ ...common, platform: 'kubevirt' }), [])
  t.same(validateCreateCluster({ ...common, platform: 'openstack', openstack: { cloudsYaml: 'clouds:\n  openstack:\n    auth: {}\n', nodeFlavor: 'm1.xlarge' } }), [])
  t.same(validateCreateCluster({ ...common, platform: 'none' }), [])
})

t.test('names', async t => {
  t.same(fields({ ...aws(), name: 'clusters' }), [['body.name', 'reserved'], ['body.namespace', 'notEqual']])
  t.same(fields({ ...aws(), name: 'clusters', namespace: 'hosted' }), [['body.name', 'reserved']])
  t.same(fields({ ...aws(), namespace: 'example' }), [['body.namespace', 'notEqual']])
})

t.test('platform blocks', async t => {
  t.same(fields({ ...common, platform: 'agent' }), [['body.agent', 'required']])
  const wrong = validateCreateCluster({ ...common, platform: 'none', kubevirt: {} })
  t.same(wrong, [{ field: 'body.kubevirt', message: 'only allowed with platform kubevirt (platform is none)', constraint: 'platform' }])
  t.same(fields({ ...aws(), baseDomain: undefined }), [['body.baseDomain', 'required']])
})

t.test('pull secret, release image, misc', async t => {
  t.same(validateCreateCluster({ ...aws(), pullSecret: 'not json' }), [{ field: 'body.pullSecret', message: 'must be valid JSON (a docker config with "auths")', constraint: 'format' }])
  t.same(fields({ ...aws(), pullSecret: '{"x":1}' }), [['body.pullSecret', 'format']])
  t.same(fields({ ...aws(), releaseImage: 'quay.io/x y' }), [['body.releaseImage', 'format']])
  t.same(fields({ ...aws(), pausedUntil: '2026-13-45T00:00:00Z' }), [['body.pausedUntil', 'format']])
  t.same(fields({ ...aws(), pausedUntil: 'true' }), [])
  t.same(fields({ ...aws(), kasDnsName: 'API.example.com' }), [['body.kasDnsName', 'pattern']])
  t.same(fields({ ...aws(), baseDomainPrefix: 'none' }), [])
  t.same(fields({ ...aws(), baseDomainPrefix: 'Bad' }), [['body.baseDomainPrefix', 'pattern']])
  t.same(fields({ ...aws(), disableClusterCapabilities: ['Ingress'] }), [['body.disableClusterCapabilities', 'dependency']])
  t.same(fields({ ...aws(), disableClusterCapabilities: ['Ingress', 'Console'] }), [])
  t.same(fields({ ...aws(), enableClusterCapabilities: ['Insights'], disableClusterCapabilities: ['Insights'] }), [['body.enableClusterCapabilities', 'oneOf']])
  t.same(fields({ ...aws(), labels: { 'bad key!': 'v' } }), [['body.labels.bad key!', 'pattern']])
  t.same(fields({ ...aws(), annotations: { '/x': 'v' } }), [['body.annotations./x', 'pattern']])
  t.same(fields({ ...aws(), tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }), [['body.tolerations[0].value', 'dependency']])
  t.same(fields({ ...aws(), tolerations: [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }] }), [['body.tolerations[0].tolerationSeconds', 'dependency']])
})

t.test('networking', async t => {
  t.same(fields({ ...aws(), networking: { machineCidr: ['10.132.0.0/16'] } }), [['body.networking.machineCidr[0]', 'overlap']])
  t.same(fields({ ...aws(), networking: { serviceCidr: ['10.134.0.0/16'] } }), [['body.networking.serviceCidr[0]', 'overlap']], 'against the default cluster network')
  t.same(fields({ ...aws(), networking: { defaultDual: true } }), [['body.networking.defaultDual', 'platform']])
  t.same(fields({ ...common, platform: 'agent', agent: { agentNamespace: 'a' }, networking: { defaultDual: true } }), [])
  t.same(fields({ ...common, platform: 'agent', agent: { agentNamespace: 'a' }, networking: { defaultDual: true, clusterCidr: ['10.132.0.0/14'] } }), [['body.networking.defaultDual', 'oneOf']])
  t.same(fields({ ...aws(), networking: { networkType: 'Calico', ovnKubernetesMtu: 1400 } }), [['body.networking.ovnKubernetesMtu', 'networkType']])
  t.same(fields({ ...aws(), networking: { disableMultiNetwork: true, allocateNodeCidrs: true } }), [
    ['body.networking.disableMultiNetwork', 'networkType'],
    ['body.networking.allocateNodeCidrs', 'networkType']
  ])
})

t.test('node pool', async t => {
  t.same(fields({ ...aws(), nodePool: { arch: 'ppc64le' } }), [['body.nodePool.arch', 'platformArch']])
  t.same(fields({ ...aws(), releaseImage: 'quay.io/r:4.19.0-x86_64', nodePool: { arch: 'arm64' } }), [['body.nodePool.arch', 'multiArch']])
  t.same(fields({ ...aws(), nodePool: { replicas: 2, autoScaling: { min: 1, max: 2 } } }), [['body.nodePool.autoScaling', 'oneOf']])
  t.same(fields({ ...aws(), nodePool: { replicas: -1 } }), [], '-1 = no NodePool')
  t.same(fields({ ...common, platform: 'none', nodePool: { autoScaling: { min: 0, max: 2 } } }), [['body.nodePool.autoScaling.min', 'minimum']])
  t.same(fields({ ...aws(), nodePool: { nodeDrainTimeout: '5 minutes' } }), [['body.nodePool.nodeDrainTimeout', 'format']])
  const repair = validateCreateCluster({ ...aws(), nodePool: { autoRepair: true } })
  t.same(repair, [{ field: 'body.nodePool.nodeDrainTimeout', message: 'autoRepair needs a nodeDrainTimeout greater than 0s (e.g. 30m)', constraint: 'minimum' }])
  t.same(fields({ ...aws(), nodePool: { autoRepair: true, nodeDrainTimeout: '30m' } }), [])
})

t.test('aws options', async t => {
  const base = aws()
  const twice = { ...base, aws: { ...base.aws!, zones: [{ name: 'us-east-1a', subnetId: 'subnet-1' }, { name: 'us-east-1a', subnetId: 'subnet-2' }] } }
  t.same(fields(twice), [['body.aws.zones[1].name', 'unique']])
  const elsewhere = { ...base, aws: { ...base.aws!, zones: [{ name: 'eu-west-1a', subnetId: 'subnet-1' }] } }
  t.same(validateCreateCluster(elsewhere), [{ field: 'body.aws.zones[0].name', message: 'zone eu-west-1a is not in region us-east-1', constraint: 'region' }])
  t.same(fields({ ...base, aws: { ...base.aws!, machineCidr: '10.0.0.1/16' } }), [['body.aws.machineCidr', 'format']])
  t.same(fields({ ...base, aws: { ...base.aws!, rootVolume: { type: 'gp2', iops: 3000 } } }), [['body.aws.rootVolume.iops', 'volumeType']])
  t.same(fields({ ...base, externalDnsDomain: 'svc.example.com', aws: { ...base.aws!, endpointAccess: 'Private' } }), [['body.externalDnsDomain', 'dependency']])
})

t.test('agent, kubevirt and openstack options', async t => {
  const selector = validateCreateCluster({ ...common, platform: 'agent', agent: { agentNamespace: 'a', agentLabelSelector: 'zone in ()' } })
  t.same(selector.map(e => e.field), ['body.agent.agentLabelSelector'])
  t.match(selector[0].message, 'invalid label selector: "zone" needs at least one value')
  t.same(fields({ ...common, platform: 'kubevirt', kubevirt: { attachDefaultNetwork: false } }), [['body.kubevirt.attachDefaultNetwork', 'dependency']])
  t.same(fields({ ...common, platform: 'kubevirt', kubevirt: { infraKubeconfig: 'x' } }), [['body.kubevirt.infraNamespace', 'dependency']])
  t.same(fields({ ...common, platform: 'kubevirt', kubevirt: { apiServerAddress: '1.2.3.4' } }), [['body.kubevirt.apiServerAddress', 'dependency']])
  const os = { ...common, platform: 'openstack' as const, openstack: { cloudsYaml: 'clouds:\n  other: {}\n', nodeFlavor: 'm1' } }
  t.same(validateCreateCluster(os), [{ field: 'body.openstack.cloudsYaml', message: "'openstack' cloud not found in credentials file", constraint: 'format' }])
  t.same(fields({ ...os, openstack: { ...os.openstack, cloud: 'other' }, externalDnsDomain: 'x.example.com' }), [['body.externalDnsDomain', 'platform']])
})
