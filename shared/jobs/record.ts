import type { Job } from 'bullmq'
import type { JobKind } from './kinds.ts'
import { jobLinks } from './keys.ts'
import type { JobError, JobRecord, JobStage, JobState, JobTarget } from './schema.ts'

// What a job carries in BullMQ: data is written once at submit, progress by the runner as stages advance.
export interface JobData {
  kind: JobKind
  target: JobTarget
  params: Record<string, unknown>
  createdBy: string
  // Stage names known at submit, so a queued job already shows its plan.
  stages: string[]
  // Random per submit call: tells the caller whether its add created the job or found an existing one.
  submission: string
}

export interface StoredProgress {
  percent: number
  stage: string
  bytesDone?: number
  bytesTotal?: number
  message?: string
  updatedAt: string
  stages: JobStage[]
  // The last error (kept while a transient failure waits for its retry).
  error?: JobError
  cancelled?: CancelRequest
  // Values returned by finished stages, so an attempt that resumes after them can still build the result.
  outputs?: Record<string, unknown>
}

export interface CancelRequest {
  by: string
  at: string
}

export type BullState = Awaited<ReturnType<Job['getState']>>

export function initialProgress (stages: string[], at: string): StoredProgress {
  return {
    percent: 0,
    stage: stages[0] ?? '',
    updatedAt: at,
    stages: stages.map(name => ({ name, state: 'pending' as const }))
  }
}

export function isStoredProgress (value: unknown): value is StoredProgress {
  return !!value && typeof value === 'object' && Array.isArray((value as StoredProgress).stages)
}

export function mapState (bull: BullState, cancel: CancelRequest | null, progress: StoredProgress): JobState | undefined {
  switch (bull) {
    case 'completed': return 'succeeded'
    case 'failed': return progress.cancelled || cancel ? 'cancelled' : 'failed'
    case 'active': return cancel ? 'cancelling' : 'running'
    case 'unknown': return undefined
    // waiting, delayed (backing off before a retry), prioritized, waiting-children
    default: return cancel ? 'cancelling' : 'queued'
  }
}

const iso = (ms: number | undefined) => ms ? new Date(ms).toISOString() : undefined

// One place turns BullMQ's view of a job into the public record; REST, SSE and (later) GraphQL all use it.
export function toRecord (job: Job<JobData>, bull: BullState, cancel: CancelRequest | null): JobRecord | undefined {
  const data = job.data
  const progress = isStoredProgress(job.progress) ? job.progress : initialProgress(data.stages ?? [], iso(job.timestamp)!)
  const state = mapState(bull, cancel, progress)
  if (!state || !job.id) return undefined
  const running = state === 'running' || state === 'cancelling'
  const finished = state === 'succeeded' || state === 'failed' || state === 'cancelled'
  const record: JobRecord = {
    id: job.id,
    kind: data.kind,
    target: data.target,
    state,
    progress: {
      percent: progress.percent,
      stage: progress.stage,
      ...(progress.bytesDone !== undefined ? { bytesDone: progress.bytesDone } : {}),
      ...(progress.bytesTotal !== undefined ? { bytesTotal: progress.bytesTotal } : {}),
      ...(progress.message !== undefined ? { message: progress.message } : {}),
      updatedAt: progress.updatedAt
    },
    stages: progress.stages,
    // attemptsMade counts finished attempts; the one running now counts too.
    attempts: job.attemptsMade + (running ? 1 : 0),
    maxAttempts: job.opts.attempts ?? 1,
    createdBy: data.createdBy,
    createdAt: iso(job.timestamp)!,
    links: jobLinks(job.id)
  }
  const startedAt = iso(job.processedOn)
  if (startedAt) record.startedAt = startedAt
  if (finished) {
    const finishedAt = iso(job.finishedOn)
    if (finishedAt) record.finishedAt = finishedAt
  }
  if (state === 'succeeded') record.result = job.returnvalue
  if (progress.error) record.error = progress.error
  else if (state === 'failed') record.error = { code: 'GW_ERR_INTERNAL', message: job.failedReason || 'the job failed' }
  return record
}
