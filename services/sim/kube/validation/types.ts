// Shapes shared by the CRD validator: the subset of apiextensions.k8s.io/v1 JSONSchemaProps the
// structural-schema machinery reads, and the causes it reports.

export interface ValidationRule {
  rule: string
  message?: string
  messageExpression?: string
  reason?: string
  fieldPath?: string
  optionalOldSelf?: boolean
}

export interface Schema {
  type?: string
  format?: string
  nullable?: boolean
  default?: unknown
  enum?: unknown[]
  pattern?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: boolean
  exclusiveMaximum?: boolean
  multipleOf?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
  minProperties?: number
  maxProperties?: number
  required?: string[]
  properties?: Record<string, Schema>
  additionalProperties?: Schema | boolean
  items?: Schema
  allOf?: Schema[]
  anyOf?: Schema[]
  oneOf?: Schema[]
  not?: Schema
  'x-kubernetes-preserve-unknown-fields'?: boolean
  'x-kubernetes-embedded-resource'?: boolean
  'x-kubernetes-int-or-string'?: boolean
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map'
  'x-kubernetes-list-map-keys'?: string[]
  'x-kubernetes-map-type'?: 'atomic' | 'granular'
  'x-kubernetes-validations'?: ValidationRule[]
}

// One path step into an object: a property name / map key (string) or a list index (number).
export type PathSegment = string | number

// Mirrors field.ErrorType as the StatusCause reason the API server reports.
export type CauseReason =
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'InternalError'

export interface ValidationCause { reason: string; message: string; field: string }

// A cause plus where it was found, so ratcheting can compare the value there with the old object.
export interface LocatedCause extends ValidationCause {
  at: PathSegment[]
  // CEL rules that read oldSelf are never ratcheted.
  transition?: boolean
}

export type JsonObject = Record<string, unknown>

export function isObject (v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
