import { Type, type Static } from 'typebox'

// Secrets the gateway creates for a cluster carry this label, so destroy finds exactly those.
export const CLUSTER_LABEL = 'hcp-gateway.io/cluster'

export const CLUSTER_DESTROY_STAGES = ['delete-nodepools', 'delete-hostedcluster', 'wait-finalizers', 'remove-secrets'] as const

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'

export const ClusterDestroyParamsSchema = Type.Object({
  name: Type.String({ pattern: DNS_LABEL, maxLength: 63 }),
  namespace: Type.String({ pattern: DNS_LABEL, maxLength: 63 }),
  force: Type.Optional(Type.Boolean({ description: 'After the grace period, strip the finalizers left instead of failing (admin only; needs a reason)' })),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  gracePeriodSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, description: 'How long to wait for the finalizers (default CLUSTER_DESTROY_GRACE_SECONDS)' }))
}, { additionalProperties: false })

export type ClusterDestroyParams = Static<typeof ClusterDestroyParamsSchema>

// One destroy per cluster at a time: a second DELETE returns the running job, a DELETE after a failed
// one retries it (finished stages are skipped).
export function clusterDestroyKey (namespace: string, name: string): string {
  return `${namespace}.${name}`
}
