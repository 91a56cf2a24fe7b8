import { GatewayError } from '../errors.ts'

export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = typeof ROLES[number]

// Secrets (kubeconfig, kubeadmin password, a render that includes pull secrets) are admin-only.
export const SECRET_ROLE: Role = 'admin'

export interface Tenant {
  namespaces: string[]
}

// Who is calling, whatever the transport (REST header, GraphQL connection init).
export interface Principal {
  name: string
  role: Role
  tenant?: Tenant
}

export function isRole (value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

// viewer < operator < admin: a higher role can do everything a lower one can.
export function hasRole (principal: Principal | null | undefined, role: Role): boolean {
  return !!principal && ROLES.indexOf(principal.role) >= ROLES.indexOf(role)
}

export function assertRole (principal: Principal | null | undefined, role: Role): void {
  if (!principal) throw new GatewayError('GW_ERR_UNAUTHENTICATED', 'an API key is required')
  if (!hasRole(principal, role)) {
    throw new GatewayError('GW_ERR_FORBIDDEN', `this needs the ${role} role; key ${principal.name} has ${principal.role}`, {
      extensions: { requiredRole: role }
    })
  }
}

// null = every namespace (the key is not tenant-limited).
export function visibleNamespaces (principal: Principal | null | undefined): string[] | null {
  if (!principal) return []
  return principal.tenant ? [...principal.tenant.namespaces] : null
}

export function canSeeNamespace (principal: Principal | null | undefined, namespace: string): boolean {
  if (!principal) return false
  return !principal.tenant || principal.tenant.namespaces.includes(namespace)
}

// Items without a namespace (cluster-scoped) are visible only to keys that are not tenant-limited.
export function filterVisible<T> (principal: Principal | null | undefined, items: Iterable<T>, namespaceOf: (item: T) => string | undefined): T[] {
  if (!principal) return []
  const out: T[] = []
  for (const item of items) {
    const ns = namespaceOf(item)
    if (ns === undefined ? !principal.tenant : canSeeNamespace(principal, ns)) out.push(item)
  }
  return out
}

// Outside a tenant's namespaces the answer is the same 404 a missing object gets, so a tenant
// cannot learn which names exist elsewhere.
export function assertNamespaceVisible (principal: Principal | null | undefined, namespace: string, notFound: string): void {
  if (!canSeeNamespace(principal, namespace)) throw new GatewayError('GW_ERR_NOT_FOUND', notFound)
}
