import type { Stage } from '../../shared/jobs'

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

export type ImportProgress = (stage: Stage, done: number, total: number) => void

export interface ImportOptions {
  signal?: AbortSignal
  onProgress?: ImportProgress
  /** Photos are decoded this many at a time (default: two per core). */
  concurrency?: number
  /** Refuse to decode images with more pixels than this (default: sharp's 268 megapixels). */
  maxPixels?: number
}
