import t from 'tap'
import { ApiException } from '@kubernetes/client-node'
import { UnrecoverableError } from 'bullmq'
import { GatewayError } from '../../../../shared/errors.ts'
import { classifyError, permanent } from '../../../../services/worker/jobs/errors.ts'

const kube = (code: number, reason: string) => new ApiException(code, `HTTP ${code}`, JSON.stringify({ kind: 'Status', code, reason, message: `${reason} from the API server` }), {})

t.test('bad requests fail at once; conflicts, rate limits and outages are retried', async t => {
  t.match(classifyError(kube(422, 'Invalid')), { permanent: true, error: { code: 'GW_ERR_UNPROCESSABLE', message: 'Invalid from the API server' } })
  t.match(classifyError(kube(403, 'Forbidden')), { permanent: true, error: { code: 'GW_ERR_FORBIDDEN' } })
  t.match(classifyError(kube(409, 'Conflict')), { permanent: false, error: { code: 'GW_ERR_CONFLICT' } })
  t.match(classifyError(kube(429, 'TooManyRequests')), { permanent: false, error: { code: 'GW_ERR_RATE_LIMITED' } })
  t.match(classifyError(kube(503, 'ServiceUnavailable')), { permanent: false, error: { code: 'GW_ERR_UPSTREAM' } })
  t.match(classifyError(new GatewayError('GW_ERR_VALIDATION', 'bad')), { permanent: true, error: { code: 'GW_ERR_VALIDATION', message: 'bad' } })
  t.match(classifyError(new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', 'slow')), { permanent: false })
  t.match(classifyError(new Error('socket hang up')), { permanent: false, error: { code: 'GW_ERR_INTERNAL', message: 'socket hang up' } })
})

t.test('permanent() keeps the code of the error it wraps', async t => {
  const wrapped = permanent(new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', 'stuck'))
  t.type(wrapped, UnrecoverableError)
  t.same(classifyError(wrapped), { permanent: true, error: { code: 'GW_ERR_UPSTREAM_TIMEOUT', message: 'stuck' } })
  t.same(classifyError(new UnrecoverableError('plain')), { permanent: true, error: { code: 'GW_ERR_INTERNAL', message: 'plain' } })
})
