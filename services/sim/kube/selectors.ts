// Label and field selectors with the upstream syntax (k8s.io/apimachinery/pkg/labels, /fields).
import { badRequest } from './status.ts'
import type { KubeObject, ResourceInfo } from './types.ts'

type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt'
interface Requirement { key: string, op: Op, values: string[] }
export type Selector = (obj: KubeObject) => boolean

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/

function splitTopLevel (s: string): string[] {
  const parts: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of s) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) { parts.push(cur); cur = '' } else cur += ch
  }
  parts.push(cur)
  return parts.map(p => p.trim()).filter(p => p !== '')
}

function parseRequirement (text: string): Requirement {
  const fail = (why: string) => badRequest(`unable to parse requirement: ${why}`)
  let m = /^!\s*(\S+)$/.exec(text)
  if (m) return check({ key: m[1], op: '!', values: [] })
  m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(text)
  if (m) return check({ key: m[1], op: m[2] as Op, values: m[3].split(',').map(v => v.trim()) })
  m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/.exec(text)
  if (m) {
    const op: Op = m[2] === '!=' ? '!=' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : '='
    return check({ key: m[1], op, values: [m[3]] })
  }
  if (/^[^\s=!<>()]+$/.test(text)) return check({ key: text, op: 'exists', values: [] })
  throw fail(`found '${text}', expected: key, !key, key=value, key!=value, key in (...), key notin (...)`)

  function check (r: Requirement): Requirement {
    if (!LABEL_KEY.test(r.key) || r.key.length > 317) throw fail(`key: Invalid value: "${r.key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`)
    for (const v of r.values) {
      if (!LABEL_VALUE.test(v) || v.length > 63) throw fail(`values[0][${r.key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`)
    }
    if ((r.op === 'gt' || r.op === 'lt') && !/^-?\d+$/.test(r.values[0])) throw fail('for \'Gt\', \'Lt\' operators, the value must be an integer')
    return r
  }
}

function matches (r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key)
  const v = labels[r.key]
  switch (r.op) {
    case '=': return has && v === r.values[0]
    case '!=': return !has || v !== r.values[0]
    case 'in': return has && r.values.includes(v)
    case 'notin': return !has || !r.values.includes(v)
    case 'exists': return has
    case '!': return !has
    case 'gt': return has && /^-?\d+$/.test(v) && Number(v) > Number(r.values[0])
    case 'lt': return has && /^-?\d+$/.test(v) && Number(v) < Number(r.values[0])
  }
}

export function parseLabelSelector (text: string | null | undefined): Selector {
  if (text === null || text === undefined || text.trim() === '') return () => true
  const reqs = splitTopLevel(text).map(parseRequirement)
  return obj => reqs.every(r => matches(r, obj.metadata.labels ?? {}))
}

// Fields upstream registers per kind (GetAttrs / SelectableFields); metadata.* work everywhere.
const EXTRA_FIELDS: Record<string, string[]> = {
  pods: ['status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.podIP'],
  namespaces: ['status.phase'],
  secrets: ['type'],
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  certificatesigningrequests: ['spec.signerName']
}

function fieldValue (obj: KubeObject, path: string): string {
  let cur: unknown = obj
  for (const part of path.split('.')) cur = (cur !== null && typeof cur === 'object') ? (cur as Record<string, unknown>)[part] : undefined
  if (path === 'source' && cur !== null && typeof cur === 'object') cur = (cur as { component?: string }).component
  return cur === undefined || cur === null ? '' : String(cur)
}

export function parseFieldSelector (text: string | null | undefined, r: ResourceInfo): Selector {
  if (text === null || text === undefined || text.trim() === '') return () => true
  const allowed = ['metadata.name', 'metadata.namespace', ...(r.builtin ? EXTRA_FIELDS[r.plural] ?? [] : [])]
  const reqs = splitTopLevel(text).map(part => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part)
    if (m === null) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`)
    const [, field, op, value] = m
    if (!allowed.includes(field)) {
      throw badRequest(r.builtin
        ? `field label not supported: ${field}`
        : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`)
    }
    return { field, negate: op === '!=', value }
  })
  return obj => reqs.every(q => (fieldValue(obj, q.field) === q.value) !== q.negate)
}
