/** Job and progress types shared by the engine, the CLI and the UI. Types only. */
import type { ComputeBackend, EmbedderInfo } from './contract'

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
  | { status: 'done'; jobId: number; kind: JobKind; seconds: number; summary?: JobSummary }
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
  /**
   * Once done: what the job found out, as its 'done' event said (of an import's failures the
   * first 100 are kept; the library lists every photo that failed), and how long it ran.
   */
  summary: JobSummary | null
  seconds: number | null
}

/** A file or folder that could not be imported, with the reason in words a person understands. */
export interface ImportFailure {
  path: string
  error: string
}

export interface ImportSummary {
  /** New photos added (exact duplicates included; `duplicates` says how many of them). */
  imported: number
  /** Known photos whose content changed on disk and were read again. */
  updated: number
  /** Skipped because size and modification time are unchanged. */
  unchanged: number
  /** Known photos found under a new path (same content hash): their rows keep their ids. */
  moved: number
  /** Photos imported in this run that are exact copies of another photo in the library. */
  duplicates: number
  /** Known photos no longer on disk, marked 'missing' by this run. */
  missing: number
  /** Files (recorded in the library) and folders (scan problems) that could not be imported. */
  failed: ImportFailure[]
  /** Hidden files and sidecars (.xmp, .aae, Thumbs.db) that are not photos and were not read. */
  ignored: number
  seconds: number
}

/**
 * What a finished job found out, sent with its 'done' progress event so that every host can
 * say it (the CLI prints it, the app may show it). Each kind fills the fields it knows.
 */
export interface JobSummary {
  /** import; organize when it was given folders. */
  imported?: ImportSummary
  /** assign: photos put into the existing groups (the others stay Unsorted). */
  assigned?: number
  /** organize: the training run, and what trained and described the photos in this attempt. */
  runId?: number
  backend?: ComputeBackend
  device?: string
  embedder?: EmbedderInfo | null
  /**
   * organize: photos training learnt from in this attempt, and shots of bursts that were not
   * learnt from but grouped with the trained model (see how it groups photos).
   */
  learnt?: { photos: number; leftInBursts: number }
  /** export: files placed, and photos skipped because they had vanished. */
  exported?: { files: number; skipped: number }
  /** install-model: the model now installed. */
  installed?: { id: string; dir: string; files: number; bytes: number }
}
