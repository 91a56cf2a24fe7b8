import type { StoredProgress } from '../../../shared/jobs/record.ts'
import type { StageState } from '../../../shared/jobs/schema.ts'

export interface ProgressUpdate {
  // Percent of the current stage (0-100); the job's percent weighs it by the stage's share.
  percent?: number
  message?: string
  bytesDone?: number
  bytesTotal?: number
}

export interface ProgressThrottle {
  minIntervalMs: number
  minPercentStep: number
}

// ≥ 1 point or ≥ 1 s apart: a chatty job cannot flood Redis or push completed/failed events out of
// the (trimmed) events stream before slow readers see them.
export const DEFAULT_THROTTLE: ProgressThrottle = { minIntervalMs: 1000, minPercentStep: 1 }

type Write = (progress: StoredProgress) => Promise<void>

const round = (n: number) => Math.round(n * 10) / 10

// Owns the job's progress object for one attempt. Stage changes are written at once (the next attempt
// resumes from them); updates within a stage are throttled, with a trailing write so the last value lands.
export function createProgressReporter (progress: StoredProgress, weights: number[], write: Write, onError: (err: Error) => void, throttle = DEFAULT_THROTTLE) {
  const total = weights.reduce((a, b) => a + b, 0) || 1
  let lastPercent = -Infinity
  let lastAt = 0
  let trailing: NodeJS.Timeout | undefined
  let chain = Promise.resolve()
  let current = -1

  const now = () => new Date().toISOString()
  const base = (i: number) => weights.slice(0, i).reduce((a, b) => a + b, 0)

  function flush (): Promise<void> {
    if (trailing) clearTimeout(trailing)
    trailing = undefined
    progress.updatedAt = now()
    lastPercent = progress.percent
    lastAt = Date.now()
    const snapshot = structuredClone(progress)
    chain = chain.then(() => write(snapshot)).catch(onError)
    return chain
  }

  function setStage (i: number, state: StageState, message?: string) {
    const stage = progress.stages[i]
    stage.state = state
    if (state === 'running') {
      stage.startedAt = now()
      delete stage.finishedAt
    } else if (state !== 'pending') {
      stage.finishedAt = now()
    }
    if (message === undefined) delete stage.message
    else stage.message = message
  }

  return {
    get current () { return current },
    progress,

    startStage (i: number): Promise<void> {
      current = i
      setStage(i, 'running')
      progress.stage = progress.stages[i].name
      progress.percent = round(base(i) / total * 100)
      delete progress.message
      delete progress.bytesDone
      delete progress.bytesTotal
      return flush()
    },

    finishStage (i: number, state: StageState, message?: string): Promise<void> {
      setStage(i, state, message)
      if (state === 'succeeded') progress.percent = round(base(i + 1) / total * 100)
      return flush()
    },

    // Marks stages that will not run in this attempt (after a failure or a cancel), without a write.
    markRest (from: number, state: StageState) {
      for (let i = from; i < progress.stages.length; i++) {
        if (progress.stages[i].state === 'pending') setStage(i, state)
      }
    },

    update (u: ProgressUpdate) {
      if (current < 0) return
      if (u.percent !== undefined) {
        const local = Math.min(100, Math.max(0, u.percent))
        progress.percent = round((base(current) + weights[current] * local / 100) / total * 100)
      }
      if (u.message !== undefined) progress.message = u.message
      if (u.bytesDone !== undefined) progress.bytesDone = u.bytesDone
      if (u.bytesTotal !== undefined) progress.bytesTotal = u.bytesTotal
      const due = Math.abs(progress.percent - lastPercent) >= throttle.minPercentStep ||
        Date.now() - lastAt >= throttle.minIntervalMs
      if (due) {
        flush().catch(onError)
      } else if (!trailing) {
        trailing = setTimeout(() => { flush().catch(onError) }, Math.max(0, lastAt + throttle.minIntervalMs - Date.now()))
        trailing.unref()
      }
    },

    flush,

    async stop () {
      if (trailing) clearTimeout(trailing)
      trailing = undefined
      await chain
    }
  }
}

export type ProgressReporter = ReturnType<typeof createProgressReporter>
