// spec.services of the HostedCluster, as cmd/cluster/core/create.go builds them.

export interface ServicePublishing {
  service: string
  servicePublishingStrategy: {
    type: 'LoadBalancer' | 'Route' | 'NodePort'
    route?: { hostname?: string }
    nodePort?: { address: string }
  }
}

// GetIngressServicePublishingStrategyMapping: APIServer LoadBalancer (Route when ExternalDNS publishes it
// or the cluster is private), OAuthServer/Konnectivity/Ignition Route; sorted by service name.
export function ingressServices (usesExternalDns: boolean, isPrivate: boolean): ServicePublishing[] {
  const api = usesExternalDns || isPrivate ? 'Route' : 'LoadBalancer'
  const entries: Array<[string, 'LoadBalancer' | 'Route']> = [
    ['APIServer', api],
    ['OAuthServer', 'Route'],
    ['Konnectivity', 'Route'],
    ['Ignition', 'Route']
  ]
  return sortByService(entries.map(([service, type]) => ({
    service,
    servicePublishingStrategy: type === 'Route' ? { type, route: {} } : { type }
  })))
}

// GetServicePublishingStrategyMappingByAPIServerAddress: every service on a NodePort of one address,
// OIDC included; sorted by service name.
export function nodePortServices (address: string): ServicePublishing[] {
  return sortByService(['APIServer', 'OAuthServer', 'OIDC', 'Konnectivity', 'Ignition'].map(service => ({
    service,
    servicePublishingStrategy: { type: 'NodePort' as const, nodePort: { address } }
  })))
}

// Go's sort.Slice on the service name compares bytes.
function sortByService (list: ServicePublishing[]): ServicePublishing[] {
  return list.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0))
}

// cmd/cluster/aws/create.go ApplyPlatformSpecifics: with --external-dns-domain, opinionated hostnames;
// Konnectivity and Ignition only get one when the endpoint is Public.
export function applyExternalDnsHostnames (services: ServicePublishing[], clusterName: string, domain: string, publicEndpoint: boolean): void {
  const prefixes: Record<string, string> = { APIServer: 'api', OAuthServer: 'oauth' }
  if (publicEndpoint) {
    prefixes.Konnectivity = 'konnectivity'
    prefixes.Ignition = 'ignition'
  }
  for (const entry of services) {
    const prefix = prefixes[entry.service]
    if (prefix !== undefined) entry.servicePublishingStrategy.route = { hostname: `${prefix}-${clusterName}.${domain}` }
  }
}
