import { GatewayError, type ErrorCode, type FieldError } from '../errors.ts'

interface KubeStatus {
  kind?: string
  message?: string
  reason?: string
  code?: number
  details?: { name?: string, kind?: string, causes?: Array<{ reason?: string, message?: string, field?: string }> }
}

function parseStatus (body: unknown): KubeStatus | undefined {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as KubeStatus
    } catch {
      return undefined
    }
  }
  return body && typeof body === 'object' ? body as KubeStatus : undefined
}

export function kubeStatusCode (err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'number' ? code : undefined
}

export function isKubeNotFound (err: unknown): boolean {
  return kubeStatusCode(err) === 404
}

// For re-entrant steps: an object already gone counts as done.
export async function ignoreNotFound<T> (p: Promise<T>): Promise<T | undefined> {
  try {
    return await p
  } catch (err) {
    if (isKubeNotFound(err)) return undefined
    throw err
  }
}

// Maps a client-node ApiException (or a network failure) to the gateway's error table, keeping
// the API server's own wording and its per-field causes (prefixed so callers see where they apply).
export function fromKubeError (err: unknown, opts: { fieldPrefix?: string } = {}): GatewayError {
  const status = kubeStatusCode(err)
  if (status === undefined) {
    const message = (err as Error)?.message ?? String(err)
    const timedOut = /timeout|timed out|ETIMEDOUT|aborted/i.test(message)
    return new GatewayError(timedOut ? 'GW_ERR_UPSTREAM_TIMEOUT' : 'GW_ERR_UPSTREAM', 'the Kubernetes API could not be reached', { cause: err })
  }
  const s = parseStatus((err as { body?: unknown }).body) ?? {}
  const message = s.message ?? `Kubernetes API answered ${status}`
  const prefix = opts.fieldPrefix ?? 'kube'
  const errors: FieldError[] | undefined = s.details?.causes?.map(c => ({
    field: c.field && c.field !== '<nil>' ? `${prefix}.${c.field}` : prefix,
    message: c.message ?? c.reason ?? 'invalid',
    constraint: c.reason
  }))
  let code: ErrorCode
  switch (status) {
    case 400: code = 'GW_ERR_BAD_REQUEST'; break
    case 403: code = 'GW_ERR_FORBIDDEN'; break
    case 404: code = 'GW_ERR_NOT_FOUND'; break
    case 409: code = s.reason === 'AlreadyExists' ? 'GW_ERR_ALREADY_EXISTS' : 'GW_ERR_CONFLICT'; break
    case 410: code = 'GW_ERR_CONFLICT'; break
    case 422: code = 'GW_ERR_UNPROCESSABLE'; break
    case 429: code = 'GW_ERR_RATE_LIMITED'; break
    case 504: code = 'GW_ERR_UPSTREAM_TIMEOUT'; break
    default: code = status >= 500 ? 'GW_ERR_UPSTREAM' : 'GW_ERR_BAD_REQUEST'
  }
  return new GatewayError(code, message, {
    cause: err,
    ...(errors?.length ? { errors } : {}),
    extensions: { kubeReason: s.reason ?? null }
  })
}
