import t from 'tap'
import { GatewayError } from '../../../shared/errors.ts'
import {
  assertNamespaceVisible, assertRole, canSeeNamespace, filterVisible, hasRole, isRole, visibleNamespaces, type Principal
} from '../../../shared/auth/principal.ts'

const viewer: Principal = { name: 'v', role: 'viewer' }
const operator: Principal = { name: 'o', role: 'operator', tenant: { namespaces: ['team-a', 'team-b'] } }
const admin: Principal = { name: 'a', role: 'admin' }

t.test('roles are ordered viewer < operator < admin', async t => {
  t.ok(hasRole(admin, 'operator'))
  t.ok(hasRole(operator, 'operator'))
  t.notOk(hasRole(viewer, 'operator'))
  t.notOk(hasRole(null, 'viewer'))
  t.ok(isRole('admin'))
  t.notOk(isRole('root'))
  assertRole(admin, 'admin')
  const forbidden = t.throws(() => assertRole(operator, 'admin')) as GatewayError
  t.equal(forbidden.code, 'GW_ERR_FORBIDDEN')
  t.same(forbidden.extensions, { requiredRole: 'admin' })
  t.equal((t.throws(() => assertRole(undefined, 'viewer')) as GatewayError).code, 'GW_ERR_UNAUTHENTICATED')
})

t.test('tenant keys see only their namespaces', async t => {
  t.ok(canSeeNamespace(admin, 'anything'))
  t.ok(canSeeNamespace(operator, 'team-b'))
  t.notOk(canSeeNamespace(operator, 'team-c'))
  t.notOk(canSeeNamespace(null, 'team-a'))
  t.equal(visibleNamespaces(admin), null)
  t.same(visibleNamespaces(operator), ['team-a', 'team-b'])
  t.same(visibleNamespaces(null), [])

  const items = [{ ns: 'team-a' }, { ns: 'team-c' }, { ns: undefined }]
  t.same(filterVisible(operator, items, i => i.ns), [{ ns: 'team-a' }])
  t.same(filterVisible(admin, items, i => i.ns), items, 'cluster-scoped items only for unlimited keys')
  t.same(filterVisible(null, items, i => i.ns), [])

  assertNamespaceVisible(operator, 'team-a', 'x')
  const err = t.throws(() => assertNamespaceVisible(operator, 'team-c', 'hostedcluster team-c/x not found')) as GatewayError
  t.equal(err.code, 'GW_ERR_NOT_FOUND', 'never 403: existence does not leak')
  t.equal(err.message, 'hostedcluster team-c/x not found')
})
