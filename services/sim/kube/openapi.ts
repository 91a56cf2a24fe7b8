// A minimal OpenAPI v3 publication: per group-version documents listing each resource's operations
// with their GVK and the fieldValidation parameter. kubectl (apply/create/replace --validate=strict)
// reads exactly this to decide that the server validates fields itself; without it kubectl refuses
// to send ("failed to download openapi"). No schemas are published, so kubectl apply falls back to
// JSON merge patch for custom resources and to its compiled-in types for built-ins.
import { createHash } from 'node:crypto'
import type { Registry } from './resources.ts'
import type { ResourceInfo } from './types.ts'

const QUERY = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } })
const COMMON = ['dryRun', 'fieldManager', 'fieldValidation'].map(QUERY)

function gvPath (group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`
}

function operations (r: ResourceInfo): Record<string, object> {
  const gvk = { group: r.group, version: r.version, kind: r.kind }
  const op = (action: string, extra: object[] = []) => ({
    operationId: `${action}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: [...COMMON, ...extra],
    responses: { 200: { description: 'OK' } }
  })
  const base = `/${gvPath(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`
  const writes = !r.readOnly
  return {
    [base]: { get: op('list'), ...(writes ? { post: op('post'), delete: op('deletecollection') } : {}) },
    [`${base}/{name}`]: { get: op('get'), ...(writes ? { put: op('put'), patch: op('patch', [QUERY('force')]), delete: op('delete') } : {}) }
  }
}

export function createOpenApi (registry: Registry, version: string): { root (): object, document (path: string): object | undefined } {
  const docs = new Map<string, { body: object, hash: string }>()
  for (const g of registry.groups()) {
    for (const v of g.versions) {
      const rs = registry.all.filter(r => r.group === g.name && r.version === v)
      const body = {
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version },
        paths: Object.assign({}, ...rs.map(operations)),
        components: { schemas: {} }
      }
      const hash = createHash('sha512').update(JSON.stringify(body)).digest('hex').slice(0, 128).toUpperCase()
      docs.set(gvPath(g.name, v), { body, hash })
    }
  }
  return {
    root: () => ({ paths: Object.fromEntries([...docs].map(([p, d]) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${d.hash}` }])) }),
    document: path => docs.get(path)?.body
  }
}
