// delete (DeleteOptions from body or query) and deletecollection.
import { parseJson, readBody, sendJson } from '../http.ts'
import type { DeleteOptions, Propagation } from '../objects.ts'
import { parseFieldSelector, parseLabelSelector } from '../selectors.ts'
import { invalid, StatusError } from '../status.ts'
import { apiVersionOf, resourceKey } from '../types.ts'
import type { KubeObject } from '../types.ts'
import { dryRunOf } from './context.ts'
import type { Request } from './context.ts'

const POLICIES = ['Foreground', 'Background', 'Orphan']

async function deleteOptions (x: Request): Promise<DeleteOptions> {
  const text = await readBody(x.req)
  const body = (text.trim() === '' ? {} : parseJson(text)) as Record<string, unknown>
  const q = x.query
  const policy = body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined
  const orphan = body.orphanDependents ?? (q.has('orphanDependents') ? q.get('orphanDependents') === 'true' : undefined)
  const errs = []
  if (policy !== undefined && !POLICIES.includes(String(policy))) {
    errs.push({ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"` })
  }
  if (policy !== undefined && orphan !== undefined) {
    errs.push({ reason: 'FieldValueInvalid', field: 'propagationPolicy', message: `Invalid value: "${String(policy)}": orphanDependents and deletionPropagation cannot be both set` })
  }
  const grace = body.gracePeriodSeconds ?? (q.has('gracePeriodSeconds') ? Number(q.get('gracePeriodSeconds')) : undefined)
  if (grace !== undefined && !Number.isInteger(grace)) {
    errs.push({ reason: 'FieldValueInvalid', field: 'gracePeriodSeconds', message: `Invalid value: "${String(grace)}": must be an integer` })
  }
  if (errs.length > 0) throw invalid('meta.k8s.io', 'DeleteOptions', '', errs)
  const dryRun = dryRunOf(body.dryRun ?? (q.getAll('dryRun').length > 0 ? q.getAll('dryRun') : undefined), 'DeleteOptions')
  const propagationPolicy = (policy ?? (orphan === true ? 'Orphan' : undefined)) as Propagation | undefined
  return { propagationPolicy, gracePeriodSeconds: grace as number | undefined, preconditions: body.preconditions as DeleteOptions['preconditions'], dryRun }
}

export async function handleDelete (x: Request): Promise<void> {
  const { target, state } = x
  const opts = await deleteOptions(x)
  const current = state.objects.get(target.r, target.namespace, target.name!)
  const result = state.objects.remove(target.r, current, opts)
  sendJson(x.res, 200, result.response)
}

export async function handleDeleteCollection (x: Request): Promise<void> {
  const { target, state, query: q } = x
  const { r } = target
  const opts = await deleteOptions(x)
  const label = parseLabelSelector(q.get('labelSelector'))
  const field = parseFieldSelector(q.get('fieldSelector'), r)
  const items: KubeObject[] = []
  for (const o of state.store.list(resourceKey(r), target.namespace)) {
    if (!label(o) || !field(o)) continue
    try {
      items.push(state.objects.remove(r, o, opts).object)
    } catch (err) {
      // a concurrent delete got there first
      if (!(err instanceof StatusError && err.code === 404)) throw err
    }
  }
  sendJson(x.res, 200, { kind: r.listKind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(state.store.rv()) }, items })
}
