import { Type, type Static } from 'typebox'
import { ErrorCodes, type ErrorCode } from '../errors.ts'
import { allJobKinds } from './kinds.ts'

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelling', 'cancelled'] as const
export type JobState = typeof JOB_STATES[number]

export const FINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled']

export function isFinalState (state: JobState): boolean {
  return FINAL_JOB_STATES.includes(state)
}

export const STAGE_STATES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const
export type StageState = typeof STAGE_STATES[number]

export const JobTargetSchema = Type.Object({
  type: Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'What the job acts on: cluster, nodepool, infraenv, ...' }),
  name: Type.String({ minLength: 1, maxLength: 253 }),
  namespace: Type.Optional(Type.String({ minLength: 1, maxLength: 63 }))
}, { additionalProperties: false })

export const JobProgressSchema = Type.Object({
  percent: Type.Number({ minimum: 0, maximum: 100 }),
  stage: Type.String({ description: 'The stage running now (or the last one run)' }),
  bytesDone: Type.Optional(Type.Integer({ minimum: 0 })),
  bytesTotal: Type.Optional(Type.Integer({ minimum: 0 })),
  message: Type.Optional(Type.String()),
  updatedAt: Type.String({ format: 'date-time' })
})

export const JobStageSchema = Type.Object({
  name: Type.String(),
  state: Type.Enum([...STAGE_STATES]),
  startedAt: Type.Optional(Type.String({ format: 'date-time' })),
  finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
  message: Type.Optional(Type.String())
})

export const JobErrorSchema = Type.Object({
  code: Type.Enum(Object.keys(ErrorCodes), { description: 'Stable GW_ERR_* code' }),
  message: Type.String()
})

export const JobLinksSchema = Type.Object({
  self: Type.String(),
  events: Type.String({ description: 'text/event-stream of this job\'s record until it ends' }),
  cancel: Type.String(),
  retry: Type.String()
})

// The operation resource (cf. ROSA trusted-action Execution): one long piece of work, its stages and outcome.
export const JobSchema = Type.Object({
  id: Type.String({ description: '<kind>.<key>; stable for natural keys such as cluster-destroy.<namespace>.<name>' }),
  kind: Type.Enum([...allJobKinds]),
  target: JobTargetSchema,
  state: Type.Enum([...JOB_STATES]),
  progress: JobProgressSchema,
  stages: Type.Array(JobStageSchema),
  attempts: Type.Integer({ minimum: 0, description: 'Attempts started so far (retries after transient errors included)' }),
  maxAttempts: Type.Integer({ minimum: 1 }),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Optional(Type.String({ format: 'date-time' })),
  finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
  result: Type.Optional(Type.Unknown()),
  error: Type.Optional(JobErrorSchema),
  links: JobLinksSchema
}, { $id: 'Job' })

export type JobTarget = Static<typeof JobTargetSchema>
export type JobProgress = Static<typeof JobProgressSchema>
export type JobStage = Static<typeof JobStageSchema>
export interface JobError { code: ErrorCode, message: string }
export type JobRecord = Static<typeof JobSchema>
