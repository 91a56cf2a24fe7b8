import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  BackupIdParams, CreateOadpRestoreSchema, DownloadUrlSchema, EncryptionKeySchema, OadpBackupNameParams, RestoreBackupSchema, ScheduleIdParams
} from '../../../../../../shared/backups/schemas.ts'
import { ClusterSchema } from '../../../../../../shared/clusters/schemas.ts'
import { problemResponse } from '../../../../schemas/problem.ts'
import { IdempotencyHeaders, sendWarnings } from '../../../../schemas/common.ts'

const tags = ['backups']

// Backups, schedules and OADP backups by id (registered under /api/v1).
const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  const { service, restore, schedules, oadp } = fastify.backups

  fastify.get('/backups/:id', {
    schema: { tags, summary: 'One backup', params: BackupIdParams, response: { 200: Type.Ref('Backup'), 404: problemResponse('No such backup') } }
  }, async (request) => await service.visible(request.principal!, request.params.id))

  fastify.delete('/backups/:id', {
    schema: { tags, summary: 'Delete a backup: its snapshot object, its key object and its catalogue entry', params: BackupIdParams, response: { 204: Type.Null({ description: 'Deleted' }), 404: problemResponse('No such backup') } }
  }, async (request, reply) => {
    await service.remove(request.principal!, request.params.id)
    return reply.code(204).send(null)
  })

  fastify.post('/backups/:id/download-url', {
    config: { role: 'admin' },
    schema: {
      tags,
      summary: 'A presigned GET URL of the snapshot (admin; expires after BACKUP_DOWNLOAD_URL_TTL_SECONDS, at most 1 h)',
      params: BackupIdParams,
      response: { 200: DownloadUrlSchema, 403: problemResponse('Needs the admin role'), 404: problemResponse('No such backup') }
    }
  }, async (request) => await service.downloadUrl(request.principal!, request.params.id))

  fastify.get('/backups/:id/encryption-key', {
    config: { role: 'admin' },
    schema: {
      tags,
      summary: 'The etcd AES-CBC key saved with the backup (admin): a new cluster needs it to read the snapshot',
      params: BackupIdParams,
      response: { 200: EncryptionKeySchema, 403: problemResponse('Needs the admin role'), 404: problemResponse('No such backup, or it has no key (KMS)') }
    }
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return await service.encryptionKey(request.principal!, request.params.id)
  })

  fastify.post('/backups/:id/restore', {
    config: { idempotent: true },
    schema: {
      tags,
      summary: 'Restore: into a new cluster (201 with the cluster) or, on premises, in place (202 with the job)',
      params: BackupIdParams,
      headers: IdempotencyHeaders,
      body: RestoreBackupSchema,
      response: {
        201: ClusterSchema,
        202: Type.Ref('Job'),
        404: problemResponse('No such backup or cluster'),
        409: problemResponse('The new name is taken, or a backup of the cluster is running'),
        422: problemResponse('No saved encryption key, or in place is not available on this platform')
      }
    }
  }, async (request, reply) => {
    const body = request.body
    if ('inPlace' in body) {
      const { job } = await restore.inPlace(request.principal!, request.params.id)
      return reply.code(202).header('location', job.links.self).send(job)
    }
    const { cluster, warnings } = await restore.toNewCluster(request.principal!, request.params.id, body.newCluster)
    sendWarnings(reply, warnings)
    return reply.code(201).header('location', `/api/v1/clusters/${body.newCluster.name}`).send(cluster)
  })

  fastify.get('/backup-schedules/:id', {
    schema: { tags, summary: 'One backup schedule', params: ScheduleIdParams, response: { 200: Type.Ref('BackupSchedule'), 404: problemResponse('No such schedule') } }
  }, async (request) => await schedules.get(request.principal!, request.params.id))

  fastify.delete('/backup-schedules/:id', {
    schema: { tags, summary: 'Stop and delete a backup schedule (its backups stay)', params: ScheduleIdParams, response: { 204: Type.Null({ description: 'Deleted' }), 404: problemResponse('No such schedule') } }
  }, async (request, reply) => {
    await schedules.remove(request.principal!, request.params.id)
    return reply.code(204).send(null)
  })

  fastify.post('/oadp-backups/:name/restore', {
    config: { idempotent: true },
    schema: {
      tags,
      summary: 'Restore from an OADP backup (Velero Restore CR), after the cluster was destroyed: answers 202 with the job',
      params: OadpBackupNameParams,
      headers: IdempotencyHeaders,
      body: CreateOadpRestoreSchema,
      response: { 202: Type.Ref('Job'), 404: problemResponse('No such OADP backup'), 409: problemResponse('Not completed, or the cluster still exists'), 422: problemResponse('OADP (velero.io) is not served here') }
    }
  }, async (request, reply) => {
    const { job } = await oadp.restore(request.principal!, request.params.name, request.body ?? {})
    return reply.code(202).header('location', job.links.self).send(job)
  })
}

export default routes
