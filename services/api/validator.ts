import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

function makeAjv (opts: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, ...opts })
  addFormats.default(ajv)
  return ajv
}

// Bodies are validated strictly (no type coercion, unknown fields are errors) so a typo never
// silently changes meaning; query strings and params are strings on the wire and must be coerced.
const strict = makeAjv({ coerceTypes: false, removeAdditional: false })
const coercing = makeAjv({ coerceTypes: 'array', removeAdditional: false })

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing
  return ajv.compile(schema)
}
