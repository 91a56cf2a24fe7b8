import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import {
  ErrorCodes, GatewayError, codeForStatus, isGatewayError, problemType,
  type ErrorCode, type FieldError
} from '../../../../shared/errors.ts'
import type { Problem } from '../../schemas/problem.ts'

interface AjvIssue { instancePath: string, message?: string, keyword: string, params: Record<string, unknown> }

const contextNames: Record<string, string> = { querystring: 'query', params: 'path', body: 'body', headers: 'header' }

function fieldErrors (issues: AjvIssue[], context: string): FieldError[] {
  const prefix = contextNames[context] ?? context
  return issues.map(issue => {
    const segments = issue.instancePath.split('/').filter(Boolean).map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    if (issue.keyword === 'required') segments.push(String(issue.params.missingProperty))
    if (issue.keyword === 'additionalProperties') segments.push(String(issue.params.additionalProperty))
    const field = [prefix, ...segments].join('.')
    const allowed = issue.params.allowedValues as unknown[] | undefined
    const message = issue.keyword === 'additionalProperties'
      ? 'is not a known field'
      : allowed ? `must be one of ${allowed.map(v => JSON.stringify(v)).join(', ')}` : issue.message ?? 'is invalid'
    return { field, message, constraint: issue.keyword }
  })
}

// Translates whatever was thrown into one GatewayError, so every answer below has a stable code.
export function toGatewayError (err: FastifyError | Error): GatewayError {
  if (isGatewayError(err)) return err
  const fe = err as FastifyError & { validation?: AjvIssue[], validationContext?: string }
  if (fe.validation) {
    const errors = fieldErrors(fe.validation, fe.validationContext ?? 'body')
    return new GatewayError('GW_ERR_VALIDATION', errors.map(e => `${e.field} ${e.message}`).join('; '), { errors })
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('GW_ERR_MALFORMED_BODY', fe.message)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('GW_ERR_UNSUPPORTED_MEDIA_TYPE', fe.message)
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('GW_ERR_PAYLOAD_TOO_LARGE', fe.message)
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) return new GatewayError('GW_ERR_MALFORMED_BODY', err.message)
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500
  const code: ErrorCode = codeForStatus(status)
  // Internal details stay in the log; callers get the generic title.
  return new GatewayError(code, status >= 500 ? ErrorCodes[code].title : fe.message, { cause: err })
}

export function problemBody (err: GatewayError, request: FastifyRequest): Problem {
  return {
    type: problemType(err.code),
    title: ErrorCodes[err.code].title,
    status: err.status,
    detail: err.message,
    instance: request.url.split('?')[0],
    code: err.code,
    requestId: String(request.id),
    ...(err.errors ? { errors: err.errors } : {}),
    ...err.extensions
  }
}

export function sendProblem (reply: FastifyReply, err: GatewayError): FastifyReply {
  return reply
    .code(err.status)
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(problemBody(err, reply.request))
}

export default fp(async function problemHandler (fastify) {
  fastify.setErrorHandler(function (error: FastifyError, request, reply) {
    const gwErr = toGatewayError(error)
    if (gwErr.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ code: gwErr.code, detail: gwErr.message }, 'request rejected')
    return sendProblem(reply, gwErr)
  })

  fastify.setNotFoundHandler(function (request, reply) {
    return sendProblem(reply, new GatewayError('GW_ERR_ROUTE_NOT_FOUND', `${request.method} ${request.url.split('?')[0]} is not a route of this API`))
  })
}, { name: 'problem-handler' })
