import type { FieldError } from '../../errors.ts'

// Kubernetes DNS-1123 label (k8s.io/apimachinery validation.IsDNS1123Label): hcp validates the
// HostedCluster name with exactly this (cmd/cluster/core/create.go Validate).
export const DNS1123_LABEL_MAX = 63
export const DNS1123_SUBDOMAIN_MAX = 253
const labelRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const subdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

// The seed docs (002_ch4.md §1.2) forbid this name: it collides with the default HostedCluster namespace.
export const RESERVED_CLUSTER_NAMES = ['clusters'] as const

export function isDns1123Label (value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && labelRe.test(value)
}

export function isDns1123Subdomain (value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && subdomainRe.test(value)
}

// Same wording as apimachinery so users recognise the rule from oc/kubectl.
export function dns1123LabelErrors (value: string, field: string): FieldError[] {
  if (value.length === 0) return [{ field, message: 'must not be empty', constraint: 'required' }]
  const errors: FieldError[] = []
  if (value.length > DNS1123_LABEL_MAX) {
    errors.push({ field, message: `must be no more than ${DNS1123_LABEL_MAX} characters`, constraint: 'maxLength' })
  }
  if (!labelRe.test(value)) {
    errors.push({
      field,
      message: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')",
      constraint: 'pattern'
    })
  }
  return errors
}

export function dns1123SubdomainErrors (value: string, field: string): FieldError[] {
  if (value.length === 0) return [{ field, message: 'must not be empty', constraint: 'required' }]
  const errors: FieldError[] = []
  if (value.length > DNS1123_SUBDOMAIN_MAX) {
    errors.push({ field, message: `must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`, constraint: 'maxLength' })
  }
  if (!subdomainRe.test(value)) {
    errors.push({
      field,
      message: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
      constraint: 'pattern'
    })
  }
  return errors
}

// The HyperShift operator runs the control plane in "<namespace>-<name>" (002_ch4.md §1.3), so that
// string has to be a valid namespace name as well.
export function hostedControlPlaneNamespace (namespace: string, clusterName: string): string {
  return `${namespace}-${clusterName}`
}

export function validateClusterName (name: string, field = 'body.name'): FieldError[] {
  const errors = dns1123LabelErrors(name, field)
  if ((RESERVED_CLUSTER_NAMES as readonly string[]).includes(name)) {
    errors.push({ field, message: `"${name}" is reserved: do not use it as a hosted cluster name`, constraint: 'reserved' })
  }
  return errors
}

export function validateNamespace (namespace: string, clusterName: string, field = 'body.namespace'): FieldError[] {
  const errors = dns1123LabelErrors(namespace, field)
  if (errors.length > 0) return errors
  // Known issue (002_ch1-3.md §1.1.3): a HostedCluster whose namespace equals its name breaks the
  // control-plane namespace layout.
  if (namespace === clusterName) {
    errors.push({ field, message: 'must differ from the hosted cluster name', constraint: 'notEqual' })
  }
  const hcpNamespace = hostedControlPlaneNamespace(namespace, clusterName)
  if (clusterName.length > 0 && hcpNamespace.length > DNS1123_LABEL_MAX) {
    errors.push({
      field,
      message: `the control plane namespace "${hcpNamespace}" (<namespace>-<name>) would be ${hcpNamespace.length} characters; namespace and name together must fit in ${DNS1123_LABEL_MAX - 1}`,
      constraint: 'maxLength'
    })
  }
  return errors
}

// NodePool names end up in machine and node names; hcp builds "<cluster>-<zone>" for AWS.
export function validateNodePoolName (name: string, field = 'body.name'): FieldError[] {
  return dns1123LabelErrors(name, field)
}
