// What every handler gets: the parsed request plus the server's state.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Faults } from '../faults.ts'
import type { Target } from '../http.ts'
import type { Objects } from '../objects.ts'
import type { createOpenApi } from '../openapi.ts'
import type { Registry } from '../resources.ts'
import { invalid } from '../status.ts'
import type { Store } from '../store.ts'
import type { Log } from '../types.ts'
import type { CrdValidator } from '../validation/index.ts'

export interface ServerState {
  store: Store
  registry: Registry
  objects: Objects
  validator: CrdValidator | null
  faults: Faults
  log: Log
  bookmarkIntervalMs: number
  openWatches: Set<() => void>
  openapi: ReturnType<typeof createOpenApi>
}

export interface Request {
  req: IncomingMessage
  res: ServerResponse
  target: Target
  query: URLSearchParams
  state: ServerState
}

// dryRun must be absent or "All" (ValidateDryRun); options kind is CreateOptions, UpdateOptions, ...
export function dryRunOf (values: unknown, optionsKind: string): boolean {
  const list = values === undefined ? [] : Array.isArray(values) ? values.map(String) : [String(values)]
  if (list.length === 0) return false
  if (list.length === 1 && list[0] === 'All') return true
  throw invalid('meta.k8s.io', optionsKind, '', [{
    reason: 'FieldValueNotSupported',
    field: 'dryRun',
    message: `Unsupported value: []string{${list.map(v => `"${v}"`).join(', ')}}: supported values: "All"`
  }])
}
