import type { ComputeBackend } from '../../../shared/contract'

/** Messages to the embedding worker. */
export type ToWorker =
  | { type: 'init'; modelDir: string; backend?: ComputeBackend }
  /** `pixels`: `count` 224×224 RGB views back to back (transferred, not copied). */
  | { type: 'embed'; id: number; pixels: Uint8Array; count: number }

/** Messages from the embedding worker. */
export type FromWorker =
  | { type: 'ready'; backend: ComputeBackend; device: string; model: string; dim: number }
  /** `features`: `count` × dim, each row L2-normalised. */
  | { type: 'embedded'; id: number; features: Float32Array }
  | { type: 'error'; id?: number; message: string }
