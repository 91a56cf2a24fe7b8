// Registry of the resources the twin serves, looked up by group/version/plural.
import { BUILTIN_RESOURCES, FALLBACK_CUSTOM_RESOURCES, fromCrd } from './builtin-resources.ts'
import type { ResourceInfo } from './types.ts'

export interface Registry {
  all: ResourceInfo[]
  find (group: string, version: string, plural: string): ResourceInfo | undefined
  byGroupKind (group: string, kind: string): ResourceInfo | undefined
  groups (): Array<{ name: string, versions: string[] }>
}

export function createRegistry (crds: object[], validated: (group: string, version: string, plural: string) => boolean): Registry {
  const fromFiles = crds.flatMap(fromCrd)
  for (const r of fromFiles) r.validated = validated(r.group, r.version, r.plural)
  const fallbacks = FALLBACK_CUSTOM_RESOURCES.filter(f => !fromFiles.some(r => r.group === f.group && r.plural === f.plural))
  const all = [...BUILTIN_RESOURCES, ...fromFiles, ...fallbacks]
  const index = new Map(all.map(r => [`${r.group}/${r.version}/${r.plural}`, r]))
  return {
    all,
    find: (group, version, plural) => index.get(`${group}/${version}/${plural}`),
    byGroupKind: (group, kind) => all.find(r => r.group === group && r.kind === kind),
    groups () {
      const out: Array<{ name: string, versions: string[] }> = []
      for (const r of all) {
        let g = out.find(x => x.name === r.group)
        if (g === undefined) out.push(g = { name: r.group, versions: [] })
        if (!g.versions.includes(r.version)) g.versions.push(r.version)
      }
      return out
    }
  }
}
