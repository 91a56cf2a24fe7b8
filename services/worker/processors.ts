import type { JobPolicy } from '../../shared/jobs/policy.ts'
import { clusterDestroyJob } from './jobs/cluster-destroy.ts'
import { etcdSnapshotJob } from './jobs/etcd-snapshot.ts'
import { etcdRestoreJob } from './jobs/etcd-restore.ts'
import { oadpBackupJob } from './jobs/oadp-backup.ts'
import { oadpRestoreJob } from './jobs/oadp-restore.ts'
import { backupScheduleJob } from './jobs/backup-schedule.ts'
import { webhookDeliveryJob } from './jobs/webhook-delivery.ts'
import type { ProcessorDefinition } from './worker.ts'

// The job kinds this build can run. Each kind lives in its own module under services/worker/jobs/.
export const processors: ProcessorDefinition[] = [clusterDestroyJob, webhookDeliveryJob, etcdSnapshotJob, etcdRestoreJob, oadpBackupJob, oadpRestoreJob, backupScheduleJob]

// Stages and retry policy per kind, for the api side that submits the jobs.
export const jobPolicies: JobPolicy[] = processors.flatMap(p => p.policy ? [p.policy] : [])
