/** Job and progress types shared by the engine, the CLI and the UI. Types only. */

export type JobKind =
  | 'import'
  | 'organize'
  | 'embed'
  | 'neighbours'
  | 'scan'
  | 'selflabel'
  | 'assign'
  | 'export'
  | 'split'
  | 'install-model'

/** The stages a job reports, in the order the organize pipeline runs them. */
export type Stage =
  | 'scan-folders'
  | 'import'
  | 'embed'
  | 'neighbours'
  | 'scan'
  | 'selflabel'
  | 'assign'
  | 'export'
  /** Copying or downloading the backbone model; done/total are bytes. */
  | 'install-model'

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

/**
 * Progress as a tagged union (the way transformers.js reports it): a consumer switches on
 * `status` and gets exactly the fields that status carries.
 */
export type Progress =
  | { status: 'started'; jobId: number; kind: JobKind; stage: Stage; total: number }
  | {
      status: 'progress'
      jobId: number
      kind: JobKind
      stage: Stage
      done: number
      total: number
      /** Items per second over the stage so far. */
      rate: number
      /** Seconds left at the current rate; null until it can be estimated. */
      etaSeconds: number | null
      /** Training stages report their loss so the UI can plot it. */
      loss?: number
      epoch?: number
    }
  | { status: 'stage-done'; jobId: number; kind: JobKind; stage: Stage; seconds: number }
  | { status: 'done'; jobId: number; kind: JobKind; seconds: number }
  | { status: 'failed'; jobId: number; kind: JobKind; error: string }
  | { status: 'cancelled'; jobId: number; kind: JobKind }

export type ProgressCallback = (progress: Progress) => void

export interface JobInfo {
  id: number
  kind: JobKind
  state: JobState
  stage: Stage | null
  done: number
  total: number
  error: string | null
  createdAt: number
  updatedAt: number
}
