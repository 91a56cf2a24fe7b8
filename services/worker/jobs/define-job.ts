import { UnrecoverableError, WaitingError, type Job } from 'bullmq'
import type { KubeConfig } from '@kubernetes/client-node'
import type { Config } from '../../../shared/config.ts'
import { GatewayError } from '../../../shared/errors.ts'
import { jobKeys } from '../../../shared/jobs/keys.ts'
import type { JobKind } from '../../../shared/jobs/kinds.ts'
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, type JobPolicy } from '../../../shared/jobs/policy.ts'
import { initialProgress, isStoredProgress, type CancelRequest, type JobData, type StoredProgress } from '../../../shared/jobs/record.ts'
import type { JobError, JobTarget } from '../../../shared/jobs/schema.ts'
import type { ProcessorDefinition, WorkerDeps, WorkerLog } from '../worker.ts'
import { classifyError } from './errors.ts'
import { DEFAULT_THROTTLE, createProgressReporter, type ProgressThrottle, type ProgressUpdate } from './progress.ts'

export interface JobContext<P> {
  id: string
  kind: JobKind
  params: P
  target: JobTarget
  createdBy: string
  // 1 for the first attempt; BullMQ retries after transient errors and stalled-job recovery add more.
  attempt: number
  // Aborts on cancel, worker shutdown or the job's time limit: pass it to every call that can wait.
  signal: AbortSignal
  kube: KubeConfig
  config: Config
  log: WorkerLog
  // Values returned by earlier stages, including those finished in earlier attempts.
  outputs: Record<string, unknown>
  progress (update: ProgressUpdate): void
}

export interface StageDefinition<P> {
  name: string
  // Share of the job's percent (default 1).
  weight?: number
  // Must be re-entrant: an attempt resumed after a crash runs the first unfinished stage again.
  run (ctx: JobContext<P>): Promise<unknown>
}

export interface JobDefinition<P, R> {
  kind: JobKind
  stages: StageDefinition<P>[]
  attempts?: number
  backoff?: { delay: number, jitter: number }
  // Per attempt; 0 = none.
  timeoutMs?: number
  // Turns the stored params into typed ones; throw a 4xx GatewayError for bad input (fails at once).
  params?: (raw: Record<string, unknown>) => P
  result?: (outputs: Record<string, unknown>, ctx: JobContext<P>) => R | Promise<R>
  onCancel?: (ctx: JobContext<P>, request: CancelRequest) => Promise<void>
  onFail?: (ctx: JobContext<P>, error: JobError) => Promise<void>
  options?: ProcessorDefinition['options']
  throttle?: ProgressThrottle
}

// Cleanup hooks run after the job's own signal fired, so they get a fresh one with a bound of their own.
const CLEANUP_TIMEOUT_MS = 60_000

// Keeps the stages an earlier attempt finished; everything else starts over.
function resume (stored: unknown, names: string[], at: string): StoredProgress {
  const fresh = initialProgress(names, at)
  if (!isStoredProgress(stored)) return fresh
  const done = new Map(stored.stages.filter(s => s.state === 'succeeded').map(s => [s.name, s]))
  return {
    ...fresh,
    stages: names.map(name => done.get(name) ?? { name, state: 'pending' as const }),
    ...(stored.outputs ? { outputs: stored.outputs } : {})
  }
}

export function defineJob<P = Record<string, unknown>, R = unknown> (def: JobDefinition<P, R>): ProcessorDefinition & { policy: JobPolicy } {
  const names = def.stages.map(s => s.name)
  if (new Set(names).size !== names.length) throw new Error(`job ${def.kind} has duplicate stage names`)
  const weights = def.stages.map(s => s.weight ?? 1)
  const policy: JobPolicy = {
    kind: def.kind,
    stages: names,
    attempts: def.attempts ?? DEFAULT_ATTEMPTS,
    backoff: def.backoff ?? DEFAULT_BACKOFF
  }

  async function processor (job: Job, token: string | undefined, bullSignal: AbortSignal | undefined, deps: WorkerDeps): Promise<unknown> {
    const data = job.data as JobData
    const id = job.id!
    const cancelKey = jobKeys(deps.prefix).cancel(id)
    const readCancel = async (): Promise<CancelRequest | null> => {
      const raw = await deps.redis.get(cancelKey)
      return raw ? JSON.parse(raw) as CancelRequest : null
    }
    const progress = resume(job.progress, names, new Date().toISOString())
    const outputs: Record<string, unknown> = { ...progress.outputs }
    const doneWeight = weights.reduce((sum, w, i) => progress.stages[i].state === 'succeeded' ? sum + w : sum, 0)
    progress.percent = Math.round(doneWeight / (weights.reduce((a, b) => a + b, 0) || 1) * 1000) / 10
    const reporter = createProgressReporter(progress, weights, p => job.updateProgress(p),
      err => deps.log('warn', `job ${id}: progress not stored`, { err: err.message }), def.throttle ?? DEFAULT_THROTTLE)

    const controller = new AbortController()
    const forward = () => controller.abort(bullSignal?.reason)
    bullSignal?.addEventListener('abort', forward, { once: true })
    let timedOut = false
    const timer = def.timeoutMs
      ? setTimeout(() => { timedOut = true; controller.abort(new Error('time limit')) }, def.timeoutMs)
      : undefined

    const makeContext = (signal: AbortSignal, params: P): JobContext<P> => ({
      id,
      kind: def.kind,
      params,
      target: data.target,
      createdBy: data.createdBy,
      attempt: job.attemptsMade + 1,
      signal,
      get kube (): KubeConfig {
        if (!deps.kubeConfig) throw new GatewayError('GW_ERR_INTERNAL', 'this worker was started without a Kubernetes configuration')
        return deps.kubeConfig
      },
      config: deps.config,
      log: deps.log,
      outputs,
      progress: u => reporter.update(u)
    })
    let ctx = makeContext(controller.signal, data.params as P)
    const cleanupContext = () => makeContext(AbortSignal.timeout(CLEANUP_TIMEOUT_MS), ctx.params)

    async function endCancelled (request: CancelRequest): Promise<never> {
      if (reporter.current >= 0 && progress.stages[reporter.current].state === 'running') {
        await reporter.finishStage(reporter.current, 'cancelled', `cancelled by ${request.by}`)
      }
      reporter.markRest(0, 'cancelled')
      progress.cancelled = request
      progress.message = `cancelled by ${request.by}`
      await reporter.flush()
      if (def.onCancel) {
        await def.onCancel(cleanupContext(), request)
          .catch(err => deps.log('warn', `job ${id}: cancel cleanup failed`, { err: (err as Error).message }))
      }
      throw new UnrecoverableError(`cancelled by ${request.by}`)
    }

    // After an abort: a cancel ends the job as cancelled, a shutdown hands it back to the queue (without
    // using up an attempt); a time limit or any other error is returned to be recorded as the failure.
    async function interpret (err: unknown): Promise<unknown> {
      if (!controller.signal.aborted) return err
      if (timedOut) return new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', `${def.kind} attempt did not finish within ${def.timeoutMs} ms`, { cause: err })
      const cancel = await readCancel()
      if (cancel) return endCancelled(cancel)
      if (token) {
        if (reporter.current >= 0) await reporter.finishStage(reporter.current, 'pending', 'interrupted: worker shutting down')
        await job.moveToWait(token)
        throw new WaitingError()
      }
      return err
    }

    async function fail (err: unknown): Promise<never> {
      const { error, permanent } = classifyError(err)
      const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
      if (reporter.current >= 0 && progress.stages[reporter.current].state === 'running') {
        await reporter.finishStage(reporter.current, 'failed', error.message)
      }
      if (last) reporter.markRest(0, 'skipped')
      progress.error = error
      progress.message = last ? `failed: ${error.message}` : `attempt ${job.attemptsMade + 1} failed, will retry: ${error.message}`
      await reporter.flush()
      if (last && def.onFail) {
        await def.onFail(cleanupContext(), error)
          .catch(e => deps.log('warn', `job ${id}: failure cleanup failed`, { err: (e as Error).message }))
      }
      throw permanent ? new UnrecoverableError(error.message) : new Error(error.message)
    }

    try {
      if (def.params) ctx = makeContext(controller.signal, def.params(data.params))
      // A job cancelled while it was queued ends here, before its first stage.
      let cancel = await readCancel()
      for (let i = 0; i < def.stages.length && !cancel; i++) {
        if (progress.stages[i].state === 'succeeded') continue
        await reporter.startStage(i)
        const output = await def.stages[i].run(ctx)
        if (output !== undefined) {
          outputs[def.stages[i].name] = output
          progress.outputs = outputs
        }
        await reporter.finishStage(i, 'succeeded')
        cancel = await readCancel()
      }
      if (cancel) return await endCancelled(cancel)
      const result = def.result ? await def.result(outputs, ctx) : outputs
      progress.message = 'done'
      await reporter.flush()
      return result
    } catch (err) {
      // A cancel already recorded (endCancelled threw) ends the job as it is.
      if (progress.cancelled) throw err
      return await fail(await interpret(err))
    } finally {
      if (timer) clearTimeout(timer)
      bullSignal?.removeEventListener('abort', forward)
      await reporter.stop()
    }
  }

  return { kind: def.kind, processor, policy, ...(def.options ? { options: def.options } : {}) }
}
