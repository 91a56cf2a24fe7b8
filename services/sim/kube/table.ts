// Server-side printing (Accept: application/json;as=Table;g=meta.k8s.io;v=v1), which kubectl get asks for.
import { evaluate, parseJsonPath } from './jsonpath.ts'
import type { KubeObject, PrinterColumn, ResourceInfo } from './types.ts'

interface Column { name: string, type: string, format: string, description: string, priority: number, cell: (o: KubeObject) => unknown }

export function humanDuration (seconds: number): string {
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 120) return `${Math.floor(seconds)}s`
  const m = Math.floor(seconds / 60)
  if (m < 10) return seconds % 60 === 0 ? `${m}m` : `${m}m${Math.floor(seconds % 60)}s`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`
  if (h < 48) return `${h}h`
  const d = Math.floor(h / 24)
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`
  if (h < 24 * 365 * 2) return `${d}d`
  const y = Math.floor(d / 365)
  if (h < 24 * 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`
  return `${y}y`
}

const age = (ts: unknown) => typeof ts === 'string' ? humanDuration((Date.now() - Date.parse(ts)) / 1000) : '<unknown>'
const get = (o: unknown, path: string) => evaluate(parseJsonPath(path), o)[0]
const col = (name: string, cell: Column['cell'], type = 'string', priority = 0): Column => ({ name, type, format: '', description: name, priority, cell })

const NAME: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0, cell: o => o.metadata.name }
const AGE = col('Age', o => age(o.metadata.creationTimestamp))

function fromPrinterColumn (c: PrinterColumn): Column {
  const steps = parseJsonPath(c.jsonPath)
  return {
    name: c.name,
    type: c.type,
    format: c.format ?? '',
    description: c.description ?? '',
    priority: c.priority ?? 0,
    cell (o) {
      const values = evaluate(steps, o)
      if (values.length === 0) return null
      const v = values.length === 1 ? values[0] : values.map(x => typeof x === 'object' ? JSON.stringify(x) : String(x)).join(' ')
      if (c.type === 'date') return age(v)
      if (typeof v === 'object' && v !== null) return JSON.stringify(v)
      return v
    }
  }
}

const count = (v: unknown) => v !== null && typeof v === 'object' ? Object.keys(v).length : 0

const BUILTIN_COLUMNS: Record<string, Column[]> = {
  namespaces: [col('Status', o => get(o, '.status.phase'))],
  configmaps: [col('Data', o => count(o.data) + count(o.binaryData), 'integer')],
  secrets: [col('Type', o => o.type), col('Data', o => count(o.data), 'integer')],
  pods: [col('Ready', o => `0/${(get(o, '.spec.containers') as unknown[] | undefined)?.length ?? 0}`), col('Status', o => get(o, '.status.phase')), col('Restarts', () => 0, 'integer')],
  services: [col('Type', o => get(o, '.spec.type')), col('Cluster-IP', o => get(o, '.spec.clusterIP') ?? '<none>'), col('External-IP', () => '<none>'),
    col('Port(s)', o => ((get(o, '.spec.ports') ?? []) as Array<{ port: number, protocol?: string }>).map(p => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>')],
  'deployments.apps': [col('Ready', o => `${get(o, '.status.readyReplicas') ?? 0}/${get(o, '.spec.replicas') ?? 0}`), col('Up-to-date', o => get(o, '.status.updatedReplicas') ?? 0, 'integer'), col('Available', o => get(o, '.status.availableReplicas') ?? 0, 'integer')],
  'statefulsets.apps': [col('Ready', o => `${get(o, '.status.readyReplicas') ?? 0}/${get(o, '.spec.replicas') ?? 0}`)],
  'certificatesigningrequests.certificates.k8s.io': [col('SignerName', o => get(o, '.spec.signerName')), col('Requestor', o => get(o, '.spec.username')),
    col('Condition', o => ((get(o, '.status.conditions') ?? []) as Array<{ type: string }>).map(c => c.type).join(',') || 'Pending')],
  events: [col('Type', o => o.type), col('Reason', o => o.reason), col('Object', o => `${get(o, '.involvedObject.kind')?.toString().toLowerCase()}/${get(o, '.involvedObject.name')}`), col('Message', o => o.message)]
}

function columnsFor (r: ResourceInfo): Column[] {
  if (!r.builtin && r.printerColumns.length > 0) return [NAME, ...r.printerColumns.map(fromPrinterColumn)]
  const key = r.group === '' ? r.plural : `${r.plural}.${r.group}`
  return [NAME, ...(BUILTIN_COLUMNS[key] ?? []), AGE]
}

export function wantsTable (accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0]
  return /(^|;)\s*as=Table/.test(first) && /g=meta\.k8s\.io/.test(first)
}

export function toTable (r: ResourceInfo, objects: KubeObject[], listMeta: Record<string, unknown>, withColumns = true): object {
  const columns = columnsFor(r)
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: withColumns ? columns.map(({ cell: _c, ...d }) => d) : [],
    rows: objects.map(o => ({
      cells: columns.map(c => c.cell(o) ?? null),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata }
    }))
  }
}
