import type { JobKind, Progress, Stage } from '../../shared/jobs'

export interface TrainingFigures {
  loss?: number
  epoch?: number
}

/**
 * Turns (done, total) reports of one stage into `progress` events with a rate and an ETA.
 * The rate counts only work done in this run of the stage, so a resumed stage that starts at
 * 9,000 of 10,000 does not claim a huge rate. Events are throttled; the last one always passes.
 */
export class StageTracker {
  private readonly startedAt: number
  private firstDone: number | null = null
  private lastEmit = -Infinity

  constructor(
    private readonly jobId: number,
    private readonly kind: JobKind,
    private readonly stage: Stage,
    private readonly emit: (progress: Progress) => void,
    private readonly minIntervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now()
  }

  report(done: number, total: number, figures: TrainingFigures = {}): Progress | null {
    const at = this.now()
    if (this.firstDone === null) this.firstDone = done
    const finished = total > 0 && done >= total
    if (!finished && figures.loss === undefined && at - this.lastEmit < this.minIntervalMs)
      return null
    this.lastEmit = at
    const seconds = (at - this.startedAt) / 1000
    const worked = done - this.firstDone
    const rate = seconds > 0 && worked > 0 ? worked / seconds : 0
    const etaSeconds = finished ? 0 : rate > 0 ? Math.max(0, total - done) / rate : null
    const progress: Progress = {
      status: 'progress',
      jobId: this.jobId,
      kind: this.kind,
      stage: this.stage,
      done,
      total,
      rate,
      etaSeconds,
      ...(figures.loss !== undefined ? { loss: figures.loss } : {}),
      ...(figures.epoch !== undefined ? { epoch: figures.epoch } : {}),
    }
    this.emit(progress)
    return progress
  }

  elapsedSeconds(): number {
    return (this.now() - this.startedAt) / 1000
  }
}
