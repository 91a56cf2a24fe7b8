import type { FieldError } from '../../errors.ts'

// Kubernetes qualified names (label and annotation keys) and label values
// (k8s.io/apimachinery validation.IsQualifiedName / IsValidLabelValue).
const nameRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const prefixRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const valueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
// Total annotation size limit of the API server (TotalAnnotationSizeLimitB).
const ANNOTATIONS_MAX_BYTES = 256 * 1024

export function qualifiedNameErrors (key: string, field: string): FieldError[] {
  const slash = key.indexOf('/')
  const prefix = slash >= 0 ? key.slice(0, slash) : ''
  const name = slash >= 0 ? key.slice(slash + 1) : key
  if (slash >= 0 && (prefix.length === 0 || prefix.length > 253 || !prefixRe.test(prefix))) {
    return [{ field, message: `key "${key}": the prefix must be a DNS subdomain of at most 253 characters`, constraint: 'pattern' }]
  }
  if (name.length === 0 || name.length > 63 || !nameRe.test(name)) {
    return [{
      field,
      message: `key "${key}": the name must be 1-63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
      constraint: 'pattern'
    }]
  }
  return []
}

export function validateLabels (labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errors: FieldError[] = []
  for (const [key, value] of Object.entries(labels ?? {})) {
    errors.push(...qualifiedNameErrors(key, `${field}.${key}`))
    if (value.length > 63 || !valueRe.test(value)) {
      errors.push({
        field: `${field}.${key}`,
        message: "value must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
        constraint: 'pattern'
      })
    }
  }
  return errors
}

export function validateAnnotations (annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errors: FieldError[] = []
  let size = 0
  for (const [key, value] of Object.entries(annotations ?? {})) {
    errors.push(...qualifiedNameErrors(key, `${field}.${key}`))
    size += Buffer.byteLength(key) + Buffer.byteLength(value)
  }
  if (size > ANNOTATIONS_MAX_BYTES) {
    errors.push({ field, message: `annotations total ${size} bytes; the limit is ${ANNOTATIONS_MAX_BYTES}`, constraint: 'maxLength' })
  }
  return errors
}
