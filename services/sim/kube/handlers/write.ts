// create (POST), update (PUT) and patch (PATCH) on a resource or its status subresource.
import { mediaType, parseJson, readBody, sendJson } from '../http.ts'
import { jsonPatch, mergePatch, strategicMerge } from '../patch.ts'
import { badRequest, unsupportedMediaType } from '../status.ts'
import type { KubeObject, ResourceInfo } from '../types.ts'
import { dryRunOf } from './context.ts'
import type { Request } from './context.ts'

const JSON_PATCH = 'application/json-patch+json'
const MERGE_PATCH = 'application/merge-patch+json'
const STRATEGIC = 'application/strategic-merge-patch+json'

export function isObjectBody (v: unknown): v is KubeObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export async function readObject (x: Request): Promise<KubeObject> {
  const type = mediaType(x.req.headers['content-type'])
  if (type !== '' && type !== 'application/json' && type !== '*/*') {
    throw unsupportedMediaType(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'])
  }
  const body = parseJson(await readBody(x.req))
  if (!isObjectBody(body)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}')
  if (body.metadata === undefined || body.metadata === null) body.metadata = {}
  if (typeof body.metadata !== 'object') throw badRequest('metadata: expected an object')
  return body
}

export async function handleCreate (x: Request): Promise<void> {
  const { target, state, query } = x
  const dryRun = dryRunOf(query.getAll('dryRun'), 'CreateOptions')
  const body = await readObject(x)
  const created = state.objects.create(target.r, target.namespace, body, dryRun)
  sendJson(x.res, 201, created)
}

export async function handleUpdate (x: Request): Promise<void> {
  const { target, state, query } = x
  const dryRun = dryRunOf(query.getAll('dryRun'), 'UpdateOptions')
  const body = await readObject(x)
  const current = state.objects.get(target.r, target.namespace, target.name!)
  const sub = target.subresource === 'status' ? 'status' : undefined
  sendJson(x.res, 200, state.objects.update(target.r, current, body, { dryRun, subresource: sub }))
}

// Reads the request's patch document; the answer applies it according to the Content-Type.
// Server-side apply (application/apply-patch+yaml) is not implemented and answers 415.
export async function readPatch (x: Request, r: ResourceInfo): Promise<(doc: unknown) => unknown> {
  const type = mediaType(x.req.headers['content-type'])
  const accepted = r.builtin ? [JSON_PATCH, MERGE_PATCH, STRATEGIC] : [JSON_PATCH, MERGE_PATCH]
  if (!accepted.includes(type)) throw unsupportedMediaType(accepted)
  const patch = parseJson(await readBody(x.req))
  if (type === JSON_PATCH) return doc => jsonPatch(doc, patch)
  if (!isObjectBody(patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}')
  return type === MERGE_PATCH ? doc => mergePatch(doc, patch) : doc => strategicMerge(doc, patch)
}

export async function handlePatch (x: Request): Promise<void> {
  const { target, state, query } = x
  const dryRun = dryRunOf(query.getAll('dryRun'), 'PatchOptions')
  const apply = await readPatch(x, target.r)
  const current = state.objects.get(target.r, target.namespace, target.name!)
  const patched = apply(structuredClone(current))
  if (!isObjectBody(patched)) throw badRequest('the patch must produce an object')
  if (!isObjectBody(patched.metadata)) patched.metadata = {}
  const sub = target.subresource === 'status' ? 'status' : undefined
  sendJson(x.res, 200, state.objects.update(target.r, current, patched, { dryRun, subresource: sub }))
}
