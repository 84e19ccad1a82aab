import type { JobKind, Progress, Stage } from '../../shared/jobs'

export interface TrainingFigures {
  loss?: number
  epoch?: number
}

/**
 * Turns (done, total) reports of one stage into `progress` events with a rate and an ETA.
 * The rate is measured from the stage's first report on, so a resumed stage whose first report
 * is 9,000 of 10,000 (done before the restart) does not claim a huge rate; a stage that reports
 * only once is timed from its start. Events are throttled; the last one always passes.
 */
export class StageTracker {
  private readonly startedAt: number
  private first: { done: number; at: number } | null = null
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
    this.first ??= { done, at }
    const finished = total > 0 && done >= total
    if (!finished && figures.loss === undefined && at - this.lastEmit < this.minIntervalMs)
      return null
    this.lastEmit = at
    const onlyReport = this.first.at === at
    const seconds = (at - (onlyReport ? this.startedAt : this.first.at)) / 1000
    const worked = onlyReport ? done : done - this.first.done
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
