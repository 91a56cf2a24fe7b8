import { randomBytes } from 'node:crypto'
import { GatewayError } from '../../errors.ts'
import type { CreateClusterInput } from './create-cluster-schema.ts'
import type { KubeObject, RenderedCluster, RenderOptions } from './types.ts'
import {
  AESCBC_KEY_SECRET_KEY,
  DEFAULT_NAMESPACE,
  ETCD_ENCRYPTION_KEY_BYTES,
  TRUST_BUNDLE_CONFIGMAP,
  TRUST_BUNDLE_KEY
} from './defaults.ts'
import { baseHostedCluster } from './hosted-cluster.ts'
import { clusterSecret } from './secrets.ts'
import { generateInfraId } from './infra-id.ts'
import { wantsNodePools } from './node-pool.ts'
import { applyAws, awsNodePools } from './platform-aws.ts'
import { agentNodePools, agentResources, applyAgent } from './platform-agent.ts'
import { applyKubevirt, kubevirtNodePools, kubevirtSecrets } from './platform-kubevirt.ts'
import { applyOpenstack, openstackNodePools, openstackSecrets } from './platform-openstack.ts'
import { applyNone, noneNodePools } from './platform-none.ts'

interface PlatformParts {
  nodePools: () => KubeObject[]
  // GenerateResources output, in hcp's order.
  resources: KubeObject[]
}

function missing (field: string, message: string): GatewayError {
  return new GatewayError('GW_ERR_UNPROCESSABLE', message, { errors: [{ field, message, constraint: 'required' }] })
}

// Each platform's ApplyPlatformSpecifics / GenerateNodePools / GenerateResources (cmd/cluster/<platform>/create.go).
function applyPlatform (spec: Record<string, any>, input: CreateClusterInput, opts: RenderOptions): PlatformParts {
  switch (input.platform) {
    case 'aws': {
      const aws = input.aws
      if (aws === undefined) throw missing('body.aws', 'platform aws needs the aws options (zones, VPC, IAM)')
      applyAws(spec, input, aws)
      return { nodePools: () => awsNodePools(input, aws), resources: [] }
    }
    case 'agent': {
      const agent = input.agent
      if (agent === undefined) throw missing('body.agent', 'platform agent needs agent.agentNamespace')
      const address = agent.apiServerAddress ?? opts.apiServerAddress
      if (address === undefined) throw missing('body.agent.apiServerAddress', 'no API server address given and none discovered from the management cluster')
      applyAgent(spec, agent, address)
      return { nodePools: () => agentNodePools(input, agent), resources: agentResources(agent) }
    }
    case 'kubevirt': {
      const kv = input.kubevirt ?? {}
      if (kv.servicePublishingStrategy === 'NodePort' && kv.apiServerAddress === undefined && opts.apiServerAddress === undefined) {
        throw missing('body.kubevirt.apiServerAddress', 'NodePort publishing needs an API server address')
      }
      applyKubevirt(spec, input, kv, opts.apiServerAddress)
      return { nodePools: () => kubevirtNodePools(input, kv), resources: kubevirtSecrets(input, kv) }
    }
    case 'openstack': {
      const os = input.openstack
      if (os === undefined) throw missing('body.openstack', 'platform openstack needs openstack.cloudsYaml and openstack.nodeFlavor')
      applyOpenstack(spec, input, os)
      return { nodePools: () => openstackNodePools(input, os), resources: openstackSecrets(input, os) }
    }
    case 'none': {
      const none = input.none ?? {}
      const address = none.exposeThroughLoadBalancer === true ? undefined : none.apiServerAddress ?? opts.apiServerAddress
      if (none.exposeThroughLoadBalancer !== true && address === undefined) {
        throw missing('body.none.apiServerAddress', 'no API server address given and none discovered from the management cluster')
      }
      applyNone(spec, none, address)
      return { nodePools: () => noneNodePools(input), resources: [] }
    }
  }
}

// Renders what `hcp create cluster <platform> --render --render-sensitive` prints for the same inputs.
// Pure apart from randomness (etcd key, infra ID), which opts.random replaces in tests.
export function renderCluster (input: CreateClusterInput, opts: RenderOptions = {}): RenderedCluster {
  const random = opts.random ?? randomBytes
  const namespaceName = input.namespace ?? DEFAULT_NAMESPACE
  // cmd/cluster/core/create.go Complete: --infra-id defaults to infraid.New(name)
  const infraId = input.infraId ?? generateInfraId(input.name, random)

  const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceName }, spec: {}, status: {} }
  const configMaps: KubeObject[] = []
  if (input.additionalTrustBundle !== undefined) {
    configMaps.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: TRUST_BUNDLE_CONFIGMAP, namespace: namespaceName },
      data: { [TRUST_BUNDLE_KEY]: input.additionalTrustBundle }
    })
  }
  const pullSecret = clusterSecret(namespaceName, `${input.name}-pull-secret`, { '.dockerconfigjson': input.pullSecret })
  const sshSecret = input.sshKey === undefined ? undefined : clusterSecret(namespaceName, `${input.name}-ssh-key`, { 'id_rsa.pub': input.sshKey })

  const hostedCluster = baseHostedCluster(input, infraId)
  const spec = hostedCluster.spec
  if (configMaps.length > 0) spec.additionalTrustBundle = { name: TRUST_BUNDLE_CONFIGMAP }
  if (sshSecret !== undefined) spec.sshKey = { name: sshSecret.metadata.name }
  const platform = applyPlatform(spec, input, opts)
  const nodePools = wantsNodePools(input) ? platform.nodePools() : []

  // postProcess: without a KMS configuration, etcd secrets are encrypted with a generated AES-CBC key.
  const resources = [...platform.resources]
  if (opts.restore !== undefined && spec.secretEncryption !== undefined) {
    throw new GatewayError('GW_ERR_UNPROCESSABLE', 'a restored cluster must encrypt etcd with the original AES-CBC key; drop the KMS options', {
      errors: [{ field: 'body.aws.kms', message: 'cannot be used when restoring from an etcd snapshot', constraint: 'restore' }]
    })
  }
  if (spec.secretEncryption === undefined) {
    const keyBytes = opts.restore?.encryptionKey ?? random(ETCD_ENCRYPTION_KEY_BYTES)
    const key = clusterSecret(namespaceName, `${input.name}-etcd-encryption-key`, { [AESCBC_KEY_SECRET_KEY]: keyBytes }, 'Opaque')
    resources.push(key)
    spec.secretEncryption = { aescbc: { activeKey: { name: key.metadata.name } }, type: 'aescbc' }
  }
  // restoreSnapshotURL holds at most one URL and only acts on an empty etcd PV, i.e. at creation.
  if (opts.restore !== undefined) spec.etcd.managed.storage.restoreSnapshotURL = [opts.restore.snapshotURL]

  const objects = [
    namespace,
    ...configMaps,
    pullSecret,
    ...(sshSecret === undefined ? [] : [sshSecret]),
    ...resources,
    hostedCluster,
    ...nodePools
  ]
  return {
    namespace,
    configMaps,
    secrets: objects.filter(o => o.kind === 'Secret'),
    resources: resources.filter(o => o.kind !== 'Secret'),
    hostedCluster,
    nodePools,
    objects
  }
}
