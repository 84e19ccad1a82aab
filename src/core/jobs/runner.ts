import type { Library } from '../store/library'
import type { JobKind, JobSummary, Progress, ProgressCallback, Stage } from '../../shared/jobs'
import { errorMessage, isAbort, JobCancelledError } from './errors'
import { acquireJobLock } from './lock'
import { finishJob, getJob, insertJob, markInterruptedJobs, updateJob } from './store'
import { StageTracker, type TrainingFigures } from './tracker'

/** What a stage gets: its signal, and a way to report progress. */
export interface StageContext {
  jobId: number
  stage: Stage
  signal: AbortSignal
  /** Report progress within the stage; `figures` carries loss/epoch for training stages. */
  report(done: number, total: number, figures?: TrainingFigures): void
}

export interface StageDef {
  stage: Stage
  /** Does the stage's work. It must be safe to run again after a crash (resume). */
  run(ctx: StageContext): Promise<void>
}

export interface JobSpec {
  kind: JobKind
  params: object
  stages: StageDef[]
  /** What the job found out, read once its stages are done; sent with the 'done' event. */
  summary?(): JobSummary
}

export interface JobResult {
  jobId: number
  seconds: number
  /** Seconds per stage that ran in this attempt (skipped, already finished stages are absent). */
  stageSeconds: Partial<Record<Stage, number>>
  summary?: JobSummary
}

export interface RunOptions {
  signal?: AbortSignal
  onProgress?: ProgressCallback
  /** Continue this existing job (skipping the stages it already finished) instead of a new one. */
  resumeJobId?: number
}

export interface StartedJob {
  jobId: number
  /** Settles when the job ends: resolves when done, rejects when it fails or is cancelled. */
  finished: Promise<JobResult>
}

/** One queue per library folder: jobs on one library run one at a time, in order. */
const queues = new Map<string, Promise<unknown>>()
/** Abort controllers of this process's queued and running jobs, by library and job id. */
const controllers = new Map<string, AbortController>()
const key = (lib: Library, jobId: number): string => `${lib.dir}#${jobId}`

/**
 * Queues a job and returns its id at once; the work runs after the library's earlier jobs.
 * The job row in `jobs` tracks state, stage and progress, so a crashed job can be resumed.
 */
export function startJob(lib: Library, spec: JobSpec, options: RunOptions = {}): StartedJob {
  const jobId = options.resumeJobId ?? insertJob(lib.db, spec.kind, spec.params)
  if (options.resumeJobId !== undefined) {
    if (!getJob(lib.db, jobId)) throw new Error(`There is no job ${jobId} to resume.`)
    updateJob(lib.db, jobId, { state: 'queued', error: null })
  }
  const controller = new AbortController()
  const forward = (): void => controller.abort(options.signal?.reason)
  if (options.signal?.aborted) forward()
  else options.signal?.addEventListener('abort', forward, { once: true })
  controllers.set(key(lib, jobId), controller)

  const previous = queues.get(lib.dir) ?? Promise.resolve()
  const finished = previous
    .catch(() => undefined)
    .then(() => execute(lib, jobId, spec, controller.signal, options.onProgress ?? (() => {})))
    .finally(() => {
      controllers.delete(key(lib, jobId))
      options.signal?.removeEventListener('abort', forward)
    })
  queues.set(lib.dir, finished)
  void finished
    .catch(() => undefined)
    .then(() => {
      if (queues.get(lib.dir) === finished) queues.delete(lib.dir)
    })
  return { jobId, finished }
}

/** Runs a job to its end (see startJob). */
export function runJob(lib: Library, spec: JobSpec, options: RunOptions = {}): Promise<JobResult> {
  return startJob(lib, spec, options).finished
}

/** Cancels a queued or running job of this process. Returns false when it is not ours or over. */
export function cancelJob(lib: Library, jobId: number): boolean {
  const controller = controllers.get(key(lib, jobId))
  if (!controller) return false
  controller.abort(new JobCancelledError(jobId))
  return true
}

/** Ids of this process's queued and running jobs on `lib`. */
export function activeJobIds(lib: Library): number[] {
  const prefix = `${lib.dir}#`
  return [...controllers.keys()]
    .filter((k) => k.startsWith(prefix))
    .map((k) => Number(k.slice(prefix.length)))
}

async function execute(
  lib: Library,
  jobId: number,
  spec: JobSpec,
  signal: AbortSignal,
  onProgress: ProgressCallback,
): Promise<JobResult> {
  const emit = (progress: Progress): void => {
    try {
      onProgress(progress)
    } catch {
      // A listener's bug must not break the job.
    }
  }
  const kind = spec.kind
  if (signal.aborted) return cancelled(lib, jobId, kind, emit)
  const release = acquireJobLock(lib.dir)
  const started = performance.now()
  const stageSeconds: Partial<Record<Stage, number>> = {}
  try {
    markInterruptedJobs(lib.db, activeJobIds(lib))
    const resumeFrom = getJob(lib.db, jobId)?.stage ?? null
    const firstIndex = Math.max(
      0,
      spec.stages.findIndex((s) => s.stage === resumeFrom),
    )
    updateJob(lib.db, jobId, { state: 'running', error: null })
    for (let i = firstIndex; i < spec.stages.length; i++) {
      if (signal.aborted) throw new JobCancelledError(jobId)
      const def = spec.stages[i]!
      stageSeconds[def.stage] = await runStage(lib, jobId, kind, def, signal, emit)
      // A stop between stages resumes with the next one.
      const next = spec.stages[i + 1]
      if (next) updateJob(lib.db, jobId, { stage: next.stage, done: 0, total: 0 })
    }
    const seconds = (performance.now() - started) / 1000
    const summary = spec.summary?.()
    finishJob(lib.db, jobId, summary, seconds)
    emit({ status: 'done', jobId, kind, seconds, ...(summary ? { summary } : {}) })
    return { jobId, seconds, stageSeconds, summary }
  } catch (error) {
    if (isAbort(error, signal)) return cancelled(lib, jobId, kind, emit)
    const message = errorMessage(error)
    updateJob(lib.db, jobId, { state: 'failed', error: message })
    emit({ status: 'failed', jobId, kind, error: message })
    throw error
  } finally {
    release()
  }
}

async function runStage(
  lib: Library,
  jobId: number,
  kind: JobKind,
  def: StageDef,
  signal: AbortSignal,
  emit: (progress: Progress) => void,
): Promise<number> {
  updateJob(lib.db, jobId, { stage: def.stage, done: 0, total: 0 })
  emit({ status: 'started', jobId, kind, stage: def.stage, total: 0 })
  const tracker = new StageTracker(jobId, kind, def.stage, emit)
  let lastSaved = 0
  const ctx: StageContext = {
    jobId,
    stage: def.stage,
    signal,
    report(done, total, figures) {
      const progress = tracker.report(done, total, figures)
      // Persist progress now and then so that jobs.list shows it; not on every report.
      if (progress && (done >= total || performance.now() - lastSaved > 1000)) {
        lastSaved = performance.now()
        updateJob(lib.db, jobId, { done, total })
      }
    },
  }
  await def.run(ctx)
  const seconds = tracker.elapsedSeconds()
  emit({ status: 'stage-done', jobId, kind, stage: def.stage, seconds })
  return seconds
}

function cancelled(lib: Library, jobId: number, kind: JobKind, emit: (p: Progress) => void): never {
  updateJob(lib.db, jobId, { state: 'cancelled' })
  emit({ status: 'cancelled', jobId, kind })
  throw new JobCancelledError(jobId)
}
