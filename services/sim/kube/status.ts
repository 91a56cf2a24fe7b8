// metav1.Status errors worded as the upstream API server words them (k8s.io/apimachinery/pkg/api/errors).
import type { ResourceInfo } from './types.ts'

export interface StatusCause { reason?: string, message: string, field?: string }

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  uid?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

export interface StatusBody {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, unknown>
  status: 'Failure' | 'Success'
  message?: string
  reason?: string
  details?: StatusDetails
  code?: number
}

export class StatusError extends Error {
  readonly code: number
  readonly reason: string
  readonly details: StatusDetails | undefined
  readonly headers: Record<string, string>

  constructor (code: number, reason: string, message: string, details?: StatusDetails, headers: Record<string, string> = {}) {
    super(message)
    this.code = code
    this.reason = reason
    this.details = details
    this.headers = headers
  }

  body (): StatusBody {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, details: this.details, code: this.code }
  }
}

type GroupResource = Pick<ResourceInfo, 'group' | 'plural'>

function qualified (r: GroupResource): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`
}

function details (r: GroupResource, name: string, extra: StatusDetails = {}): StatusDetails {
  const d: StatusDetails = { name }
  if (r.group !== '') d.group = r.group
  d.kind = r.plural
  return { ...d, ...extra }
}

export function notFound (r: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualified(r)} "${name}" not found`, details(r, name))
}

export function alreadyExists (r: GroupResource, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, details(r, name))
}

export function conflict (r: GroupResource, name: string, why: string): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, details(r, name))
}

export const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again'

export function forbidden (r: GroupResource, name: string, why: string, cause?: StatusCause): StatusError {
  return new StatusError(403, 'Forbidden', `${qualified(r)} "${name}" is forbidden: ${why}`, details(r, name, cause ? { causes: [cause] } : {}))
}

export interface FieldError { reason: string, message: string, field: string }

// NewInvalid: "Kind.group \"name\" is invalid: <aggregate>", aggregate bracketed only for more than one error
export function invalid (group: string, kind: string, name: string, errs: FieldError[]): StatusError {
  const text = errs.map(e => e.field === '' ? e.message : `${e.field}: ${e.message}`)
  const aggregate = text.length === 1 ? text[0] : `[${text.join(', ')}]`
  const gk = group === '' ? kind : `${kind}.${group}`
  const d: StatusDetails = { name }
  if (group !== '') d.group = group
  d.kind = kind
  d.causes = errs.map(e => ({ reason: e.reason, message: e.message, field: e.field }))
  return new StatusError(422, 'Invalid', `${gk} "${name}" is invalid: ${aggregate}`, d)
}

export function badRequest (message: string): StatusError {
  return new StatusError(400, 'BadRequest', message)
}

export function pathNotFound (): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {})
}

export function methodNotAllowed (): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {})
}

export function unsupportedMediaType (accepted: string[]): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {})
}

export function expired (message: string): StatusError {
  return new StatusError(410, 'Expired', message)
}

export function gone (message: string): StatusError {
  return new StatusError(410, 'Gone', message)
}

export function tooManyRequests (retryAfterSeconds: number): StatusError {
  return new StatusError(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) })
}

export function internalError (why: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${why}`, { causes: [{ message: why }] })
}

// NewGenericServerResponse(422, ...) as used for a JSON patch that cannot be applied
export function unprocessable (serverMessage: string): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', { causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }] })
}

export function success (r: GroupResource, name: string, uid: string | undefined): StatusBody {
  const d = details(r, name)
  if (uid !== undefined) d.uid = uid
  // upstream leaves code unset on a delete's Success status
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d }
}
