import type { JobKind } from '../../../shared/jobs'
import {
  activeJobIds,
  cancelJob,
  getJob,
  listJobs,
  startJob,
  updateJob,
  type JobSpec,
} from '../../jobs'
import { editState } from '../../edits'
import type { EngineContext, HandlerGroup } from '../context'
import { CommandFailure } from '../errors'

type ChangeEvent = 'library.changed' | 'clusters.changed' | 'models.changed'

/** What changes in the library when a job of each kind finishes, for the UI to reload. */
const CHANGES: Partial<Record<JobKind, ChangeEvent[]>> = {
  import: ['library.changed'],
  organize: ['clusters.changed', 'library.changed'],
  assign: ['clusters.changed'],
  split: ['clusters.changed'],
  export: ['library.changed'],
  'install-model': ['models.changed'],
}

/**
 * Starts a job in the background: its progress becomes `progress` events, and when it ends
 * the views it changed are told to reload. Returns the job id at once.
 */
export function launchJob(
  ctx: EngineContext,
  spec: JobSpec,
  options: { resumeJobId?: number } = {},
): number {
  return launchTrackedJob(ctx, spec, options).jobId
}

/** launchJob, for callers that wait for the job: `ended` says whether it finished its work. */
export function launchTrackedJob(
  ctx: EngineContext,
  spec: JobSpec,
  options: { resumeJobId?: number } = {},
): { jobId: number; ended: Promise<boolean> } {
  if (ctx.closing.aborted)
    throw new CommandFailure('engine-unavailable', 'The engine is shutting down.')
  const started = startJob(ctx.lib, spec, {
    ...options,
    onProgress: (progress) => ctx.events.emit({ type: 'progress', progress }),
  })
  const announce = (): void => {
    if (ctx.closing.aborted) return
    for (const type of CHANGES[spec.kind] ?? []) ctx.events.emit({ type })
    // A new run starts a new edit history: what Undo offers changes with it.
    if (spec.kind === 'organize')
      ctx.events.emit({ type: 'edits.changed', state: editState(ctx.lib.db) })
  }
  const ended = started.finished.then(
    () => {
      announce()
      return true
    },
    (error: unknown) => {
      announce()
      // The failure already reached the UI as a 'failed' progress event and the job row.
      void error
      return false
    },
  )
  ctx.running.add(ended)
  void ended.finally(() => ctx.running.delete(ended))
  return { jobId: started.jobId, ended }
}

/**
 * Cancels every job this engine runs and waits (at most `waitMs`, well inside the host's
 * shutdown grace period) for them to stop; an interrupted job resumes later.
 */
export async function cancelAllJobs(ctx: EngineContext, waitMs = 3_000): Promise<void> {
  for (const jobId of activeJobIds(ctx.lib)) cancelJob(ctx.lib, jobId)
  const timeout = new Promise((resolve) => setTimeout(resolve, waitMs).unref())
  await Promise.race([Promise.allSettled([...ctx.running]), timeout])
  // A job still between two cancellation checks (a busy machine) will not run on once the
  // library closes: record it as cancelled, which keeps it resumable, rather than 'running'.
  for (const jobId of activeJobIds(ctx.lib)) updateJob(ctx.lib.db, jobId, { state: 'cancelled' })
}

export const jobHandlers: HandlerGroup<'jobs.list' | 'jobs.cancel'> = {
  'jobs.list': (ctx) => listJobs(ctx.lib.db).map(({ params: _params, ...info }) => info),
  'jobs.cancel': (ctx, { jobId }) => {
    const job = getJob(ctx.lib.db, jobId)
    if (!job) throw new CommandFailure('not-found', `There is no job ${jobId}.`)
    if (job.state === 'done' || job.state === 'failed' || job.state === 'cancelled') return
    if (!cancelJob(ctx.lib, jobId)) {
      throw new CommandFailure('conflict', `Job ${jobId} is not running in this engine.`)
    }
  },
}
