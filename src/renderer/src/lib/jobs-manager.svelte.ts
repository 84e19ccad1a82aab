/**
 * Live state of the engine's jobs, built from the progress events it pushes: per job, each stage's
 * counts, rate and ETA, and the training loss curve for the plot.
 */
import type { KindredApi } from '../../../shared/contract'
import type { JobInfo, JobKind, JobState, JobSummary, Progress, Stage } from '../../../shared/jobs'
import type { Notices } from './notices.svelte'

export interface StageView {
  stage: Stage
  done: number
  total: number
  rate: number
  etaSeconds: number | null
  finished: boolean
  seconds: number | null
}

export interface LossPoint {
  stage: Stage
  epoch: number
  loss: number
}

export interface JobView {
  id: number
  kind: JobKind
  state: JobState
  stages: StageView[]
  losses: LossPoint[]
  error: string | null
  seconds: number | null
  /** Organize: photos training learnt from (null until done, or for a job stored without it). */
  learnt: JobSummary['learnt'] | null
}

/** How a refusal to start is told: a notice with this context, or the screen's own way. */
export type StartFailure = string | ((error: unknown) => void)

export class JobsManager {
  #api: KindredApi
  #notices: Notices
  jobs = $state<Record<number, JobView>>({})
  /** How many start commands of each kind are on their way to the engine. */
  #starting = $state<Partial<Record<JobKind, number>>>({})

  constructor(api: KindredApi, notices: Notices) {
    this.#api = api
    this.#notices = notices
  }

  /**
   * Starts a job with `call` (the engine command that answers its id, or null when there is
   * nothing to start) and shows it at once. A refusal is told as `failure` says (by default a
   * notice), never thrown. Answers what the command answered, or null when no job started.
   */
  async start<Started extends { jobId: number }>(
    kind: JobKind,
    call: () => Promise<Started | null>,
    failure?: StartFailure,
  ): Promise<Started | null> {
    this.#starting[kind] = (this.#starting[kind] ?? 0) + 1
    try {
      const started = await call()
      if (started) this.track(started.jobId, kind)
      return started
    } catch (error) {
      if (typeof failure === 'function') failure(error)
      else this.#notices.error(error, failure)
      return null
    } finally {
      this.#starting[kind] = (this.#starting[kind] ?? 1) - 1
    }
  }

  /** Whether a job of this kind is being started: its buttons wait meanwhile. */
  starting(kind: JobKind): boolean {
    return (this.#starting[kind] ?? 0) > 0
  }

  async refresh(): Promise<void> {
    const list = await this.#api.invoke('jobs.list', {})
    for (const info of list) this.#mergeInfo(info)
  }

  /** The newest job of one of these kinds, running or not. */
  latest(...kinds: JobKind[]): JobView | undefined {
    let best: JobView | undefined
    for (const job of Object.values(this.jobs)) {
      if (kinds.includes(job.kind) && (!best || job.id > best.id)) best = job
    }
    return best
  }

  /** The newest job of these kinds that is still queued or running. */
  active(...kinds: JobKind[]): JobView | undefined {
    const job = this.latest(...kinds)
    return job && isActive(job.state) ? job : undefined
  }

  get(jobId: number): JobView | undefined {
    return this.jobs[jobId]
  }

  /** Registers a job the UI just started, so it shows before its first event arrives. */
  track(jobId: number, kind: JobKind): void {
    if (!this.jobs[jobId]) this.jobs[jobId] = emptyJob(jobId, kind, 'queued')
  }

  async cancel(jobId: number): Promise<void> {
    await this.#api.invoke('jobs.cancel', { jobId })
  }

  handle(p: Progress): void {
    const job = (this.jobs[p.jobId] ??= emptyJob(p.jobId, p.kind, 'running'))
    switch (p.status) {
      case 'started':
        job.state = 'running'
        upsertStage(job, p.stage, { total: p.total, done: 0, finished: false })
        break
      case 'progress': {
        job.state = 'running'
        const { done, total, rate, etaSeconds } = p
        upsertStage(job, p.stage, { done, total, rate, etaSeconds, finished: false })
        if (p.loss !== undefined && Number.isFinite(p.loss)) {
          job.losses.push({ stage: p.stage, epoch: p.epoch ?? job.losses.length, loss: p.loss })
        }
        break
      }
      case 'stage-done': {
        const stage = upsertStage(job, p.stage, {
          finished: true,
          seconds: p.seconds,
          etaSeconds: 0,
        })
        stage.done = Math.max(stage.done, stage.total)
        break
      }
      case 'done':
        job.state = 'done'
        job.seconds = p.seconds
        job.learnt = p.summary?.learnt ?? null
        break
      case 'failed':
        job.state = 'failed'
        job.error = p.error
        break
      case 'cancelled':
        job.state = 'cancelled'
        break
    }
  }

  #mergeInfo(info: JobInfo): void {
    const job = (this.jobs[info.id] ??= emptyJob(info.id, info.kind, info.state))
    job.state = info.state
    job.error = info.error
    // A job that finished before this window opened: what was stored with it.
    job.seconds ??= info.seconds
    job.learnt ??= info.summary?.learnt ?? null
    if (info.stage && isActive(info.state)) {
      upsertStage(job, info.stage, { done: info.done, total: info.total })
    }
  }
}

export function isActive(state: JobState): boolean {
  return state === 'queued' || state === 'running'
}

function emptyJob(id: number, kind: JobKind, state: JobState): JobView {
  return { id, kind, state, stages: [], losses: [], error: null, seconds: null, learnt: null }
}

function upsertStage(job: JobView, stage: Stage, patch: Partial<StageView>): StageView {
  let view = job.stages.find((s) => s.stage === stage)
  if (!view) {
    job.stages.push({
      stage,
      done: 0,
      total: 0,
      rate: 0,
      etaSeconds: null,
      finished: false,
      seconds: null,
    })
    view = job.stages[job.stages.length - 1]!
  }
  Object.assign(view, patch)
  return view
}
