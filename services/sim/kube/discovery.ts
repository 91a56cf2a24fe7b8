// Legacy (unaggregated) discovery documents: /version, /api, /apis, /api/v1, /apis/<g>, /apis/<g>/<v>.
import type { Registry } from './resources.ts'
import type { ResourceInfo } from './types.ts'

const LOCAL = [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }]

export function versionInfo (): { gitVersion: string } & Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.4',
    gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T16:02:27Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64'
  }
}

export function apiVersions (hostPort: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ ...LOCAL[0], serverAddress: hostPort }] }
}

function group (name: string, versions: string[]): object {
  const gv = versions.map(v => ({ groupVersion: `${name}/${v}`, version: v }))
  return { name, versions: gv, preferredVersion: gv[0] }
}

export function apiGroupList (registry: Registry): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().filter(g => g.name !== '').map(g => group(g.name, g.versions)) }
}

export function apiGroup (registry: Registry, name: string): object | undefined {
  const g = registry.groups().find(x => x.name === name && name !== '')
  return g === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...group(g.name, g.versions) }
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
const READ_VERBS = ['get', 'list', 'watch']

function entries (r: ResourceInfo): object[] {
  const main: Record<string, unknown> = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.readOnly ? READ_VERBS : ALL_VERBS
  }
  if (r.shortNames.length > 0) main.shortNames = r.shortNames
  if (r.categories.length > 0) main.categories = r.categories
  const out: object[] = [main]
  const sub = (name: string, kind: string, verbs: string[], extra: object = {}) =>
    out.push({ name: `${r.plural}/${name}`, singularName: '', namespaced: r.namespaced, kind, verbs, ...extra })
  if (r.subresources.approval) sub('approval', r.kind, ['get', 'patch', 'update'])
  if (r.subresources.scale !== undefined) sub('scale', 'Scale', ['get', 'patch', 'update'], { group: 'autoscaling', version: 'v1' })
  if (r.subresources.status) sub('status', r.kind, r.readOnly ? ['get'] : ['get', 'patch', 'update'])
  return out
}

export function apiResourceList (registry: Registry, groupName: string, version: string): object | undefined {
  const rs = registry.all.filter(r => r.group === groupName && r.version === version)
  if (rs.length === 0) return undefined
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupName === '' ? version : `${groupName}/${version}`,
    resources: rs.flatMap(entries)
  }
}
