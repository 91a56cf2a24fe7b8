import { Type, type Static } from 'typebox'
import { ErrorCodes } from '../../../shared/errors.ts'

export const FieldErrorSchema = Type.Object({
  field: Type.String({ description: 'Where the problem is, e.g. body.platform.aws.region or query.limit' }),
  message: Type.String(),
  constraint: Type.Optional(Type.String({ description: 'The rule that failed: required, pattern, enum, type, ...' }))
})

// RFC 9457 problem details, extended with a stable code and the request id users quote to support.
export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'URI reference identifying the problem type' }),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  detail: Type.String(),
  instance: Type.String({ description: 'The request path' }),
  code: Type.Enum(Object.keys(ErrorCodes), { description: 'Stable GW_ERR_* code' }),
  requestId: Type.String(),
  errors: Type.Optional(Type.Array(FieldErrorSchema))
}, { additionalProperties: true, $id: 'Problem' })

export type Problem = Static<typeof ProblemSchema>

// Error answers are documented under their real media type.
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Type.Ref('Problem') } }
})
