// Small node:http helpers: JSON answers, body reading, request path parsing.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Registry } from './resources.ts'
import { badRequest, pathNotFound, StatusError } from './status.ts'
import type { ResourceInfo } from './types.ts'

const MAX_BODY = 3 * 1024 * 1024

export function sendJson (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body) + '\n'
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

export function sendText (res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendError (res: ServerResponse, err: StatusError): void {
  sendJson(res, err.code, err.body(), err.headers)
}

export async function readBody (req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`)
  }
}

export function mediaType (header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase()
}

export interface Target {
  r: ResourceInfo
  namespace?: string
  name?: string
  subresource?: string
  watchPrefix: boolean
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize'])

// /api/v1/... or /apis/<group>/<version>/... below the version: [watch/][namespaces/<ns>/]<plural>[/<name>[/<sub>]]
export function parseTarget (group: string, version: string, rest: string[], registry: Registry): Target {
  let segs = rest
  const watchPrefix = segs[0] === 'watch'
  if (watchPrefix) segs = segs.slice(1)
  let namespace: string | undefined
  if (segs[0] === 'namespaces' && segs.length >= 3 && !(segs.length === 3 && NAMESPACE_SUBRESOURCES.has(segs[2]))) {
    namespace = segs[1]
    segs = segs.slice(2)
  }
  if (segs.length === 0 || segs.length > 3 || segs.some(s => s === '')) throw pathNotFound()
  const r = registry.find(group, version, segs[0])
  if (r === undefined) throw pathNotFound()
  const [, name, subresource] = segs
  if (namespace !== undefined && !r.namespaced) throw pathNotFound()
  if (r.namespaced && name !== undefined && namespace === undefined) throw pathNotFound()
  if (subresource !== undefined) {
    const ok = (subresource === 'status' && r.subresources.status) || (subresource === 'scale' && r.subresources.scale !== undefined) ||
      (subresource === 'approval' && r.subresources.approval === true)
    if (!ok) throw pathNotFound()
  }
  return { r, namespace, name, subresource, watchPrefix }
}
