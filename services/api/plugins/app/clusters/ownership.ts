import type { Principal } from '../../../../../shared/auth/principal.ts'
import { CLUSTER_LABEL } from '../../../../../shared/jobs/cluster-destroy.ts'

// Objects the gateway creates carry these labels, so the destroy job removes exactly what was created.
export const CREATED_BY_LABEL = 'hcp-gateway.io/created-by'

export function gatewayLabels (cluster: string, principal: Principal): Record<string, string> {
  // Label values are limited to 63 chars of [A-Za-z0-9_.-].
  const by = principal.name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'unknown'
  return { [CLUSTER_LABEL]: cluster, [CREATED_BY_LABEL]: by }
}

// How long a write waits for the watch cache to see it, so the answer shows the written state.
export const READ_YOUR_WRITES_MS = 3000
