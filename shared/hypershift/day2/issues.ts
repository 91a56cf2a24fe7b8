import { GatewayError, type FieldError } from '../../errors.ts'
import type { KubeObject } from '../../kube/kube-object.ts'

// Collects everything wrong with one request so a caller sees all of it at once. Malformed input (400)
// outranks a rule the request breaks (422), which outranks a clash with live state (409).
export type IssueKind = 'validation' | 'unprocessable' | 'conflict'

const CODES = { validation: 'GW_ERR_VALIDATION', unprocessable: 'GW_ERR_UNPROCESSABLE', conflict: 'GW_ERR_CONFLICT' } as const

export interface Issues {
  add (kind: IssueKind, field: string, message: string, constraint?: string): void
  addAll (kind: IssueKind, errors: FieldError[]): void
  errors (kind?: IssueKind): FieldError[]
  throwIfAny (what: string): void
}

export function createIssues (): Issues {
  const list: Array<FieldError & { kind: IssueKind }> = []
  return {
    add (kind, field, message, constraint) {
      list.push(constraint === undefined ? { kind, field, message } : { kind, field, message, constraint })
    },
    addAll (kind, errors) {
      for (const e of errors) list.push({ kind, ...e })
    },
    errors (kind) {
      return list.filter(i => kind === undefined || i.kind === kind).map(({ kind: _kind, ...e }) => e)
    },
    throwIfAny (what) {
      for (const kind of ['validation', 'unprocessable', 'conflict'] as const) {
        const errors = this.errors(kind)
        if (errors.length === 0) continue
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
        throw new GatewayError(CODES[kind], `${what}: ${errors[0].field}: ${errors[0].message}${more}`, { errors })
      }
    }
  }
}

// Objects being deleted only accept finalizer removal; a change now would race the teardown.
export function assertNotDeleting (obj: KubeObject, what: string): void {
  if (obj.metadata.deletionTimestamp !== undefined) {
    throw new GatewayError('GW_ERR_CONFLICT', `${obj.kind} ${obj.metadata.name} is being deleted (since ${obj.metadata.deletionTimestamp}); ${what} refused`)
  }
}

// Structural equality for JSON values, used to tell a no-op from a change to an immutable field.
export function jsonEqual (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every(k => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}
