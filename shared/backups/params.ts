import { Type, type Static, type TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { GatewayError } from '../errors.ts'
import { STRATEGIES } from './catalogue.ts'

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
const Name = Type.String({ pattern: DNS_LABEL, maxLength: 63 })

// Where the api decided the backup goes. Only the location: the worker brings its own credentials.
export const StoreLocationSchema = Type.Object({
  bucket: Type.String({ minLength: 3, maxLength: 63 }),
  region: Type.String({ minLength: 1 }),
  endpoint: Type.Optional(Type.String({ minLength: 1 })),
  forcePathStyle: Type.Boolean()
}, { additionalProperties: false })
export type StoreLocation = Static<typeof StoreLocationSchema>

export const EtcdSnapshotParamsSchema = Type.Object({
  name: Name,
  namespace: Name,
  strategy: Type.Enum([...STRATEGIES]),
  store: StoreLocationSchema,
  note: Type.Optional(Type.String({ maxLength: 1024 })),
  scheduleId: Type.Optional(Type.String({ maxLength: 253 }))
}, { additionalProperties: false })
export type EtcdSnapshotParams = Static<typeof EtcdSnapshotParamsSchema>

export const EtcdRestoreParamsSchema = Type.Object({
  name: Name,
  namespace: Name,
  backupId: Type.String({ minLength: 1, maxLength: 253 }),
  objectKey: Type.String({ minLength: 1 }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  revision: Type.Optional(Type.Integer({ minimum: 0 })),
  store: StoreLocationSchema
}, { additionalProperties: false })
export type EtcdRestoreParams = Static<typeof EtcdRestoreParamsSchema>

export const OadpBackupParamsSchema = Type.Object({
  backupName: Name,
  oadpNamespace: Name,
  cluster: Name,
  namespace: Name,
  agentNamespace: Type.Optional(Name),
  storageLocation: Type.String({ minLength: 1 }),
  ttl: Type.String({ minLength: 1 })
}, { additionalProperties: false })
export type OadpBackupParams = Static<typeof OadpBackupParamsSchema>

export const OadpRestoreParamsSchema = Type.Object({
  restoreName: Name,
  backupName: Name,
  oadpNamespace: Name,
  existingResourcePolicy: Type.Enum(['none', 'update'])
}, { additionalProperties: false })
export type OadpRestoreParams = Static<typeof OadpRestoreParamsSchema>

export const BackupPruneParamsSchema = Type.Object({
  scheduleId: Type.String({ minLength: 1, maxLength: 253 }),
  strategy: Type.Enum([...STRATEGIES]),
  store: StoreLocationSchema
}, { additionalProperties: false })
export type BackupPruneParams = Static<typeof BackupPruneParamsSchema>

// Turns stored job params into typed ones; a bad shape fails the job at once (a 4xx never heals).
export function parseParams<S extends TSchema> (schema: S, kind: string, raw: Record<string, unknown>): Static<S> {
  if (!Value.Check(schema, raw)) {
    const detail = [...Value.Errors(schema, raw)].map(e => `${e.instancePath || '/'} ${e.message}`).join('; ')
    throw new GatewayError('GW_ERR_VALIDATION', `invalid ${kind} params: ${detail}`)
  }
  return raw as Static<S>
}

// One backup or restore of a cluster at a time, whichever kind: both stop the writers and pause it.
export function clusterJobKey (namespace: string, name: string): string {
  return `${namespace}.${name}`
}
