// Request dispatch: health, discovery, then resource verbs by method and path shape.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.ts'
import type { ServerState } from './handlers/context.ts'
import { handleDelete, handleDeleteCollection } from './handlers/delete.ts'
import { handleGet, handleList } from './handlers/read.ts'
import { handleApproval, handleScale } from './handlers/subresources.ts'
import { handleCreate, handlePatch, handleUpdate } from './handlers/write.ts'
import { isExecPath } from './exec.ts'
import { parseTarget, sendError, sendJson, sendText } from './http.ts'
import type { Target } from './http.ts'
import { badRequest, internalError, methodNotAllowed, pathNotFound, StatusError, tooManyRequests } from './status.ts'

type Handler = (x: Parameters<typeof handleGet>[0]) => void | Promise<void>

const HEALTH = new Set(['/healthz', '/readyz', '/livez'])

function pickHandler (t: Target, method: string): Handler {
  const readOnly = t.r.readOnly && method !== 'GET'
  if (readOnly) throw methodNotAllowed()
  if (t.subresource === 'scale') return ['GET', 'PUT', 'PATCH'].includes(method) ? handleScale : fail
  if (t.subresource === 'approval') return ['GET', 'PUT', 'PATCH'].includes(method) ? handleApproval : fail
  if (t.name === undefined) {
    if (method === 'GET') return handleList
    if (method === 'POST') return handleCreate
    if (method === 'DELETE' && t.subresource === undefined) return handleDeleteCollection
    return fail
  }
  if (t.watchPrefix) return method === 'GET' ? handleList : fail
  switch (method) {
    case 'GET': return handleGet
    case 'PUT': return handleUpdate
    case 'PATCH': return handlePatch
    case 'DELETE': return t.subresource === undefined ? handleDelete : fail
    default: return fail
  }
  function fail (): never { throw methodNotAllowed() }
}

function discovery (state: ServerState, parts: string[], hostPort: string): object | undefined {
  if (parts.length === 1 && parts[0] === 'version') return versionInfo()
  if (parts[0] === 'openapi' && parts[1] === 'v3') return parts.length === 2 ? state.openapi.root() : state.openapi.document(parts.slice(2).join('/'))
  if (parts[0] === 'api') {
    if (parts.length === 1) return apiVersions(hostPort)
    if (parts.length === 2) return apiResourceList(state.registry, '', parts[1])
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return apiGroupList(state.registry)
    if (parts.length === 2) return apiGroup(state.registry, parts[1])
    if (parts.length === 3) return apiResourceList(state.registry, parts[1], parts[2])
  }
  return undefined
}

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export async function route (state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://twin')
    if (HEALTH.has(url.pathname.replace(/\/$/, ''))) {
      sendText(res, 200, 'ok')
      return
    }
    const faults = state.faults.get()
    if (faults.latencyMs > 0) await delay(faults.latencyMs)
    const isWatch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1' || url.pathname.includes('/watch/')
    if (!isWatch) {
      const rule = state.faults.match(req.method ?? 'GET', url.pathname)
      if (rule) throw rule.status === 404 ? pathNotFound() : internalError(`injected fault for ${req.method} ${url.pathname}`)
      const fate = state.faults.roll()
      if (fate === 'error') throw internalError('injected fault')
      if (fate === 'throttle') throw tooManyRequests(1)
    }
    const parts = url.pathname.split('/').filter(p => p !== '').map(decodeURIComponent)
    const doc = discovery(state, parts, req.headers.host ?? '')
    if (doc !== undefined) {
      if (req.method !== 'GET') throw methodNotAllowed()
      sendJson(res, 200, doc)
      return
    }
    // exec streams only over an Upgrade (server.ts); a plain request gets the API server's answer
    if (isExecPath(url.pathname)) throw badRequest('Upgrade request required')
    let target: Target
    if (parts[0] === 'api' && parts.length >= 3) target = parseTarget('', parts[1], parts.slice(2), state.registry)
    else if (parts[0] === 'apis' && parts.length >= 4) target = parseTarget(parts[1], parts[2], parts.slice(3), state.registry)
    else throw pathNotFound()
    const handler = pickHandler(target, req.method ?? 'GET')
    await handler({ req, res, target, query: url.searchParams, state })
  } catch (err) {
    if (res.headersSent) {
      res.destroy()
      return
    }
    if (err instanceof StatusError) {
      sendError(res, err)
      return
    }
    state.log('error', 'kube twin request failed', { method: req.method, url: req.url, err: String((err as Error).stack ?? err) })
    sendError(res, internalError(String((err as Error).message ?? err)))
  }
}
