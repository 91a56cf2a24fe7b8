// The one table of stable error codes. REST answers problem+json from it; GraphQL puts the same code in
// extensions.code. Codes never change meaning once published; add new ones instead.
export const ErrorCodes = {
  GW_ERR_ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  GW_ERR_NOT_FOUND: { status: 404, title: 'Resource not found' },
  GW_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  GW_ERR_VALIDATION: { status: 400, title: 'Request validation failed' },
  GW_ERR_MALFORMED_BODY: { status: 400, title: 'Request body is not valid JSON' },
  GW_ERR_BAD_REQUEST: { status: 400, title: 'Bad request' },
  GW_ERR_QUERY_TOO_COMPLEX: { status: 400, title: 'GraphQL query is too deep or too costly' },
  GW_ERR_UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  GW_ERR_FORBIDDEN: { status: 403, title: 'Not allowed for this caller' },
  GW_ERR_NOT_ACCEPTABLE: { status: 406, title: 'Cannot produce the requested media type' },
  GW_ERR_CONFLICT: { status: 409, title: 'Conflict with the current state of the resource' },
  GW_ERR_ALREADY_EXISTS: { status: 409, title: 'Resource already exists' },
  GW_ERR_PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  GW_ERR_PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  GW_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  GW_ERR_UNPROCESSABLE: { status: 422, title: 'Request is well-formed but cannot be applied' },
  GW_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  GW_ERR_WEBHOOK_TARGET_REFUSED: { status: 422, title: 'Webhook target URL is not allowed' },
  GW_ERR_BACKUP_REJECTED: { status: 409, title: 'Another etcd backup is running for this control plane' },
  GW_ERR_ETCD_UNHEALTHY: { status: 503, title: 'etcd of the hosted cluster is not healthy' },
  GW_ERR_BACKUP_FAILED: { status: 502, title: 'The etcd backup failed' },
  GW_ERR_BACKUP_INTEGRITY: { status: 502, title: 'Backup bytes do not match their recorded size or checksum' },
  GW_ERR_INTERNAL: { status: 500, title: 'Internal error' },
  GW_ERR_UPSTREAM: { status: 502, title: 'A dependency answered with an error' },
  GW_ERR_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  GW_ERR_NOT_READY: { status: 503, title: 'A dependency is not ready' },
  GW_ERR_UPSTREAM_TIMEOUT: { status: 504, title: 'A dependency did not answer in time' }
} as const

export type ErrorCode = keyof typeof ErrorCodes

export interface FieldError {
  field: string
  message: string
  constraint?: string
}

export interface GatewayErrorOptions {
  errors?: FieldError[]
  extensions?: Record<string, unknown>
  cause?: unknown
}

export class GatewayError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly errors?: FieldError[]
  readonly extensions?: Record<string, unknown>

  constructor (code: ErrorCode, message?: string, opts: GatewayErrorOptions = {}) {
    super(message ?? ErrorCodes[code].title, { cause: opts.cause })
    this.name = 'GatewayError'
    this.code = code
    this.status = ErrorCodes[code].status
    this.errors = opts.errors
    this.extensions = opts.extensions
  }
}

export function isGatewayError (err: unknown): err is GatewayError {
  return err instanceof GatewayError
}

// Status codes with no more specific code of their own map here (e.g. a fastify 4xx we did not foresee).
const byStatus: Record<number, ErrorCode> = {
  400: 'GW_ERR_BAD_REQUEST',
  401: 'GW_ERR_UNAUTHENTICATED',
  403: 'GW_ERR_FORBIDDEN',
  404: 'GW_ERR_NOT_FOUND',
  405: 'GW_ERR_METHOD_NOT_ALLOWED',
  406: 'GW_ERR_NOT_ACCEPTABLE',
  409: 'GW_ERR_CONFLICT',
  412: 'GW_ERR_PRECONDITION_FAILED',
  413: 'GW_ERR_PAYLOAD_TOO_LARGE',
  415: 'GW_ERR_UNSUPPORTED_MEDIA_TYPE',
  422: 'GW_ERR_UNPROCESSABLE',
  429: 'GW_ERR_RATE_LIMITED',
  502: 'GW_ERR_UPSTREAM',
  503: 'GW_ERR_UNAVAILABLE',
  504: 'GW_ERR_UPSTREAM_TIMEOUT'
}

export function codeForStatus (status: number): ErrorCode {
  return byStatus[status] ?? (status >= 500 ? 'GW_ERR_INTERNAL' : 'GW_ERR_BAD_REQUEST')
}

export function problemType (code: ErrorCode): string {
  return `/problems/${code}`
}
