// The shape every Kubernetes object shares, as the issue 4 design fixes it. Custom objects come back from
// client-node as plain JSON, so spec/status stay loosely typed here and are narrowed where they are read.
export interface KubeObjectMeta {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  resourceVersion?: string
  uid?: string
  creationTimestamp?: string
  deletionTimestamp?: string
  generation?: number
  finalizers?: string[]
  ownerReferences?: object[]
}

export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: KubeObjectMeta
  spec?: any
  status?: any
  data?: Record<string, string>
  stringData?: Record<string, string>
  type?: string
}

// Cache and index key of an object: namespace/name ('' namespace for cluster-scoped kinds).
export function objectKey (namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`
}
