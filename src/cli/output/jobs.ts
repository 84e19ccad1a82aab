import type { JobSummary, Progress, Stage } from '../../shared/jobs'
import type { Engine } from './engine'
import { createProgressReporter } from './progress'
import { onStopSignal } from './signals'

/** How a job the CLI followed ended well: what it reported and how long its stages took. */
export interface FinishedJob {
  jobId: number
  summary: JobSummary
  seconds: Partial<Record<Stage, number>>
}

/** A followed job was cancelled (Ctrl+C, a kill); `finished` holds the jobs that ended before. */
export class JobsCancelled extends Error {
  constructor(
    readonly jobId: number,
    readonly finished: (FinishedJob | null)[],
  ) {
    super(`Job ${jobId} was cancelled.`)
  }
}

type End = Extract<Progress, { status: 'done' | 'failed' | 'cancelled' }>

/**
 * Starts jobs through the Engine (`start` returns their ids, null for one it did not need) and
 * follows them to their end: progress is shown on stderr, a stop signal cancels them (the runner
 * stops them at their next check and releases the library lock), a failure throws its message.
 * Returns each job's summary, in the order of the ids.
 */
export async function followJobs(
  engine: Engine,
  json: boolean,
  start: () => Promise<(number | null)[]>,
  /** false: a bar on a terminal, but no progress lines when stderr is not one. */
  { linesOffTerminal = true }: { linesOffTerminal?: boolean } = {},
): Promise<(FinishedJob | null)[]> {
  const quiet = json || (!linesOffTerminal && !process.stderr.isTTY)
  const progress = createProgressReporter({ json: quiet })
  const ends = new Map<number, End>()
  const seconds = new Map<number, Partial<Record<Stage, number>>>()
  const waiting = new Map<number, (end: End) => void>()
  // Listening before the jobs start: a short one can end before `start` returns.
  const stopListening = engine.onEvent((event) => {
    if (event.type !== 'progress') return
    const p = event.progress
    progress.report(p)
    if (p.status === 'stage-done')
      seconds.set(p.jobId, { ...seconds.get(p.jobId), [p.stage]: p.seconds })
    if (p.status === 'done' || p.status === 'failed' || p.status === 'cancelled') {
      ends.set(p.jobId, p)
      waiting.get(p.jobId)?.(p)
    }
  })
  let ids: (number | null)[] = []
  let stopped = false
  const cancel = (): void => {
    stopped = true
    for (const jobId of ids)
      if (jobId !== null) void engine.invoke('jobs.cancel', { jobId }).catch(() => {})
  }
  const stopSignals = onStopSignal(cancel)
  try {
    ids = await start()
    if (stopped) cancel()
    const finished: (FinishedJob | null)[] = []
    for (const jobId of ids) {
      if (jobId === null) {
        finished.push(null)
        continue
      }
      const end =
        ends.get(jobId) ?? (await new Promise<End>((resolve) => waiting.set(jobId, resolve)))
      if (end.status === 'failed') throw new Error(end.error)
      if (end.status === 'cancelled') throw new JobsCancelled(jobId, finished)
      finished.push({ jobId, summary: end.summary ?? {}, seconds: seconds.get(jobId) ?? {} })
    }
    return finished
  } finally {
    stopSignals()
    stopListening()
    progress.stop()
  }
}
