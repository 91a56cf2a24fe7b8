// The one place GraphQL errors get their stable codes: every error leaves with extensions.code (GW_ERR_*),
// extensions.status and, for field problems, extensions.errors, exactly as REST problems carry them.
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql'
import type { TSchema } from 'typebox'
import { ErrorCodes, GatewayError, isGatewayError } from '../../../shared/errors.ts'
import { toGatewayError } from '../plugins/app/problem-handler.ts'
import { validatorCompiler } from '../validator.ts'

interface WithErrors { errors?: unknown[], code?: string }

// GraphQL's own request errors (syntax, unknown fields, variable types) have no original error.
function documentError (err: GraphQLError): GatewayError {
  return new GatewayError('GW_ERR_BAD_REQUEST', err.message)
}

export function gatewayErrorOf (err: unknown): GatewayError {
  if (err instanceof GraphQLError) {
    if (err.originalError) return gatewayErrorOf(err.originalError)
    // Errors raised while executing (a null in a non-null field) are ours, not the caller's.
    return err.path ? new GatewayError('GW_ERR_INTERNAL', ErrorCodes.GW_ERR_INTERNAL.title, { cause: err }) : documentError(err)
  }
  if (isGatewayError(err)) return err
  const code = (err as WithErrors | null)?.code
  if (code === 'MER_ERR_GQL_QUERY_DEPTH') return new GatewayError('GW_ERR_QUERY_TOO_COMPLEX', (err as Error).message.replace(/^`|`$/g, ''))
  return toGatewayError(err instanceof Error ? err : new Error(String(err)))
}

// mercurius wraps request errors (validation, depth) in one error holding the list.
function flatten (errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap(e => {
    const inner = (e.originalError as WithErrors | undefined)?.errors
    if (!Array.isArray(inner) || isGatewayError(e.originalError)) return [e]
    return inner.map(i => i instanceof GraphQLError ? i : new GraphQLError((i as Error).message, { originalError: i as Error }))
  })
}

function extensionsOf (gw: GatewayError): Record<string, unknown> {
  return { ...gw.extensions, code: gw.code, status: gw.status, ...(gw.errors ? { errors: gw.errors } : {}) }
}

export function formatError (err: GraphQLError, gw: GatewayError = gatewayErrorOf(err)): GraphQLFormattedError {
  const formatted = err.toJSON()
  return { ...formatted, message: gw.message, extensions: extensionsOf(gw) }
}

interface FormatterContext { reply?: { log: Logger }, app: { log: Logger } }
interface Logger { error (obj: object, msg: string): void, info (obj: object, msg: string): void }

// mercurius errorFormatter: 200 when there is data (GraphQL over HTTP), else the status of the first error.
export function errorFormatter (execution: ExecutionResult & { statusCode?: number }, ctx: FormatterContext) {
  const log = ctx.reply?.log ?? ctx.app.log
  const errors = flatten(execution.errors ?? [])
  const mapped = errors.map(err => {
    const gw = gatewayErrorOf(err)
    if (gw.status >= 500) log.error({ err: err.originalError ?? err }, 'graphql resolver failed')
    else log.info({ code: gw.code, detail: gw.message }, 'graphql request rejected')
    return { gw, formatted: formatError(err, gw) }
  })
  const statusCode = execution.data ? 200 : mapped[0]?.gw.status ?? 200
  return { statusCode, response: { data: execution.data ?? null, errors: mapped.map(m => m.formatted) } }
}

// For errors that leave without passing the formatter (a subscription refused before its first event).
export function asGraphQLError (err: unknown): GraphQLError {
  if (err instanceof GraphQLError && err.extensions.code !== undefined) return err
  const gw = gatewayErrorOf(err)
  return new GraphQLError(gw.message, { originalError: gw, extensions: extensionsOf(gw) })
}

type Part = 'body' | 'querystring' | 'params' | 'headers'
const compiled = new WeakMap<TSchema, Map<Part, ReturnType<typeof validatorCompiler>>>()

// Validates with the REST route's TypeBox schema and Ajv settings, so the code and the field names
// (body.*, query.*, path.*, header.*) are the ones REST answers with. Returns the value with defaults applied.
export function validateInput<T> (schema: TSchema, value: unknown, part: Part): T {
  let byPart = compiled.get(schema)
  if (!byPart) compiled.set(schema, byPart = new Map())
  let validate = byPart.get(part)
  if (!validate) byPart.set(part, validate = validatorCompiler({ schema, httpPart: part, method: 'POST', url: '/graphql' }))
  const copy = value === undefined ? undefined : structuredClone(value)
  const result = validate(copy) as boolean | { error?: unknown }
  if (result === true || (typeof result === 'object' && !result.error)) return copy as T
  const issues = (validate as unknown as { errors?: unknown[] }).errors ?? []
  throw toGatewayError(Object.assign(new Error('validation failed'), { validation: issues, validationContext: part }))
}
