import type { KubeObject } from '../kube/kube-object.ts'

// OADP (seed 002_ch7-17 §2.4): Velero Backup and Restore CRs in the OADP namespace.
export const VELERO = { group: 'velero.io', version: 'v1' } as const

// §2.4.1 (AWS) with the bare-metal extras of §2.4.2 (services, deployments) that the 4.22 automated flow also adds.
export const CONTROL_PLANE_RESOURCES = [
  'sa', 'role', 'rolebinding', 'pod', 'pvc', 'pv', 'bmh', 'configmap', 'infraenv', 'priorityclasses', 'pdb', 'agents',
  'hostedcluster', 'nodepool', 'secrets', 'services', 'deployments', 'hostedcontrolplane', 'cluster', 'agentcluster',
  'agentmachinetemplate', 'agentmachine', 'machinedeployment', 'machineset', 'machine'
] as const

export interface VeleroBackupInput {
  name: string
  oadpNamespace: string
  hostedClusterNamespace: string
  controlPlaneNamespace: string
  // Bare metal / agent: the namespace of the Agent, BMH and InfraEnv CRs (§2.4.2 callout 5).
  agentNamespace?: string
  storageLocation: string
  ttl: string
  defaultVolumesToFsBackup: boolean
  labels?: Record<string, string>
}

export function veleroBackupManifest (i: VeleroBackupInput): KubeObject {
  return {
    apiVersion: `${VELERO.group}/${VELERO.version}`,
    kind: 'Backup',
    metadata: { name: i.name, namespace: i.oadpNamespace, labels: { 'velero.io/storage-location': i.storageLocation, ...i.labels } },
    spec: {
      hooks: {},
      includedNamespaces: [i.hostedClusterNamespace, i.controlPlaneNamespace, ...(i.agentNamespace ? [i.agentNamespace] : [])],
      includedResources: [...CONTROL_PLANE_RESOURCES],
      excludedResources: [],
      storageLocation: i.storageLocation,
      ttl: i.ttl,
      snapshotMoveData: true,
      datamover: 'velero',
      defaultVolumesToFsBackup: i.defaultVolumesToFsBackup
    }
  }
}

export interface VeleroRestoreInput {
  name: string
  oadpNamespace: string
  backupName: string
  existingResourcePolicy: 'none' | 'update'
  labels?: Record<string, string>
}

// §2.4.3: restore into the same management cluster, after the hosted cluster was deleted.
export function veleroRestoreManifest (i: VeleroRestoreInput): KubeObject {
  return {
    apiVersion: `${VELERO.group}/${VELERO.version}`,
    kind: 'Restore',
    metadata: { name: i.name, namespace: i.oadpNamespace, ...(i.labels ? { labels: i.labels } : {}) },
    spec: {
      backupName: i.backupName,
      restorePVs: true,
      existingResourcePolicy: i.existingResourcePolicy,
      excludedResources: ['nodes', 'events', 'events.events.k8s.io', 'backups.velero.io', 'restores.velero.io', 'resticrepositories.velero.io']
    }
  }
}

export type PhaseOutcome = 'running' | 'succeeded' | 'failed'

// Velero phases (§2.6). PartiallyFailed ends the work but not well: reported as a failure with its counts.
export function veleroPhaseOutcome (phase: string | undefined): PhaseOutcome {
  switch (phase) {
    case 'Completed': return 'succeeded'
    case 'Failed':
    case 'FailedValidation':
    case 'PartiallyFailed':
      return 'failed'
    default: return 'running'
  }
}

export function veleroPercent (status: { progress?: { totalItems?: number, itemsBackedUp?: number, itemsRestored?: number } } | undefined): number | undefined {
  const p = status?.progress
  const done = p?.itemsBackedUp ?? p?.itemsRestored
  if (!p?.totalItems || done === undefined) return undefined
  return Math.min(100, done / p.totalItems * 100)
}
