import { GatewayError } from '../errors.ts'

export type QueryParam = 'search' | 'order' | 'limit' | 'continue'

// Every list-parameter problem is a 400 problem+json with one per-field error on query.<param>.
export function queryError (param: QueryParam, message: string, constraint: string): GatewayError {
  return new GatewayError('GW_ERR_VALIDATION', `Invalid ${param}: ${message}`, {
    errors: [{ field: `query.${param}`, message, constraint }]
  })
}
