// Minimal shapes of the objects the HyperShift twin reads and writes. Custom objects come back from
// CustomObjectsApi as plain JSON, so these types describe only the fields the controllers touch.

export interface ObjectMeta {
  name: string
  namespace?: string
  uid?: string
  generation?: number
  resourceVersion?: string
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  finalizers?: string[]
}

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  lastTransitionTime: string
  observedGeneration?: number
  severity?: string
}

export interface ServicePublishing {
  service: string
  servicePublishingStrategy?: {
    type?: string
    route?: { hostname?: string }
    loadBalancer?: { hostname?: string }
    nodePort?: { address?: string, port?: number }
  }
}

export interface HostedCluster {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec: {
    release: { image: string }
    pausedUntil?: string
    controllerAvailabilityPolicy?: string
    platform: { type: string, aws?: { region?: string } }
    dns?: { baseDomain?: string }
    services?: ServicePublishing[]
    channel?: string
    infraID?: string
    [key: string]: unknown
  }
  status?: HostedClusterStatus
}

export interface ReleaseRef { image: string, version: string }

export interface VersionHistoryEntry {
  state: 'Partial' | 'Completed'
  version: string
  image: string
  startedTime: string
  completionTime: string | null
  verified: boolean
}

export interface HostedClusterStatus {
  conditions?: Condition[]
  version?: {
    availableUpdates: null
    desired: ReleaseRef
    history?: VersionHistoryEntry[]
    observedGeneration: number
  }
  controlPlaneVersion?: {
    desired: ReleaseRef
    history?: Array<{ state: 'Partial' | 'Completed', version: string, image: string, startedTime: string, completionTime?: string }>
    observedGeneration?: number
  }
  controlPlaneEndpoint?: { host: string, port: number }
  kubeconfig?: { name: string }
  kubeadminPassword?: { name: string }
  ignitionEndpoint?: string
  payloadArch?: string
  [key: string]: unknown
}

export interface NodeVersionInfo {
  ocpVersion: string
  kubeletVersion: string
  readyNodeCount: number
  unreadyNodeCount: number
}

export interface NodePool {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec: {
    clusterName: string
    release: { image: string }
    replicas?: number
    autoScaling?: { min: number, max: number }
    arch?: string
    pausedUntil?: string
    config?: unknown[]
    management: {
      upgradeType?: 'Replace' | 'InPlace'
      autoRepair?: boolean
      replace?: { strategy?: string, rollingUpdate?: { maxSurge?: number | string, maxUnavailable?: number | string } }
      inPlace?: { maxUnavailable?: number | string }
    }
    platform: { type: string, aws?: { instanceType?: string }, [key: string]: unknown }
    [key: string]: unknown
  }
  status?: {
    conditions?: Condition[]
    replicas?: number
    version?: string
    nodesInfo?: { nodeVersions: NodeVersionInfo[] }
    [key: string]: unknown
  }
}

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, extra?: object) => void
