import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorCodes, GatewayError, type ErrorCode } from '../../../shared/errors.ts'
import { problemResponse } from '../schemas/problem.ts'

const ProblemTypeSchema = Type.Object({
  code: Type.String(),
  status: Type.Integer(),
  title: Type.String()
})

const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/openapi.json', {
    config: { public: true },
    schema: { security: [], tags: ['meta'], summary: 'This OpenAPI document', response: { 200: Type.Object({}, { additionalProperties: true }) } }
  }, async () => fastify.swagger())

  // problem+json "type" URIs resolve here, so a caller can look a code up.
  fastify.get('/problems', {
    config: { public: true },
    schema: { security: [], tags: ['meta'], summary: 'Every stable error code', response: { 200: Type.Array(ProblemTypeSchema) } }
  }, async () => Object.entries(ErrorCodes).map(([code, e]) => ({ code, ...e })))

  fastify.get('/problems/:code', {
    config: { public: true },
    schema: {
      security: [],
      tags: ['meta'],
      summary: 'One error code',
      params: Type.Object({ code: Type.String({ pattern: '^GW_ERR_[A-Z_]+$' }) }),
      response: { 200: ProblemTypeSchema, 404: problemResponse('Unknown code') }
    }
  }, async (request) => {
    const entry = ErrorCodes[request.params.code as ErrorCode]
    if (!entry) throw new GatewayError('GW_ERR_NOT_FOUND', `${request.params.code} is not an error code of this API`)
    return { code: request.params.code, ...entry }
  })
}

export default routes
