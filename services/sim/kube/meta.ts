// Object metadata validation (ValidateObjectMeta): names, namespaces, labels, annotations, finalizers.
import type { FieldError } from './status.ts'
import type { KubeObject } from './types.ts'

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

export type NameRule = 'subdomain' | 'label' | 'dns1035'

const invalidValue = (field: string, value: string, detail: string): FieldError =>
  ({ reason: 'FieldValueInvalid', field, message: `Invalid value: "${value}": ${detail}` })

export function nameErrors (name: string, rule: NameRule, field = 'metadata.name'): FieldError[] {
  const max = rule === 'subdomain' ? 253 : 63
  const [re, msg] = rule === 'subdomain' ? [DNS1123_SUBDOMAIN, SUBDOMAIN_MSG] : rule === 'label' ? [DNS1123_LABEL, LABEL_MSG] : [DNS1035_LABEL, DNS1035_MSG]
  const errs: FieldError[] = []
  if (name.length > max) errs.push(invalidValue(field, name, `must be no more than ${max} characters`))
  if (!re.test(name)) errs.push(invalidValue(field, name, msg))
  return errs
}

function qualifiedNameErrors (key: string, field: string): FieldError[] {
  const slash = key.lastIndexOf('/')
  const prefix = slash >= 0 ? key.slice(0, slash) : ''
  const name = slash >= 0 ? key.slice(slash + 1) : key
  if ((slash >= 0 && !DNS1123_SUBDOMAIN.test(prefix)) || !NAME_PART.test(name) || name.length > 63 || key.split('/').length > 2) {
    return [invalidValue(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")]
  }
  return []
}

export function validateMeta (obj: KubeObject, opts: { nameRule: NameRule, namespaced: boolean }): FieldError[] {
  const m = obj.metadata
  const errs: FieldError[] = []
  if (typeof m.name !== 'string' || m.name === '') {
    errs.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' })
  } else errs.push(...nameErrors(m.name, opts.nameRule))
  if (opts.namespaced && typeof m.namespace === 'string') errs.push(...nameErrors(m.namespace, 'label', 'metadata.namespace'))
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    errs.push(...qualifiedNameErrors(k, 'metadata.labels'))
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      errs.push(invalidValue('metadata.labels', String(v), "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"))
    }
  }
  let annotationBytes = 0
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    errs.push(...qualifiedNameErrors(k.toLowerCase(), 'metadata.annotations'))
    annotationBytes += k.length + String(v).length
  }
  if (annotationBytes > 256 * 1024) errs.push({ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes' })
  for (const [i, f] of (m.finalizers ?? []).entries()) errs.push(...qualifiedNameErrors(f, `metadata.finalizers[${i}]`))
  return errs
}

export function nameRuleFor (plural: string): NameRule {
  if (plural === 'namespaces') return 'label'
  if (plural === 'services') return 'dns1035'
  return 'subdomain'
}

// upstream's generateName suffix alphabet (k8s.io/apimachinery/pkg/util/rand) avoids vowels and look-alikes
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

export function generateSuffix (): string {
  let s = ''
  for (let i = 0; i < 5; i++) s += ALPHANUMS[Math.floor(Math.random() * ALPHANUMS.length)]
  return s
}

export function now (): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}
