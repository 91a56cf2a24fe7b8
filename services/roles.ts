export const Roles = ['api', 'worker', 'sim'] as const
export type Role = typeof Roles[number]

export function parseRoles (value: string): Role[] {
  const names = value.split(',').map(s => s.trim()).filter(Boolean)
  const unknown = names.filter(n => !(Roles as readonly string[]).includes(n))
  if (unknown.length > 0) throw new Error(`unknown role(s) ${unknown.join(', ')}; roles are ${Roles.join(', ')}`)
  if (names.length === 0) throw new Error(`no role given; roles are ${Roles.join(', ')}`)
  return [...new Set(names)] as Role[]
}
