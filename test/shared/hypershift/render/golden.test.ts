import { readFileSync } from 'node:fs'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { renderCluster } from '../../../../shared/hypershift/render/render-cluster.ts'
import type { CreateClusterInput } from '../../../../shared/hypershift/render/create-cluster-schema.ts'

// The fixtures are hcp's own render output (see each file's header); the inputs below are the flags of the
// upstream test that produced them.

function fixture (name: string): unknown[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
  return parseAllDocuments(text).map(d => d.toJS()).filter(d => d !== null)
}

const INFRA_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

// Replays hcp's random draws: 5 bytes picking the infra ID suffix, then the 32-byte etcd key.
function scriptedRandom (infraSuffix: string, etcdKeyBase64: string): (n: number) => Buffer {
  return n => {
    if (n === 5) return Buffer.from([...infraSuffix].map(c => INFRA_ALPHABET.indexOf(c)))
    if (n === 32) return Buffer.from(etcdKeyBase64, 'base64')
    throw new Error(`unexpected random(${n})`)
  }
}

t.test('aws matches cmd/cluster/aws minimal fixture', async t => {
  const input: CreateClusterInput = {
    name: 'example',
    platform: 'aws',
    releaseImage: '',
    pullSecret: 'fake',
    baseDomain: 'fakeBaseDomain',
    baseDomainPrefix: 'fakeBaseDomainPrefix',
    infraId: 'fakeInfraID',
    aws: {
      region: 'us-east-1',
      zones: [{ name: 'fakeName', subnetId: 'fakeSubnetID' }],
      vpcId: 'fakeVPCID',
      machineCidr: '192.0.2.0/24',
      publicZoneId: 'fakePublicZoneID',
      privateZoneId: 'fakePrivateZoneID',
      proxyAddress: 'fakeProxyAddr',
      issuerUrl: 'fakeIssuerURL',
      instanceProfile: 'fakeProfileName',
      rolesRef: {
        ingressARN: 'fakeIngressARN',
        imageRegistryARN: 'fakeImageRegistryARN',
        storageARN: 'fakeStorageARN',
        networkARN: 'fakeNetworkARN',
        kubeCloudControllerARN: 'fakeKubeCloudControllerARN',
        nodePoolManagementARN: 'fakeNodePoolManagementARN',
        controlPlaneOperatorARN: 'fakeControlPlaneOperatorARN'
      },
      kms: { keyArn: 'fakeKMSKeyARN', providerRoleArn: 'fakeKMSProviderRoleARN' }
    }
  }
  const rendered = renderCluster(input, { random: () => { throw new Error('aws with KMS and an infra ID draws no randomness') } })
  t.strictSame(rendered.objects, fixture('aws-minimal.yaml'))
})

t.test('kubevirt matches cmd/cluster/kubevirt minimal fixture', async t => {
  const input: CreateClusterInput = { name: 'example', platform: 'kubevirt', releaseImage: '', pullSecret: 'fake' }
  const rendered = renderCluster(input, { random: scriptedRandom('sffhb', '7o9RQL/BlcNrBWfNBVrJg55oKrDDaDu2kfoULl9MNIE=') })
  t.strictSame(rendered.objects, fixture('kubevirt-minimal.yaml'))
})

t.test('agent matches cmd/cluster/agent explicit api-server-address fixture', async t => {
  const input: CreateClusterInput = {
    name: 'example',
    platform: 'agent',
    releaseImage: '',
    pullSecret: 'fake',
    agent: { agentNamespace: '', apiServerAddress: '192.168.1.100' }
  }
  const rendered = renderCluster(input, { random: scriptedRandom('mbm2m', 'P8a3Bz4jwHkAy5iAltw86/9a6wx/PWBFIsUtOt5jvQI=') })
  t.strictSame(rendered.objects, fixture('agent-api-server-address.yaml'))
})
