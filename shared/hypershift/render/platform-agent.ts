import type { CreateClusterInput } from './create-cluster-schema.ts'
import type { AgentOptions } from './platform-options-schema.ts'
import type { KubeObject, PolicyRule } from './types.ts'
import { PLACEHOLDER_BASE_DOMAIN } from './defaults.ts'
import { nodePortServices } from './services.ts'
import { defaultNodePool } from './node-pool.ts'
import { parseLabelSelector } from './label-selector.ts'

type Spec = Record<string, any>

// cmd/cluster/agent/create.go ApplyPlatformSpecifics: placeholder base domain, agentNamespace, every
// service on a NodePort of the API server address.
export function applyAgent (spec: Spec, agent: AgentOptions, apiServerAddress: string): void {
  if (spec.dns.baseDomain === '') spec.dns.baseDomain = PLACEHOLDER_BASE_DOMAIN
  spec.platform = { agent: { agentNamespace: agent.agentNamespace }, type: 'Agent' }
  spec.services = nodePortServices(apiServerAddress)
}

// GenerateNodePools: one NodePool named after the cluster, upgrade type InPlace, optional agent selector.
export function agentNodePools (input: CreateClusterInput, agent: AgentOptions): KubeObject[] {
  const platformAgent: Spec = {}
  if (agent.agentLabelSelector !== undefined) {
    platformAgent.agentLabelSelector = typeof agent.agentLabelSelector === 'string'
      ? parseLabelSelector(agent.agentLabelSelector)
      : structuredClone(agent.agentLabelSelector)
  }
  return [defaultNodePool(input, '', { agent: platformAgent })]
}

// GenerateResources: the Cluster API agent provider needs this Role in the agents' namespace.
export function agentResources (agent: AgentOptions): KubeObject[] {
  const role: KubeObject & { rules: PolicyRule[] } = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    // Go omits an empty namespace; hcp's own test renders one without --agent-namespace.
    metadata: agent.agentNamespace === '' ? { name: 'capi-provider-role' } : { name: 'capi-provider-role', namespace: agent.agentNamespace },
    rules: [{ apiGroups: ['agent-install.openshift.io'], resources: ['agents'], verbs: ['*'] }]
  }
  return [role]
}
