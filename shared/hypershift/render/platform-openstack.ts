import { parse, stringify } from 'yaml'
import type { CreateClusterInput } from './create-cluster-schema.ts'
import type { OpenstackOptions } from './platform-options-schema.ts'
import type { KubeObject } from './types.ts'
import { DEFAULT_NAMESPACE, OPENSTACK_CLOUD_NAME, OPENSTACK_DEFAULT_MACHINE_CIDR } from './defaults.ts'
import { ingressServices } from './services.ts'
import { defaultNodePool } from './node-pool.ts'
import { clusterSecret } from './secrets.ts'

type Spec = Record<string, any>

export function cloudCredentialsSecretName (clusterName: string): string {
  return `${clusterName}-cloud-credentials`
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Go's yaml.v3 marshals maps with sorted keys; sorting keeps the secret byte-stable across runs.
function sortKeys (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!isRecord(value)) return value
  return Object.fromEntries(Object.keys(value).sort().map(k => [k, sortKeys(value[k])]))
}

// cmd/cluster/openstack/create.go extractCloud: keep only the chosen cloud, renamed to "openstack", and
// drop its cacert path (the CA travels in the secret's cacert key instead). Throws on a malformed file.
export function extractCloud (cloudsYaml: string, cloudName: string): string {
  const doc: unknown = parse(cloudsYaml)
  if (!isRecord(doc) || !isRecord(doc.clouds)) throw new Error("'clouds' key not found in credentials file")
  const cloud = doc.clouds[cloudName]
  if (!isRecord(cloud)) throw new Error(`'${cloudName}' cloud not found in credentials file`)
  const { cacert: _cacert, ...rest } = cloud
  return stringify(sortKeys({ clouds: { [OPENSTACK_CLOUD_NAME]: rest } }), { indent: 4 })
}

// ApplyPlatformSpecifics: identityRef to the credentials secret, optional external network, floating IP,
// API VIP and nameservers; Routes/LoadBalancer; machine network defaults to 10.0.0.0/16.
export function applyOpenstack (spec: Spec, input: CreateClusterInput, os: OpenstackOptions): void {
  const platform: Spec = { identityRef: { cloudName: OPENSTACK_CLOUD_NAME, name: cloudCredentialsSecretName(input.name) } }
  if (os.externalNetworkId !== undefined) platform.externalNetwork = { id: os.externalNetworkId }
  if (os.ingressFloatingIp !== undefined) platform.ingressFloatingIP = os.ingressFloatingIp
  if (os.kubeApiServerVirtualIp !== undefined) platform.kubeAPIServerVirtualIP = os.kubeApiServerVirtualIp
  if (os.dnsNameservers !== undefined && os.dnsNameservers.length > 0) {
    platform.managedSubnets = [{ dnsNameservers: [...os.dnsNameservers] }]
  }
  spec.platform = { openstack: platform, type: 'OpenStack' }
  spec.services = ingressServices(false, false)
  if (spec.networking.machineNetwork === undefined) spec.networking.machineNetwork = [{ cidr: OPENSTACK_DEFAULT_MACHINE_CIDR }]
}

// cmd/nodepool/openstack/create.go NodePoolPlatform; upgrade type Replace.
export function openstackNodePools (input: CreateClusterInput, os: OpenstackOptions): KubeObject[] {
  const platform: Spec = { flavor: os.nodeFlavor }
  if (os.nodeImageName !== undefined) platform.imageName = os.nodeImageName
  if (os.nodeAvailabilityZone !== undefined) platform.availabilityZone = os.nodeAvailabilityZone
  if (os.nodeAdditionalPorts !== undefined && os.nodeAdditionalPorts.length > 0) {
    platform.additionalPorts = os.nodeAdditionalPorts.map(p => {
      const port: Spec = {
        network: { id: p.networkId },
        portSecurityPolicy: p.disablePortSecurity === true ? 'Disabled' : 'Enabled'
      }
      if (p.addressPairs !== undefined && p.addressPairs.length > 0) port.allowedAddressPairs = p.addressPairs.map(ipAddress => ({ ipAddress }))
      if (p.vnicType !== undefined) port.vnicType = p.vnicType
      return port
    })
  }
  return [defaultNodePool(input, '', { openstack: platform })]
}

// GenerateResources: <name>-cloud-credentials with clouds.yaml and the optional CA.
export function openstackSecrets (input: CreateClusterInput, os: OpenstackOptions): KubeObject[] {
  const data: Record<string, string> = { 'clouds.yaml': extractCloud(os.cloudsYaml, os.cloud ?? OPENSTACK_CLOUD_NAME) }
  if (os.caCert !== undefined) data.cacert = os.caCert
  return [clusterSecret(input.namespace ?? DEFAULT_NAMESPACE, cloudCredentialsSecretName(input.name), data, 'Opaque')]
}
