import { Type } from 'typebox'
import { CreateClusterSchema } from '../hypershift/render/create-cluster-schema.ts'
import { BACKUP_ID_PATTERN, STRATEGIES } from './catalogue.ts'

// REST shapes of the backup API; the records themselves are in catalogue.ts and schedule.ts.
export const BackupIdParams = Type.Object({ id: Type.String({ pattern: BACKUP_ID_PATTERN, maxLength: 253, description: 'Backup id, e.g. demo-20261122t001633z-a1b2c3' }) })

export const CreateBackupSchema = Type.Object({
  strategy: Type.Optional(Type.Enum([...STRATEGIES], { description: 'exec: etcdctl in etcd-0 with the writers stopped; hcpetcdbackup: HyperShift\'s HCPEtcdBackup (default when served and configured)' })),
  note: Type.Optional(Type.String({ maxLength: 1024 }))
}, { additionalProperties: false })

export const BackupSchema = Type.Object({
  id: Type.String(),
  cluster: Type.String(),
  namespace: Type.String(),
  bucket: Type.String(),
  objectKey: Type.String(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  size: Type.Integer({ minimum: 0 }),
  revision: Type.Optional(Type.Integer({ minimum: 0, description: 'etcd revision of the snapshot (exec strategy)' })),
  etcdHash: Type.Optional(Type.Integer({ minimum: 0 })),
  jobId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  strategy: Type.Enum([...STRATEGIES]),
  encryptionKeyObject: Type.Optional(Type.String({ description: 'Object holding the cluster\'s AES-CBC key (admin only through /encryption-key)' })),
  note: Type.Optional(Type.String()),
  scheduleId: Type.Optional(Type.String())
}, { $id: 'Backup' })

export const BackupListSchema = Type.Object({
  items: Type.Array(Type.Ref('Backup')),
  continue: Type.Optional(Type.String({ description: 'Token for the next (older) page' }))
})

export const BackupListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  continue: Type.Optional(Type.String({ maxLength: 2000 }))
}, { additionalProperties: false })

export const DownloadUrlSchema = Type.Object({
  url: Type.String({ description: 'Presigned GET URL' }),
  expiresAt: Type.String({ format: 'date-time' }),
  sha256: Type.String(),
  size: Type.Integer({ minimum: 0 })
})

export const EncryptionKeySchema = Type.Object({
  key: Type.String({ description: 'The AES-CBC key, base64' }),
  encoding: Type.Literal('base64'),
  secretKey: Type.Literal('key', { description: 'The Secret data key HyperShift reads it from' })
})

export const RestoreBackupSchema = Type.Union([
  Type.Object({ newCluster: CreateClusterSchema }, { additionalProperties: false, description: 'Create a new hosted cluster whose etcd starts from the snapshot (every platform)' }),
  Type.Object({ inPlace: Type.Literal(true) }, { additionalProperties: false, description: 'Restore the backup\'s own on-premises cluster (§1.4 procedure), as a job' })
])

const RetentionSchema = Type.Object({
  keepLast: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  maxAgeDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 }))
}, { additionalProperties: false })

export const CreateScheduleSchema = Type.Object({
  cron: Type.String({ minLength: 1, maxLength: 200, description: 'Cron expression (5 fields, or 6 with seconds)' }),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone (default UTC)' })),
  retention: RetentionSchema,
  strategy: Type.Optional(Type.Enum([...STRATEGIES]))
}, { additionalProperties: false })

export const ScheduleSchema = Type.Object({
  id: Type.String(),
  cluster: Type.String(),
  namespace: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  retention: RetentionSchema,
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  lastRunAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastResult: Type.Optional(Type.Enum(['succeeded', 'failed'])),
  lastError: Type.Optional(Type.String()),
  lastBackupId: Type.Optional(Type.String()),
  nextRunAt: Type.String({ format: 'date-time' }),
  missedRuns: Type.Integer({ minimum: 0, description: 'Fire times since the last recorded run whose whole period passed without a run' })
}, { $id: 'BackupSchedule' })

export const ScheduleIdParams = Type.Object({ id: Type.String({ pattern: BACKUP_ID_PATTERN, maxLength: 253 }) })

export const OadpBackupNameParams = Type.Object({ name: Type.String({ pattern: BACKUP_ID_PATTERN, maxLength: 63 }) })

export const CreateOadpBackupSchema = Type.Object({
  agentNamespace: Type.Optional(Type.String({ pattern: BACKUP_ID_PATTERN, maxLength: 63, description: 'Bare metal: namespace of the Agent, BMH and InfraEnv CRs' }))
}, { additionalProperties: false })

export const CreateOadpRestoreSchema = Type.Object({
  existingResourcePolicy: Type.Optional(Type.Enum(['none', 'update'], { default: 'update' }))
}, { additionalProperties: false })
