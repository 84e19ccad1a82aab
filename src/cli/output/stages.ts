import type { JobKind, ProgressCallback, Stage } from '../../shared/jobs'

/**
 * Turns plain (stage, done, total) counts, the way engine functions report them, into `Progress`
 * events with rate and ETA, for commands that run an engine function directly (no job queue).
 */
export interface StageTracker {
  update(stage: Stage, done: number, total: number): void
  /** Closes the open stage and reports the job done. */
  finish(): void
  fail(error: string): void
}

export function trackStages(
  kind: JobKind,
  emit: ProgressCallback,
  jobId = 0,
  now: () => number = Date.now,
): StageTracker {
  const jobStart = now()
  let stage: Stage | null = null
  let stageStart = jobStart
  const closeStage = () => {
    if (stage === null) return
    emit({ status: 'stage-done', jobId, kind, stage, seconds: (now() - stageStart) / 1000 })
    stage = null
  }
  return {
    update(next, done, total) {
      if (next !== stage) {
        closeStage()
        stage = next
        stageStart = now()
        emit({ status: 'started', jobId, kind, stage: next, total })
      }
      const seconds = (now() - stageStart) / 1000
      const rate = seconds > 0 ? done / seconds : 0
      const etaSeconds = rate > 0 && done > 0 ? (total - done) / rate : null
      emit({ status: 'progress', jobId, kind, stage: next, done, total, rate, etaSeconds })
    },
    finish() {
      closeStage()
      emit({ status: 'done', jobId, kind, seconds: (now() - jobStart) / 1000 })
    },
    fail(error) {
      stage = null
      emit({ status: 'failed', jobId, kind, error })
    },
  }
}
