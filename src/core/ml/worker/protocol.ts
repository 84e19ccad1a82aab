import type { ComputeBackend, EmbedderInfo } from '../../../shared/contract'

export type EmbedRuntime = EmbedderInfo['runtime']

/** Messages to the embedding worker. */
export type ToWorker =
  | {
      type: 'init'
      modelDir: string
      runtime: EmbedRuntime
      /** TF.js: the backend to prefer. */
      backend?: ComputeBackend
      /** ONNX Runtime: only GPU providers (a TF.js GPU backend beats ORT on the CPU). */
      gpuOnly?: boolean
      /** ONNX Runtime: CPU threads. */
      threads?: number
    }
  /** `pixels`: `count` 224×224 RGB views back to back (transferred, not copied). */
  | { type: 'embed'; id: number; pixels: Uint8Array; count: number }
  /** Finish the passes in flight, release the model, and end the thread. */
  | { type: 'close' }

/** Messages from the embedding worker. */
export type FromWorker =
  | {
      type: 'ready'
      embedder: EmbedderInfo
      model: string
      dim: number
      /** Better providers or backends passed over, best first, with why. */
      skipped: { name: string; reason: string }[]
    }
  /** `features`: `count` × dim, each row L2-normalised. */
  | { type: 'embedded'; id: number; features: Float32Array }
  | { type: 'error'; id?: number; message: string }
