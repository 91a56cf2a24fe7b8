// /scale (autoscaling/v1 Scale) and the CSR /approval subresource.
import { sendJson } from '../http.ts'
import { badRequest, conflict, invalid, MODIFIED } from '../status.ts'
import type { KubeObject, ResourceInfo, ScaleSpec } from '../types.ts'
import { dryRunOf } from './context.ts'
import type { Request } from './context.ts'
import { isObjectBody, readObject, readPatch } from './write.ts'

function path (p: string): string[] {
  return p.replace(/^\./, '').split('.')
}

function read (o: unknown, p: string): unknown {
  let cur = o
  for (const part of path(p)) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined
  return cur
}

function write (o: Record<string, unknown>, p: string, value: unknown): void {
  const parts = path(p)
  let cur = o
  for (const part of parts.slice(0, -1)) {
    if (cur[part] === null || typeof cur[part] !== 'object') cur[part] = {}
    cur = cur[part] as Record<string, unknown>
  }
  cur[parts[parts.length - 1]] = value
}

function selectorString (o: KubeObject, r: ResourceInfo, spec: ScaleSpec): string | undefined {
  if (r.builtin) {
    const labels = (read(o, '.spec.selector.matchLabels') ?? {}) as Record<string, string>
    const text = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')
    return text === '' ? undefined : text
  }
  const v = spec.labelSelectorPath === undefined ? undefined : read(o, spec.labelSelectorPath)
  return typeof v === 'string' ? v : undefined
}

function toScale (r: ResourceInfo, o: KubeObject): KubeObject {
  const spec = r.subresources.scale!
  const m = o.metadata
  const status: Record<string, unknown> = { replicas: read(o, spec.statusReplicasPath) ?? 0 }
  const selector = selectorString(o, r, spec)
  if (selector !== undefined) status.selector = selector
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: read(o, spec.specReplicasPath) ?? 0 },
    status
  }
}

function applyScale (x: Request, current: KubeObject, scale: KubeObject, dryRun: boolean): void {
  const { r } = x.target
  const name = current.metadata.name!
  const rv = scale.metadata?.resourceVersion
  if (typeof rv === 'string' && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(r, name, MODIFIED)
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas
  if (!Number.isInteger(replicas) || (replicas as number) < 0) {
    throw invalid('autoscaling', 'Scale', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` }])
  }
  const next = structuredClone(current)
  write(next, r.subresources.scale!.specReplicasPath, replicas)
  const stored = x.state.objects.update(r, current, next, { dryRun })
  sendJson(x.res, 200, toScale(r, stored))
}

export async function handleScale (x: Request): Promise<void> {
  const { target, state, req, query } = x
  if (req.method === 'GET') {
    sendJson(x.res, 200, toScale(target.r, state.objects.get(target.r, target.namespace, target.name!)))
    return
  }
  if (req.method === 'PUT') {
    const dryRun = dryRunOf(query.getAll('dryRun'), 'UpdateOptions')
    const body = await readObject(x)
    if (body.kind !== undefined && body.kind !== 'Scale') throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Scale)`)
    applyScale(x, state.objects.get(target.r, target.namespace, target.name!), body, dryRun)
    return
  }
  const dryRun = dryRunOf(query.getAll('dryRun'), 'PatchOptions')
  // a Scale is built-in: strategic merge is fine even for custom resources
  const apply = await readPatch(x, { ...target.r, builtin: true })
  const current = state.objects.get(target.r, target.namespace, target.name!)
  const patched = apply(toScale(target.r, current))
  if (!isObjectBody(patched)) throw badRequest('the patch must produce an object')
  applyScale(x, current, patched, dryRun)
}

const APPROVAL_TYPES = ['Approved', 'Denied', 'Failed']

export async function handleApproval (x: Request): Promise<void> {
  const { target, state, req, query } = x
  const current = () => state.objects.get(target.r, undefined, target.name!)
  if (req.method === 'GET') {
    sendJson(x.res, 200, current())
    return
  }
  const dryRun = dryRunOf(query.getAll('dryRun'), req.method === 'PUT' ? 'UpdateOptions' : 'PatchOptions')
  let body: KubeObject
  let cur: KubeObject
  if (req.method === 'PUT') {
    body = await readObject(x)
    cur = current()
  } else {
    const apply = await readPatch(x, target.r)
    cur = current()
    body = apply(structuredClone(cur)) as KubeObject
  }
  const conditions = ((body.status as { conditions?: unknown } | undefined)?.conditions ?? []) as Array<Record<string, unknown>>
  const name = cur.metadata.name!
  const types = conditions.map(c => c.type)
  const errs = conditions.flatMap((c, i) => APPROVAL_TYPES.includes(String(c.type))
    ? []
    : [{ reason: 'FieldValueNotSupported', field: `status.conditions[${i}].type`, message: `Unsupported value: "${String(c.type)}": supported values: "Approved", "Denied", "Failed"` }])
  if (types.includes('Approved') && types.includes('Denied')) {
    errs.push({ reason: 'FieldValueInvalid', field: 'status.conditions', message: 'Invalid value: "Denied": Approved and Denied conditions are mutually exclusive' })
  }
  if (errs.length > 0) throw invalid(target.r.group, target.r.kind, name, errs)
  const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
  const status = { ...(cur.status as object), conditions: conditions.map(c => ({ status: 'True', lastUpdateTime: stamp, lastTransitionTime: stamp, ...c })) }
  const next = { ...cur, status, metadata: { ...cur.metadata, resourceVersion: body.metadata?.resourceVersion ?? cur.metadata.resourceVersion } }
  sendJson(x.res, 200, state.objects.update(target.r, cur, next, { dryRun, subresource: 'status' }))
}
