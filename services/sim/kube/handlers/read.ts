// get, list (consistent paging with continue tokens) and watch.
import { sendJson } from '../http.ts'
import { parseFieldSelector, parseLabelSelector } from '../selectors.ts'
import type { Selector } from '../selectors.ts'
import { badRequest, expired } from '../status.ts'
import { objectKey } from '../store.ts'
import { toTable, wantsTable } from '../table.ts'
import { apiVersionOf, resourceKey } from '../types.ts'
import type { KubeObject } from '../types.ts'
import { serveWatch } from '../watch.ts'
import type { Request } from './context.ts'

const EXPIRED_CONTINUE = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'

interface ContinueToken { v: string, rv: number, start: string }

function encodeContinue (rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: lastKey + '\u0000' })).toString('base64')
}

function decodeContinue (token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as ContinueToken
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token')
    return t
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)')
  }
}

function selectorsOf (q: URLSearchParams, x: Request): Selector[] {
  return [parseLabelSelector(q.get('labelSelector')), parseFieldSelector(q.get('fieldSelector'), x.target.r)]
}

function parseLimit (q: URLSearchParams): number {
  const text = q.get('limit')
  if (text === null || text === '') return 0
  if (!/^-?\d+$/.test(text)) throw badRequest(`limit: Invalid value: "${text}": must be an integer`)
  return Math.max(0, Number(text))
}

export function handleGet ({ res, target, state, req }: Request): void {
  const { r, namespace, name } = target
  const obj = state.objects.get(r, namespace, name!)
  if (wantsTable(req.headers.accept)) sendJson(res, 200, toTable(r, [obj], { resourceVersion: obj.metadata.resourceVersion }))
  else sendJson(res, 200, obj)
}

export function handleList (x: Request): void {
  const { res, target, state, query: q } = x
  const { r, namespace } = target
  const key = resourceKey(r)
  const selectors = selectorsOf(q, x)
  if (q.get('watch') === 'true' || q.get('watch') === '1' || target.watchPrefix) {
    if (target.name !== undefined) selectors.push(o => o.metadata.name === target.name)
    const timeout = q.get('timeoutSeconds')
    serveWatch(res, {
      r,
      namespace,
      selectors,
      resourceVersion: q.get('resourceVersion') ?? undefined,
      allowBookmarks: q.get('allowWatchBookmarks') === 'true',
      timeoutSeconds: timeout === null ? undefined : Number(timeout),
      table: wantsTable(x.req.headers.accept)
    }, { store: state.store, faults: state.faults, bookmarkIntervalMs: state.bookmarkIntervalMs, open: state.openWatches })
    return
  }
  const limit = parseLimit(q)
  const token = q.get('continue')
  let snapshot: number
  let items: KubeObject[]
  if (token !== null && token !== '') {
    const t = decodeContinue(token)
    const at = state.store.listAt(key, t.rv, namespace)
    if (at === null) throw expired(EXPIRED_CONTINUE)
    snapshot = t.rv
    items = at.filter(o => objectKey(o.metadata.namespace, o.metadata.name) >= t.start)
  } else {
    const rvText = q.get('resourceVersion')
    const exact = q.get('resourceVersionMatch') === 'Exact' && rvText !== null && rvText !== '' && rvText !== '0'
    if (exact) {
      const at = state.store.listAt(key, Number(rvText), namespace)
      if (at === null) throw expired(`too old resource version: ${rvText} (${state.store.compacted()})`)
      snapshot = Number(rvText)
      items = at
    } else {
      snapshot = state.store.rv()
      items = state.store.list(key, namespace)
    }
  }
  const hasSelectors = (q.get('labelSelector') ?? '') !== '' || (q.get('fieldSelector') ?? '') !== ''
  items = items.filter(o => selectors.every(s => s(o)))
  const metadata: Record<string, unknown> = { resourceVersion: String(snapshot) }
  if (limit > 0 && items.length > limit) {
    const rest = items.length - limit
    items = items.slice(0, limit)
    const last = items[items.length - 1]
    metadata.continue = encodeContinue(snapshot, objectKey(last.metadata.namespace, last.metadata.name))
    // upstream only counts the remainder when no selector makes the count uncertain
    if (!hasSelectors) metadata.remainingItemCount = rest
  }
  if (wantsTable(x.req.headers.accept)) {
    sendJson(res, 200, toTable(r, items, metadata))
    return
  }
  sendJson(res, 200, { kind: r.listKind, apiVersion: apiVersionOf(r), metadata, items })
}
