import type { KubeObject } from '../../kube/kube-object.ts'

export type { KubeObject }

export interface RenderOptions {
  // Reserved for timestamped output; hcp's render has none today, so it is accepted and unused.
  now?: Date
  // Source of the etcd AES-CBC key and the infra ID suffix; crypto.randomBytes when absent.
  random?: (bytes: number) => Buffer
  // What hcp finds on its own when --api-server-address is not given (the first management node's
  // ExternalDNS/ExternalIP/InternalIP, cmd/cluster/core/create.go GetAPIServerAddressByNode). The caller
  // looks it up; render stays pure.
  apiServerAddress?: string
  // Restore from an etcd snapshot (seed 002_ch7-17 §1.6): the URL goes to restoreSnapshotURL and the
  // encryption key Secret gets the ORIGINAL cluster's AES-CBC key instead of a fresh one.
  restore?: { snapshotURL: string, encryptionKey: Buffer }
}

// The objects `hcp create cluster <platform> --render --render-sensitive` prints, grouped by role.
// `objects` keeps hcp's print order (cmd/cluster/core/create.go resources.asObjects): Namespace,
// user-ca-bundle ConfigMap, pull secret, SSH key secret, platform resources, etcd encryption key,
// HostedCluster, NodePools.
export interface RenderedCluster {
  namespace: KubeObject
  configMaps: KubeObject[]
  secrets: KubeObject[]
  // Non-secret platform extras, e.g. the Agent capi-provider Role.
  resources: KubeObject[]
  hostedCluster: KubeObject
  nodePools: KubeObject[]
  objects: KubeObject[]
}

export interface PolicyRule {
  apiGroups: string[]
  resources: string[]
  verbs: string[]
}
