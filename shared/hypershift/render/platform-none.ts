import type { CreateClusterInput } from './create-cluster-schema.ts'
import type { NoneOptions } from './platform-options-schema.ts'
import type { KubeObject } from './types.ts'
import { PLACEHOLDER_BASE_DOMAIN } from './defaults.ts'
import { ingressServices, nodePortServices } from './services.ts'
import { defaultNodePool } from './node-pool.ts'

type Spec = Record<string, any>

// cmd/cluster/none/create.go ApplyPlatformSpecifics: NodePorts on the API server address, or
// LoadBalancer/Routes with --expose-through-load-balancer.
export function applyNone (spec: Spec, none: NoneOptions, apiServerAddress: string | undefined): void {
  if (spec.dns.baseDomain === '') spec.dns.baseDomain = PLACEHOLDER_BASE_DOMAIN
  spec.platform = { type: 'None' }
  spec.services = none.exposeThroughLoadBalancer === true || apiServerAddress === undefined
    ? ingressServices(false, false)
    : nodePortServices(apiServerAddress)
}

// GenerateNodePools: one NodePool, upgrade type InPlace, no platform block.
export function noneNodePools (input: CreateClusterInput): KubeObject[] {
  return [defaultNodePool(input, '', {})]
}
