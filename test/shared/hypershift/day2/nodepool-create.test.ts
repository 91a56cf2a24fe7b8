import t from 'tap'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'
import { GatewayError } from '../../../../shared/errors.ts'
import type { KubeObject } from '../../../../shared/kube/kube-object.ts'
import { planNodePoolCreate, renderNodePool, validateNodePoolCreate } from '../../../../shared/hypershift/day2/nodepool-create.ts'
import type { NodePoolCreateInput } from '../../../../shared/hypershift/day2/nodepool-create-schema.ts'

const crdDir = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))
const IMG = 'quay.io/openshift-release-dev/ocp-release'
const NS = 'clusters'

const PLATFORMS: Record<string, object> = {
  AWS: {
    type: 'AWS',
    aws: {
      region: 'us-east-1',
      cloudProviderConfig: { vpc: 'vpc-0abc', zone: 'us-east-1a', subnet: { id: 'subnet-0123456789abcdef0' } },
      rolesRef: Object.fromEntries(['controlPlaneOperatorARN', 'imageRegistryARN', 'ingressARN', 'kubeCloudControllerARN', 'networkARN', 'nodePoolManagementARN', 'storageARN']
        .map(k => [k, `arn:aws:iam::123456789012:role/demo-${k}`]))
    }
  },
  Agent: { type: 'Agent', agent: { agentNamespace: 'agents' } },
  KubeVirt: { type: 'KubeVirt', kubevirt: {} },
  None: { type: 'None' },
  OpenStack: { type: 'OpenStack' }
}

function hostedCluster (name: string, platform: string, extra: { status?: object, deleting?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name, namespace: NS, ...(extra.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      release: { image: `${IMG}:4.18.10-x86_64` },
      infraID: `${name}-x7k2p`,
      pullSecret: { name: 'pull-secret' },
      dns: { baseDomain: 'example.com' },
      networking: { clusterNetwork: [{ cidr: '10.132.0.0/14' }], serviceNetwork: [{ cidr: '172.31.0.0/16' }], networkType: 'OVNKubernetes' },
      etcd: { managementType: 'Managed', managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } } },
      platform: PLATFORMS[platform],
      services: ['APIServer', 'OAuthServer', 'Konnectivity', 'Ignition'].map(service => ({ service, servicePublishingStrategy: { type: 'Route', route: {} } }))
    },
    ...(extra.status === undefined ? {} : { status: extra.status })
  }
}

function fieldsOf (err: unknown): Array<{ field: string, message: string }> {
  if (!(err instanceof GatewayError)) throw err
  return (err.errors ?? []).map(({ field, message }) => ({ field, message }))
}

t.test('AWS renders what hcp create nodepool aws --render prints', async t => {
  const np = renderNodePool(hostedCluster('demo', 'AWS'), { name: 'workers' })
  t.strictSame(np, {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name: 'workers', namespace: NS },
    spec: {
      arch: 'amd64',
      clusterName: 'demo',
      management: { autoRepair: false, upgradeType: 'Replace' },
      platform: { type: 'AWS', aws: { instanceType: 'm5.large', instanceProfile: 'demo-x7k2p-worker', subnet: { id: 'subnet-0123456789abcdef0' }, rootVolume: { type: 'gp3', size: 120 } } },
      release: { image: `${IMG}:4.18.10-x86_64` },
      replicas: 2
    },
    status: { replicas: 0 }
  })
  const full = renderNodePool(hostedCluster('demo', 'AWS'), {
    name: 'gpu',
    arch: 'arm64',
    replicas: 1,
    releaseImage: `${IMG}:4.18.1-multi`,
    aws: {
      securityGroupIds: ['sg-1', 'sg-2'],
      rootVolume: { type: 'io2', size: 200, iops: 5000, encryptionKey: 'arn:aws:kms:us-east-1:123456789012:key/k' },
      capacityReservation: { id: 'cr-0123456789abcdef0', marketType: 'CapacityBlocks' },
      ami: 'ami-0abc'
    }
  })
  t.same(full.spec.platform.aws, {
    instanceType: 'm6g.large',
    instanceProfile: 'demo-x7k2p-worker',
    subnet: { id: 'subnet-0123456789abcdef0' },
    rootVolume: { type: 'io2', size: 200, iops: 5000, encryptionKey: 'arn:aws:kms:us-east-1:123456789012:key/k' },
    securityGroups: [{ id: 'sg-1' }, { id: 'sg-2' }],
    ami: 'ami-0abc',
    placement: { capacityReservation: { id: 'cr-0123456789abcdef0', marketType: 'CapacityBlocks' } }
  })
})

t.test('agent, kubevirt, openstack and none render their platform blocks and upgrade types', async t => {
  const agent = renderNodePool(hostedCluster('a', 'Agent'), { name: 'p' })
  t.same(agent.spec.platform, { type: 'Agent', agent: { agentLabelSelector: {} } })
  t.equal(agent.spec.management.upgradeType, 'InPlace')
  const selected = renderNodePool(hostedCluster('a', 'Agent'), {
    name: 'p', agent: { agentLabelSelector: { matchLabels: { size: 'large' }, matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['az1', 'az2'] }] } }
  })
  t.same(selected.spec.platform.agent.agentLabelSelector, { matchLabels: { size: 'large' }, matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['az1', 'az2'] }] })

  const kv = renderNodePool(hostedCluster('k', 'KubeVirt'), { name: 'p' })
  t.same(kv.spec.platform.kubevirt, {
    attachDefaultNetwork: true, compute: { cores: 2, memory: '4Gi' }, networkInterfaceMultiqueue: 'Enable', rootVolume: { type: 'Persistent', persistent: { size: '32Gi' } }
  })
  t.equal(kv.spec.management.upgradeType, 'Replace')
  const kvFull = renderNodePool(hostedCluster('k', 'KubeVirt'), {
    name: 'p',
    kubevirt: {
      memory: '8Gi',
      cores: 4,
      qosClass: 'Guaranteed',
      additionalNetworks: ['default/nad1'],
      attachDefaultNetwork: false,
      nodeSelector: { role: 'kubevirt' },
      hostDevices: [{ deviceName: 'testdevice' }],
      rootVolume: { size: 64, storageClass: 'fast', accessModes: ['ReadWriteOnce'], volumeMode: 'Block', cacheStrategy: 'None' }
    }
  })
  t.same(kvFull.spec.platform.kubevirt, {
    additionalNetworks: [{ name: 'default/nad1' }],
    attachDefaultNetwork: false,
    compute: { cores: 4, memory: '8Gi', qosClass: 'Guaranteed' },
    hostDevices: [{ count: 1, deviceName: 'testdevice' }],
    networkInterfaceMultiqueue: 'Enable',
    nodeSelector: { role: 'kubevirt' },
    rootVolume: { cacheStrategy: { type: 'None' }, persistent: { accessModes: ['ReadWriteOnce'], size: '64Gi', storageClass: 'fast', volumeMode: 'Block' }, type: 'Persistent' }
  })

  const os = planNodePoolCreate(hostedCluster('o', 'OpenStack'), { name: 'p', openstack: { flavor: 'm1.xlarge', imageName: 'rhcos', availabilityZone: 'nova' } })
  t.same(os.nodePool.spec.platform, { type: 'OpenStack', openstack: { flavor: 'm1.xlarge', imageName: 'rhcos', availabilityZone: 'nova' } })
  t.match(os.warnings.join('\n'), /TechPreviewNoUpgrade/)

  const none = renderNodePool(hostedCluster('n', 'None'), { name: 'p', autoscaling: { min: 1, max: 3 }, upgradeType: 'Replace' })
  t.same(none.spec.platform, { type: 'None' })
  t.same(none.spec.autoScaling, { min: 1, max: 3 })
  t.equal(none.spec.replicas, undefined)
  t.equal(none.spec.management.upgradeType, 'Replace')
})

t.test('optional NodePool fields are copied when given', async t => {
  const np = renderNodePool(hostedCluster('n', 'None'), {
    name: 'p',
    autoRepair: true,
    nodeDrainTimeout: '30m',
    nodeVolumeDetachTimeout: '5m',
    nodeLabels: { 'example.com/role': 'infra' },
    taints: [{ key: 'node-role.kubernetes.io/infra', effect: 'NoSchedule' }],
    tuningConfig: ['perf'],
    config: ['kubelet'],
    pausedUntil: 'true'
  })
  t.match(np.spec, {
    management: { autoRepair: true },
    nodeDrainTimeout: '30m0s',
    nodeVolumeDetachTimeout: '5m0s',
    nodeLabels: { 'example.com/role': 'infra' },
    taints: [{ key: 'node-role.kubernetes.io/infra', effect: 'NoSchedule' }],
    tuningConfig: [{ name: 'perf' }],
    config: [{ name: 'kubelet' }],
    pausedUntil: 'true'
  })
})

t.test('validation rules name the body field that breaks them', async t => {
  const aws = hostedCluster('demo', 'AWS')
  const cases: Array<[string, KubeObject, NodePoolCreateInput, string, RegExp]> = [
    ['name', aws, { name: 'Bad_Name' }, 'body.name', /RFC 1123 label/],
    ['replicas xor autoscaling', aws, { name: 'p', replicas: 1, autoscaling: { min: 1, max: 2 } }, 'body.autoscaling', /mutually exclusive/],
    ['max >= min', aws, { name: 'p', autoscaling: { min: 3, max: 2 } }, 'body.autoscaling.max', /max must be equal or greater than min/],
    ['scale from zero off AWS', hostedCluster('n', 'None'), { name: 'p', autoscaling: { min: 0, max: 2 } }, 'body.autoscaling.min', /only supported for AWS and Azure/],
    ['platform block of another platform', aws, { name: 'p', kubevirt: {} }, 'body.kubevirt', /NodePool platform type KubeVirt must be HostedCluster type AWS/],
    ['arm64 on KubeVirt', hostedCluster('k', 'KubeVirt'), { name: 'p', arch: 'arm64' }, 'body.arch', /arch arm64 is not supported on platform kubevirt; allowed: amd64, s390x/],
    ['s390x off KubeVirt', hostedCluster('n', 'None'), { name: 'p', arch: 's390x' }, 'body.arch', /arch s390x is not supported on platform none/],
    ['ppc64le on AWS', aws, { name: 'p', arch: 'ppc64le' }, 'body.arch', /arch ppc64le is not supported on platform aws/],
    ['payload arch', hostedCluster('n', 'None', { status: { payloadArch: 'AMD64' } }), { name: 'p', arch: 'arm64' }, 'body.arch', /not supported by the HostedCluster payload type, AMD64/],
    ['release arch', hostedCluster('n', 'None'), { name: 'p', arch: 'arm64' }, 'body.arch', /single-arch \(amd64\); a arm64 NodePool needs a multi-arch release image/],
    ['newer than the control plane', aws, { name: 'p', releaseImage: `${IMG}:4.18.11-x86_64` }, 'body.releaseImage', /cannot be higher than the control plane version 4.18.10/],
    ['outside the skew', aws, { name: 'p', releaseImage: `${IMG}:4.15.36-x86_64` }, 'body.releaseImage', /more than 2 minor versions older/],
    ['release pull spec', aws, { name: 'p', releaseImage: 'nope' }, 'body.releaseImage', /pull spec/],
    ['auto repair needs a drain timeout', aws, { name: 'p', autoRepair: true }, 'body.autoRepair', /nodeDrainTimeout greater than 0s/],
    ['drain timeout syntax', aws, { name: 'p', nodeDrainTimeout: '30' }, 'body.nodeDrainTimeout', /is not a duration/],
    ['node label key', aws, { name: 'p', nodeLabels: { 'bad key': 'v' } }, 'body.nodeLabels.bad key', /the name must be 1-63 characters/],
    ['taint key', aws, { name: 'p', taints: [{ key: 'a b', effect: 'NoSchedule' }] }, 'body.taints[0].key', /qualified name/],
    ['ConfigMap name', aws, { name: 'p', tuningConfig: ['Perf'] }, 'body.tuningConfig[0]', /RFC 1123 subdomain/],
    ['pausedUntil', aws, { name: 'p', pausedUntil: 'tomorrow' }, 'body.pausedUntil', /RFC3339/],
    ['subnet id', aws, { name: 'p', aws: { subnetId: 'vpc-1' } }, 'body.aws.subnetId', /subnet-/],
    ['no subnet anywhere', { ...aws, spec: { ...aws.spec, platform: { type: 'AWS', aws: { region: 'us-east-1' } } } }, { name: 'p' }, 'body.aws.subnetId', /cannot be determined from HostedCluster/],
    ['security group id', aws, { name: 'p', aws: { securityGroupIds: ['x'] } }, 'body.aws.securityGroupIds[0]', /sg-/],
    ['ami id', aws, { name: 'p', aws: { ami: 'x' } }, 'body.aws.ami', /ami-/],
    ['iops on gp2', aws, { name: 'p', aws: { rootVolume: { type: 'gp2', iops: 100 } } }, 'body.aws.rootVolume.iops', /io1, io2 and gp3/],
    ['capacity reservation id', aws, { name: 'p', aws: { capacityReservation: { id: 'cr-123' } } }, 'body.aws.capacityReservation.id', /17 lowercase hexadecimal/],
    ['capacity blocks need an id', aws, { name: 'p', aws: { capacityReservation: { marketType: 'CapacityBlocks' } } }, 'body.aws.capacityReservation.id', /requires a Capacity Reservation ID/],
    ['preference Open with an id', aws, { name: 'p', aws: { capacityReservation: { id: 'cr-0123456789abcdef0', preference: 'Open' } } }, 'body.aws.capacityReservation.preference', /incompatible/],
    ['agent selector In without values', hostedCluster('a', 'Agent'), { name: 'p', agent: { agentLabelSelector: { matchExpressions: [{ key: 'k', operator: 'In' }] } } }, 'body.agent.agentLabelSelector.matchExpressions[0].values', /non-empty/],
    ['agent selector Exists with values', hostedCluster('a', 'Agent'), { name: 'p', agent: { agentLabelSelector: { matchExpressions: [{ key: 'k', operator: 'Exists', values: ['x'] }] } } }, 'body.agent.agentLabelSelector.matchExpressions[0].values', /must be empty/],
    ['kubevirt default network', hostedCluster('k', 'KubeVirt'), { name: 'p', kubevirt: { attachDefaultNetwork: false } }, 'body.kubevirt.attachDefaultNetwork', /additional network is mandatory/],
    ['kubevirt network name', hostedCluster('k', 'KubeVirt'), { name: 'p', kubevirt: { additionalNetworks: ['nad'] } }, 'body.kubevirt.additionalNetworks[0]', /namespace\/name/],
    ['openstack needs flavor and image', hostedCluster('o', 'OpenStack'), { name: 'p' }, 'body.openstack', /required/],
    ['unsupported platform', { ...aws, spec: { ...aws.spec, platform: { type: 'PowerVS' } } }, { name: 'p' }, 'body', /PowerVS is not supported/]
  ]
  for (const [what, cluster, input, field, message] of cases) {
    const errors = validateNodePoolCreate(cluster, input)
    const hit = errors.find(e => e.field === field)
    t.ok(hit, `${what}: error on ${field} (got ${JSON.stringify(errors)})`)
    t.match(hit?.message, message, what)
  }
  t.same(validateNodePoolCreate(aws, { name: 'ok', arch: 'arm64', releaseImage: `${IMG}:4.18.10-multi` }), [])
})

t.test('render throws the validation errors, and a cluster being deleted is a conflict', async t => {
  const err = t.throws(() => renderNodePool(hostedCluster('demo', 'AWS'), { name: 'p', arch: 's390x' }))
  t.equal((err as GatewayError).code, 'GW_ERR_VALIDATION')
  t.same(fieldsOf(err).map(e => e.field), ['body.arch'])
  const scaleFromZero = t.throws(() => renderNodePool(hostedCluster('n', 'None'), { name: 'p', autoscaling: { min: 0, max: 1 } }))
  t.equal((scaleFromZero as GatewayError).code, 'GW_ERR_UNPROCESSABLE')
  const deleting = t.throws(() => renderNodePool(hostedCluster('demo', 'AWS', { deleting: true }), { name: 'p' }))
  t.equal((deleting as GatewayError).code, 'GW_ERR_CONFLICT')
  t.match((deleting as Error).message, /being deleted/)
})

t.test('the twin accepts the rendered NodePools (CRD validation)', { skip: existsSync(crdDir) ? false : `no CRDs at ${crdDir}` }, async t => {
  const kube = await startKubeServer({ port: 0, crdDir, log: () => {} })
  t.teardown(() => kube.close())
  const kc = new KubeConfig()
  kc.loadFromString(kube.kubeconfig())
  const custom = kc.makeApiClient(CustomObjectsApi)
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } })
  const G = { group: 'hypershift.openshift.io', version: 'v1beta1', namespace: NS }
  const inputs: Array<[string, NodePoolCreateInput]> = [
    ['AWS', { name: 'aws-np', arch: 'arm64', releaseImage: `${IMG}:4.18.10-multi`, autoscaling: { min: 0, max: 3 }, aws: { capacityReservation: { id: 'cr-0123456789abcdef0', marketType: 'CapacityBlocks' } } }],
    ['Agent', { name: 'agent-np', agent: { agentLabelSelector: { matchLabels: { size: 'medium' } } }, nodeDrainTimeout: '30m', autoRepair: true }],
    ['KubeVirt', { name: 'kv-np', replicas: 3, kubevirt: { hostDevices: [{ deviceName: 'nvidia-a100', count: 2 }] }, taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }],
    ['None', { name: 'none-np', pausedUntil: '2030-01-01T00:00:00Z', tuningConfig: ['perf'] }]
  ]
  for (const [platform, input] of inputs) {
    const hc = hostedCluster(platform.toLowerCase(), platform)
    await custom.createNamespacedCustomObject({ ...G, plural: 'hostedclusters', body: hc })
    const rendered = renderNodePool(hc, input)
    const created = await custom.createNamespacedCustomObject({ ...G, plural: 'nodepools', body: rendered }) as KubeObject
    t.match(created.spec, rendered.spec, `${platform} NodePool stored as rendered`)
    t.same(created.spec.management.replace, { strategy: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, `${platform}: apiserver defaults fill management.replace`)
  }
  const os = hostedCluster('os', 'OpenStack')
  await t.rejects(custom.createNamespacedCustomObject({ ...G, plural: 'nodepools', body: renderNodePool(os, { name: 'os-np', openstack: { flavor: 'm1', imageName: 'rhcos' } }) }),
    { code: 422 }, 'the Default NodePool CRD refuses platform OpenStack, as the warning says')
})
