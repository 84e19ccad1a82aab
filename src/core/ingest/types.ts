import type { Stage } from '../../shared/jobs'

export type { ImportFailure, ImportSummary } from '../../shared/jobs'

export type ImportProgress = (stage: Stage, done: number, total: number) => void

export interface ImportOptions {
  signal?: AbortSignal
  onProgress?: ImportProgress
  /** Photos are decoded this many at a time (default: two per core). */
  concurrency?: number
  /** Refuse to decode images with more pixels than this (default: sharp's 268 megapixels). */
  maxPixels?: number
}
