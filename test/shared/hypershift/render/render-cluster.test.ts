import t from 'tap'
import { renderCluster } from '../../../../shared/hypershift/render/render-cluster.ts'
import { redactSecrets, REDACTED } from '../../../../shared/hypershift/render/secrets.ts'
import { isGatewayError } from '../../../../shared/errors.ts'
import type { CreateClusterInput } from '../../../../shared/hypershift/render/create-cluster-schema.ts'

const common = { name: 'example', releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.0-multi', pullSecret: '{"auths":{}}' }
const rolesRef = {
  ingressARN: 'arn:i',
  imageRegistryARN: 'arn:r',
  storageARN: 'arn:s',
  networkARN: 'arn:n',
  kubeCloudControllerARN: 'arn:k',
  nodePoolManagementARN: 'arn:p',
  controlPlaneOperatorARN: 'arn:c'
}
const awsInput = (extra: Partial<CreateClusterInput> = {}, aws: Record<string, unknown> = {}): CreateClusterInput => ({
  ...common,
  platform: 'aws',
  baseDomain: 'example.com',
  aws: { zones: [{ name: 'us-east-1a', subnetId: 'subnet-a' }, { name: 'us-east-1b', subnetId: 'subnet-b' }], vpcId: 'vpc-1', issuerUrl: 'https://oidc', instanceProfile: 'prof', rolesRef, ...aws },
  ...extra
})
const agentInput = (extra: Partial<CreateClusterInput> = {}): CreateClusterInput => ({ ...common, platform: 'agent', agent: { agentNamespace: 'agents', apiServerAddress: '10.0.0.1' }, ...extra })
const fixed = (n: number) => Buffer.alloc(n, 1)

function b64 (value: string | undefined): string {
  return Buffer.from(value ?? '', 'base64').toString('utf8')
}

t.test('hcp defaults', async t => {
  const r = renderCluster({ ...common, platform: 'kubevirt', sshKey: 'ssh-ed25519 AAAA me' })
  const spec = r.hostedCluster.spec
  t.equal(r.namespace.metadata.name, 'clusters')
  t.equal(spec.controllerAvailabilityPolicy, 'SingleReplica')
  t.notOk('infrastructureAvailabilityPolicy' in spec)
  t.same(spec.networking, { clusterNetwork: [{ cidr: '10.132.0.0/14' }], networkType: 'OVNKubernetes', serviceNetwork: [{ cidr: '172.31.0.0/16' }] })
  t.same(spec.etcd, { managed: { storage: { persistentVolume: { size: '8Gi' }, type: 'PersistentVolume' } }, managementType: 'Managed' })
  t.equal(spec.olmCatalogPlacement, 'management')
  t.equal(spec.fips, false)
  t.match(spec.infraID, /^example-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
  t.same(spec.sshKey, { name: 'example-ssh-key' })
  t.same(spec.pullSecret, { name: 'example-pull-secret' })
  const key = r.secrets.find(s => s.metadata.name === 'example-etcd-encryption-key')
  t.equal(Buffer.from(key?.data?.key ?? '', 'base64').length, 32, '32 random bytes')
  t.equal(key?.type, 'Opaque')
  t.same(spec.secretEncryption, { aescbc: { activeKey: { name: 'example-etcd-encryption-key' } }, type: 'aescbc' })
  const pull = r.secrets[0]
  t.equal(b64(pull.data?.['.dockerconfigjson']), common.pullSecret)
  t.same(pull.metadata.labels, { 'hypershift.openshift.io/safe-to-delete-with-cluster': 'true' })
  t.notOk('type' in pull, 'hcp sets no type on the pull secret')
  t.equal(b64(r.secrets[1].data?.['id_rsa.pub']), 'ssh-ed25519 AAAA me')
  const np = r.nodePools[0]
  t.same(np.spec.management, { autoRepair: false, upgradeType: 'Replace' })
  t.equal(np.spec.replicas, 0)
  t.equal(np.spec.arch, 'amd64')
  t.equal(np.spec.nodeDrainTimeout, '0s')
})

t.test('object order follows hcp asObjects', async t => {
  const r = renderCluster(agentInput({ sshKey: 'ssh-rsa AAAA', additionalTrustBundle: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' }), { random: fixed })
  t.same(r.objects.map(o => `${o.kind}/${o.metadata.name}`), [
    'Namespace/clusters',
    'ConfigMap/user-ca-bundle',
    'Secret/example-pull-secret',
    'Secret/example-ssh-key',
    'Role/capi-provider-role',
    'Secret/example-etcd-encryption-key',
    'HostedCluster/example',
    'NodePool/example'
  ])
  t.same(r.configMaps[0].data, { 'ca-bundle.crt': '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' })
  t.same(r.hostedCluster.spec.additionalTrustBundle, { name: 'user-ca-bundle' })
  t.same(r.resources.map(o => o.kind), ['Role'])
  t.equal(r.resources[0].metadata.namespace, 'agents')
})

t.test('node pool inputs', async t => {
  t.same(renderCluster(agentInput({ nodePool: { replicas: -1 } }), { random: fixed }).nodePools, [], '-1 = no NodePool')
  const auto = renderCluster(agentInput({ nodePool: { autoScaling: { min: 1, max: 5 } } }), { random: fixed }).nodePools[0].spec
  t.same(auto.autoScaling, { max: 5, min: 1 })
  t.notOk('replicas' in auto)
  const np = renderCluster(agentInput({ pausedUntil: 'true', nodePool: { replicas: 2, upgradeType: 'Replace', autoRepair: true, nodeDrainTimeout: '30m', nodeVolumeDetachTimeout: '90s', arch: 'arm64' } }), { random: fixed })
  t.same(np.nodePools[0].spec.management, { autoRepair: true, upgradeType: 'Replace' })
  t.equal(np.nodePools[0].spec.nodeDrainTimeout, '30m0s', 'Go duration formatting')
  t.equal(np.nodePools[0].spec.nodeVolumeDetachTimeout, '1m30s')
  t.equal(np.nodePools[0].spec.pausedUntil, 'true')
  t.equal(np.hostedCluster.spec.pausedUntil, 'true')
  t.equal(np.nodePools[0].spec.arch, 'arm64')
  t.equal(renderCluster(agentInput(), { random: fixed }).nodePools[0].spec.management.upgradeType, 'InPlace')
  t.equal(renderCluster({ ...common, platform: 'none', none: { apiServerAddress: '1.1.1.1' } }, { random: fixed }).nodePools[0].spec.management.upgradeType, 'InPlace')
})

t.test('aws specifics', async t => {
  const r = renderCluster(awsInput({ nodePool: { arch: 'arm64', replicas: 1 } }, { additionalTags: { owner: 'me' }, rootVolume: { type: 'io1', size: 200, iops: 3000, kmsKey: 'arn:kms' } }), { random: fixed })
  t.same(r.nodePools.map(n => n.metadata.name), ['example-us-east-1a', 'example-us-east-1b'])
  t.same(r.nodePools[1].spec.platform, {
    type: 'AWS',
    aws: { instanceProfile: 'prof', instanceType: 'm6g.large', rootVolume: { size: 200, type: 'io1', iops: 3000, encryptionKey: 'arn:kms' }, subnet: { id: 'subnet-b' } }
  })
  const spec = r.hostedCluster.spec
  t.equal(spec.etcd.managed.storage.persistentVolume.storageClassName, 'gp3-csi', 'AWS etcd storage class default')
  t.same(spec.platform.aws.cloudProviderConfig, { subnet: { id: 'subnet-a' }, vpc: 'vpc-1', zone: 'us-east-1a' })
  t.same(spec.platform.aws.resourceTags, [{ key: 'owner', value: 'me' }])
  t.equal(spec.platform.aws.region, 'us-east-1')
  t.equal(spec.platform.aws.endpointAccess, 'Public')
  t.same(spec.services.map((s: any) => [s.service, s.servicePublishingStrategy.type]), [['APIServer', 'LoadBalancer'], ['Ignition', 'Route'], ['Konnectivity', 'Route'], ['OAuthServer', 'Route']])
  t.equal(spec.dns.baseDomain, 'example.com')
  t.same(renderCluster(awsInput({ baseDomainPrefix: 'none' }), { random: fixed }).hostedCluster.spec.dns, { baseDomain: 'example.com', baseDomainPrefix: '' })

  const ext = renderCluster(awsInput({ externalDnsDomain: 'svc.example.com' }, { endpointAccess: 'PublicAndPrivate' }), { random: fixed }).hostedCluster.spec.services
  t.same(ext, [
    { service: 'APIServer', servicePublishingStrategy: { type: 'Route', route: { hostname: 'api-example.svc.example.com' } } },
    { service: 'Ignition', servicePublishingStrategy: { type: 'Route', route: {} } },
    { service: 'Konnectivity', servicePublishingStrategy: { type: 'Route', route: {} } },
    { service: 'OAuthServer', servicePublishingStrategy: { type: 'Route', route: { hostname: 'oauth-example.svc.example.com' } } }
  ], 'konnectivity/ignition hostnames only for Public')
  const priv = renderCluster(awsInput({}, { endpointAccess: 'Private' }), { random: fixed }).hostedCluster.spec.services
  t.same(priv[0], { service: 'APIServer', servicePublishingStrategy: { type: 'Route', route: {} } }, 'private clusters publish the API as a Route')
})

t.test('kubevirt specifics', async t => {
  const r = renderCluster({ ...common, platform: 'kubevirt', baseDomain: 'apps.example.com', annotations: { 'hypershift.openshift.io/allow-unsupported-kubevirt-rhcos-variants': 'true' }, kubevirt: { networkMultiqueue: 'Disable', qosClass: 'Burstable', infraKubeconfig: 'kc', infraNamespace: 'guests' } }, { random: fixed })
  t.same(r.hostedCluster.spec.platform, { kubevirt: { credentials: { infraKubeConfigSecret: { key: 'kubeconfig', name: 'example-infra-credentials' }, infraNamespace: 'guests' } }, type: 'KubeVirt' })
  t.same(r.nodePools[0].metadata.annotations, { 'hypershift.openshift.io/allow-unsupported-kubevirt-rhcos-variants': 'true' })
  t.notOk('networkInterfaceMultiqueue' in r.nodePools[0].spec.platform.kubevirt)
  t.notOk('qosClass' in r.nodePools[0].spec.platform.kubevirt.compute)
  t.same(r.objects.map(o => o.metadata.name).slice(1, 4), ['example-pull-secret', 'example-infra-credentials', 'example-etcd-encryption-key'])
  t.equal(b64(r.secrets[1].data?.kubeconfig), 'kc')
  let thrown: unknown
  try { renderCluster({ ...common, platform: 'kubevirt', kubevirt: { servicePublishingStrategy: 'NodePort' } }) } catch (err) { thrown = err }
  t.ok(isGatewayError(thrown) && thrown.code === 'GW_ERR_UNPROCESSABLE' && thrown.errors?.[0].field === 'body.kubevirt.apiServerAddress')
  const np = renderCluster({ ...common, platform: 'kubevirt', kubevirt: { servicePublishingStrategy: 'NodePort' } }, { random: fixed, apiServerAddress: '10.1.1.1' })
  t.same(np.hostedCluster.spec.services[0], { service: 'APIServer', servicePublishingStrategy: { type: 'NodePort', nodePort: { address: '10.1.1.1' } } })
})

t.test('agent and none need an API server address', async t => {
  let thrown: unknown
  try { renderCluster({ ...common, platform: 'agent', agent: { agentNamespace: 'agents' } }) } catch (err) { thrown = err }
  t.ok(isGatewayError(thrown), 'GatewayError')
  if (isGatewayError(thrown)) t.same(thrown.errors, [{ field: 'body.agent.apiServerAddress', message: 'no API server address given and none discovered from the management cluster', constraint: 'required' }])
  const discovered = renderCluster({ ...common, platform: 'agent', agent: { agentNamespace: 'agents' } }, { random: fixed, apiServerAddress: 'node.example.com' })
  t.equal(discovered.hostedCluster.spec.services.length, 5)
  t.same(discovered.hostedCluster.spec.services.map((s: any) => s.service), ['APIServer', 'Ignition', 'Konnectivity', 'OAuthServer', 'OIDC'])
  t.ok(discovered.hostedCluster.spec.services.every((s: any) => s.servicePublishingStrategy.nodePort.address === 'node.example.com'))
  t.equal(discovered.hostedCluster.spec.dns.baseDomain, 'example.com', 'placeholder base domain')
  t.throws(() => renderCluster({ ...common, platform: 'none' }), { code: 'GW_ERR_UNPROCESSABLE' })
  const lb = renderCluster({ ...common, platform: 'none', none: { exposeThroughLoadBalancer: true } }, { random: fixed })
  t.equal(lb.hostedCluster.spec.services[0].servicePublishingStrategy.type, 'LoadBalancer')
  t.throws(() => renderCluster({ ...common, platform: 'aws' }), { code: 'GW_ERR_UNPROCESSABLE' })
  t.throws(() => renderCluster({ ...common, platform: 'openstack' }), { code: 'GW_ERR_UNPROCESSABLE' })
  t.throws(() => renderCluster({ ...common, platform: 'agent' }), { code: 'GW_ERR_UNPROCESSABLE' })
})

t.test('openstack specifics', async t => {
  const cloudsYaml = 'clouds:\n  mycloud:\n    region_name: r1\n    cacert: /etc/ca.pem\n    auth:\n      username: u\n      auth_url: https://keystone\n  other:\n    auth: {}\n'
  const r = renderCluster({ ...common, platform: 'openstack', openstack: { cloudsYaml, cloud: 'mycloud', caCert: '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n', nodeFlavor: 'm1.xlarge', nodeAdditionalPorts: [{ networkId: 'net-1' }] } }, { random: fixed })
  const creds = r.secrets.find(s => s.metadata.name === 'example-cloud-credentials')
  t.equal(creds?.type, 'Opaque')
  t.equal(b64(creds?.data?.['clouds.yaml']), 'clouds:\n    openstack:\n        auth:\n            auth_url: https://keystone\n            username: u\n        region_name: r1\n', 'only the chosen cloud, renamed, cacert dropped, keys sorted')
  t.match(b64(creds?.data?.cacert), /BEGIN CERTIFICATE/)
  t.same(r.hostedCluster.spec.platform, { openstack: { identityRef: { cloudName: 'openstack', name: 'example-cloud-credentials' } }, type: 'OpenStack' })
  t.same(r.hostedCluster.spec.networking.machineNetwork, [{ cidr: '10.0.0.0/16' }])
  t.same(r.nodePools[0].spec.platform.openstack, { flavor: 'm1.xlarge', additionalPorts: [{ network: { id: 'net-1' }, portSecurityPolicy: 'Enabled' }] })
  t.equal(r.nodePools[0].spec.management.upgradeType, 'Replace')
})

t.test('redactSecrets', async t => {
  const r = renderCluster(agentInput({ sshKey: 'ssh-rsa AAAA' }), { random: fixed })
  const red = redactSecrets(r)
  t.equal(red.secrets.length, 3)
  for (const s of red.secrets) t.ok(Object.values(s.data ?? {}).every(v => v === REDACTED), `${s.metadata.name} redacted`)
  t.same(Object.keys(red.secrets[0].data ?? {}), ['.dockerconfigjson'], 'keys stay visible')
  t.not(r.secrets[0].data?.['.dockerconfigjson'], REDACTED, 'the original is untouched')
  t.equal(red.hostedCluster, r.hostedCluster, 'non-secrets are shared')
  t.same(red.objects.map(o => o.metadata.name), r.objects.map(o => o.metadata.name))
  t.ok(red.objects.filter(o => o.kind === 'Secret').every(s => red.secrets.includes(s)))
  const withString = { ...r, objects: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } }] }
  t.same(redactSecrets(withString).secrets[0].stringData, { a: REDACTED })
})
