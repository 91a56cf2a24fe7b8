import { OadpRestoreParamsSchema, parseParams, type OadpRestoreParams } from '../../../shared/backups/params.ts'
import { veleroRestoreManifest } from '../../../shared/backups/velero.ts'
import { JobKinds } from '../../../shared/jobs/kinds.ts'
import { defineJob, type JobContext } from './define-job.ts'
import { createOnce, followPhase } from './oadp-backup.ts'

type Ctx = JobContext<OadpRestoreParams>

// OADP restore into the same management cluster (seed §2.4.3), followed to Completed.
export const oadpRestoreJob = defineJob<OadpRestoreParams>({
  kind: JobKinds.oadpRestore,
  attempts: 3,
  params: raw => parseParams(OadpRestoreParamsSchema, 'oadp-restore', raw),
  stages: [
    {
      name: 'create-restore',
      run: (ctx: Ctx) => createOnce(ctx as JobContext<unknown>, 'restores', veleroRestoreManifest({
        name: ctx.params.restoreName,
        oadpNamespace: ctx.params.oadpNamespace,
        backupName: ctx.params.backupName,
        existingResourcePolicy: ctx.params.existingResourcePolicy
      }))
    },
    { name: 'wait-completed', weight: 8, run: (ctx: Ctx) => followPhase(ctx as JobContext<unknown>, 'restores', ctx.params.oadpNamespace, ctx.params.restoreName) }
  ],
  result: outputs => ({ restoreName: (outputs['create-restore'] as { name: string }).name, ...(outputs['wait-completed'] as object) })
})
