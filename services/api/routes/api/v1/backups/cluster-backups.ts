import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { BackupListQuery, BackupListSchema, CreateBackupSchema, CreateOadpBackupSchema, CreateScheduleSchema } from '../../../../../../shared/backups/schemas.ts'
import { problemResponse } from '../../../../schemas/problem.ts'
import { IdempotencyHeaders, NameSchema } from '../../../../schemas/common.ts'

const Params = Type.Object({ name: NameSchema })

// Backups, schedules and OADP backups of one cluster (registered under /api/v1/clusters).
const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  const { service, schedules, oadp } = fastify.backups

  fastify.post('/:name/backups', {
    config: { idempotent: true },
    schema: {
      tags: ['backups'],
      summary: 'Take an etcd snapshot to object storage: answers 202 with the job (one backup per cluster at a time)',
      params: Params,
      headers: IdempotencyHeaders,
      body: CreateBackupSchema,
      response: {
        202: Type.Ref('Job'),
        404: problemResponse('No such cluster'),
        409: problemResponse('Being deleted, or an in-place restore is running'),
        422: problemResponse('The requested strategy is not available')
      }
    }
  }, async (request, reply) => {
    const { job } = await service.create(request.principal!, request.params.name, request.body ?? {})
    return reply.code(202).header('location', job.links.self).send(job)
  })

  fastify.get('/:name/backups', {
    schema: {
      tags: ['backups'],
      summary: 'The backups of a cluster, newest first (also after the cluster was deleted)',
      params: Params,
      querystring: BackupListQuery,
      response: { 200: BackupListSchema, 400: problemResponse('Bad continue token'), 404: problemResponse('No such cluster and no backups of it') }
    }
  }, async (request) => {
    return await service.list(request.principal!, request.params.name, { limit: request.query.limit ?? 100, continue: request.query.continue })
  })

  fastify.post('/:name/backup-schedules', {
    config: { idempotent: true },
    schema: {
      tags: ['backups'],
      summary: 'Back the cluster up on a cron schedule and prune by retention',
      params: Params,
      headers: IdempotencyHeaders,
      body: CreateScheduleSchema,
      response: { 201: Type.Ref('BackupSchedule'), 400: problemResponse('Bad cron, time zone or retention'), 404: problemResponse('No such cluster') }
    }
  }, async (request, reply) => {
    const created = await schedules.create(request.principal!, request.params.name, request.body)
    return reply.code(201).header('location', `/api/v1/backup-schedules/${created.id}`).send(created)
  })

  fastify.get('/:name/backup-schedules', {
    schema: {
      tags: ['backups'],
      summary: 'The backup schedules of a cluster, with their last run and missed runs',
      params: Params,
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('BackupSchedule')) }), 404: problemResponse('No such cluster') }
    }
  }, async (request) => {
    return { items: await schedules.list(request.principal!, request.params.name) }
  })

  fastify.post('/:name/oadp-backups', {
    config: { idempotent: true },
    schema: {
      tags: ['backups'],
      summary: 'Back up the control plane with OADP (Velero Backup CR): answers 202 with the job that follows it',
      params: Params,
      headers: IdempotencyHeaders,
      body: CreateOadpBackupSchema,
      response: { 202: Type.Ref('Job'), 404: problemResponse('No such cluster'), 422: problemResponse('OADP (velero.io) is not served here') }
    }
  }, async (request, reply) => {
    const { job } = await oadp.backup(request.principal!, request.params.name, request.body ?? {})
    return reply.code(202).header('location', job.links.self).send(job)
  })
}

export default routes
