import { HYPERSHIFT_GROUP, HYPERSHIFT_VERSION, createIfMissing } from './kube-client.ts'
import type { KubeClients } from './kube-client.ts'
import { releaseImageFor } from './release-catalog.ts'

// Example hosted clusters for the demo (namespace `clusters`, the docs' default), one per platform the
// seed walks through: AWS, Agent (bare metal) and KubeVirt, each with a node pool.
const NAMESPACE = 'clusters'
const BASE_DOMAIN = 'demo.example.com'

const services = (type: 'Route' | 'LoadBalancer') => [
  { service: 'APIServer', servicePublishingStrategy: type === 'Route' ? { type: 'Route', route: {} } : { type: 'LoadBalancer' } },
  { service: 'OAuthServer', servicePublishingStrategy: { type: 'Route', route: {} } },
  { service: 'Konnectivity', servicePublishingStrategy: { type: 'Route', route: {} } },
  { service: 'Ignition', servicePublishingStrategy: { type: 'Route', route: {} } }
]

function awsRoles (accountId: string, name: string): Record<string, string> {
  const arn = (role: string) => `arn:aws:iam::${accountId}:role/${name}-${role}`
  return {
    controlPlaneOperatorARN: arn('control-plane-operator'),
    imageRegistryARN: arn('openshift-image-registry'),
    ingressARN: arn('openshift-ingress'),
    kubeCloudControllerARN: arn('cloud-controller'),
    networkARN: arn('cloud-network-config-controller'),
    nodePoolManagementARN: arn('node-pool'),
    storageARN: arn('aws-ebs-csi-driver-controller')
  }
}

function hostedCluster (name: string, release: string, platform: Record<string, unknown>, policy: string, apiType: 'Route' | 'LoadBalancer') {
  return {
    apiVersion: `${HYPERSHIFT_GROUP}/${HYPERSHIFT_VERSION}`,
    kind: 'HostedCluster',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      release: { image: release },
      pullSecret: { name: `${name}-pull-secret` },
      sshKey: { name: `${name}-ssh-key` },
      dns: { baseDomain: BASE_DOMAIN },
      controllerAvailabilityPolicy: policy,
      infrastructureAvailabilityPolicy: policy,
      networking: {
        clusterNetwork: [{ cidr: '10.132.0.0/14' }],
        serviceNetwork: [{ cidr: '172.31.0.0/16' }],
        networkType: 'OVNKubernetes'
      },
      etcd: { managementType: 'Managed', managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } } },
      platform,
      services: services(apiType)
    }
  }
}

function nodePool (name: string, cluster: string, release: string, replicas: number, platform: Record<string, unknown>, upgradeType: 'Replace' | 'InPlace') {
  return {
    apiVersion: `${HYPERSHIFT_GROUP}/${HYPERSHIFT_VERSION}`,
    kind: 'NodePool',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      clusterName: cluster,
      release: { image: release },
      replicas,
      arch: 'amd64',
      management: { autoRepair: upgradeType === 'Replace', upgradeType },
      platform
    }
  }
}

export async function seedDemo (clients: KubeClients): Promise<void> {
  const { core, custom } = clients
  await createIfMissing(core.createNamespace({ body: { metadata: { name: NAMESPACE } } }))
  const aws = releaseImageFor('4.19.3', 'multi')
  const agent = releaseImageFor('4.18.10', 'x86_64')
  const kubevirt = releaseImageFor('4.19.3', 'x86_64')
  const clusters = [
    hostedCluster('demo-aws', aws, { type: 'AWS', aws: { region: 'us-east-1', rolesRef: awsRoles('123456789012', 'demo-aws'), endpointAccess: 'Public' } }, 'HighlyAvailable', 'LoadBalancer'),
    hostedCluster('demo-agent', agent, { type: 'Agent', agent: { agentNamespace: 'demo-agent-agents' } }, 'SingleReplica', 'Route'),
    hostedCluster('demo-kubevirt', kubevirt, { type: 'KubeVirt', kubevirt: {} }, 'SingleReplica', 'Route')
  ]
  for (const hc of clusters) {
    const name = hc.metadata.name
    const auth = Buffer.from('demo:demo').toString('base64')
    await createIfMissing(core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: { name: `${name}-pull-secret`, namespace: NAMESPACE },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { 'quay.io': { auth } } })).toString('base64') }
      }
    }))
    await createIfMissing(custom.createNamespacedCustomObject({ group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'hostedclusters', namespace: NAMESPACE, body: hc }))
  }
  const pools = [
    nodePool('demo-aws-us-east-1a', 'demo-aws', releaseImageFor('4.19.3', 'multi'), 3, {
      type: 'AWS', aws: { instanceType: 'm6i.xlarge', instanceProfile: 'demo-aws-worker', subnet: { id: 'subnet-0a1b2c3d4e5f60718' }, rootVolume: { size: 120, type: 'gp3' } }
    }, 'Replace'),
    nodePool('demo-agent-workers', 'demo-agent', agent, 2, { type: 'Agent', agent: { agentLabelSelector: { matchLabels: { size: 'medium' } } } }, 'InPlace'),
    nodePool('demo-kubevirt-workers', 'demo-kubevirt', kubevirt, 2, {
      type: 'KubeVirt', kubevirt: { compute: { cores: 4, memory: '16Gi' }, rootVolume: { type: 'Persistent', persistent: { size: '32Gi' } } }
    }, 'Replace')
  ]
  for (const np of pools) {
    await createIfMissing(custom.createNamespacedCustomObject({ group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'nodepools', namespace: NAMESPACE, body: np }))
  }
}
