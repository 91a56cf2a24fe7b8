// Shared shapes of the twin API server.

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

export interface ObjectMeta {
  name?: string
  generateName?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  deletionGracePeriodSeconds?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  finalizers?: string[]
  ownerReferences?: OwnerReference[]
  [key: string]: unknown
}

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  spec?: unknown
  status?: unknown
  [key: string]: unknown
}

export interface ScaleSpec {
  specReplicasPath: string
  statusReplicasPath: string
  labelSelectorPath?: string
}

export interface PrinterColumn {
  name: string
  type: string
  jsonPath: string
  description?: string
  priority?: number
  format?: string
}

export interface ResourceInfo {
  group: string
  version: string
  plural: string
  singular: string
  kind: string
  listKind: string
  namespaced: boolean
  shortNames: string[]
  categories: string[]
  subresources: { status: boolean, scale?: ScaleSpec, approval?: boolean }
  // built-in kinds accept strategic merge patch; custom resources do not
  builtin: boolean
  readOnly: boolean
  // upstream sets metadata.generation only for some kinds (not configmaps, secrets, ...)
  generation: boolean
  // upstream answers DELETE with the object (pods, services) instead of a Success Status
  returnDeletedObject: boolean
  printerColumns: PrinterColumn[]
  // true when the validator owns this kind (schema + CEL + defaults)
  validated: boolean
}

export type Log = (level: 'info' | 'warn' | 'error', msg: string, extra?: object) => void

export function resourceKey (r: { group: string, plural: string }): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`
}

export function apiVersionOf (r: { group: string, version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`
}
