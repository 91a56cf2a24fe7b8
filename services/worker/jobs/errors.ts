import { UnrecoverableError } from 'bullmq'
import { isGatewayError, type GatewayError } from '../../../shared/errors.ts'
import { fromKubeError, kubeStatusCode } from '../../../shared/kube/kube-errors.ts'
import type { JobError } from '../../../shared/jobs/schema.ts'

// A failure no retry can fix (bad input, a stuck object that needs a human): the job fails at once.
export function permanent (err: GatewayError): UnrecoverableError {
  const wrapped = new UnrecoverableError(err.message)
  wrapped.cause = err
  return wrapped
}

// Conflicts and rate limits clear up by themselves; any other 4xx means the request itself is wrong.
function permanentStatus (status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429
}

export interface ClassifiedError {
  error: JobError
  permanent: boolean
}

export function classifyError (err: unknown): ClassifiedError {
  if (err instanceof UnrecoverableError || (err as Error)?.name === 'UnrecoverableError') {
    const cause = (err as Error).cause
    const code = isGatewayError(cause) ? cause.code : 'GW_ERR_INTERNAL'
    return { error: { code, message: (err as Error).message }, permanent: true }
  }
  if (isGatewayError(err)) return { error: { code: err.code, message: err.message }, permanent: permanentStatus(err.status) }
  // client-node ApiExceptions carry the HTTP status in code
  const status = kubeStatusCode(err)
  if (status !== undefined) {
    const gw = fromKubeError(err)
    return { error: { code: gw.code, message: gw.message }, permanent: permanentStatus(status) }
  }
  // Network failures and bugs alike: retried, since the first is common and the second fails again anyway.
  return { error: { code: 'GW_ERR_INTERNAL', message: (err as Error)?.message ?? String(err) }, permanent: false }
}
