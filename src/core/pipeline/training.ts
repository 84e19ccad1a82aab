/**
 * The pipeline's view of the clustering code (src/core/ml/scan, selflabel): train SCAN, refine
 * with self-labeling, predict with a stored model. Models travel as JSON-able checkpoints so
 * that training resumes after a crash and later photos are assigned without retraining.
 */
import { ClusterModel, SCAN_DEFAULTS, trainScan, type ClusterModelJSON } from '../ml/scan'
import { featureMean } from '../ml/scan/head'
import { selfLabel } from '../ml/selflabel'

/** A serialised ClusterModel, as stored in runs.checkpoint. */
export type ModelCheckpoint = ClusterModelJSON

/** The photos training learns from: their features, augmented views and neighbour table. */
export interface TrainingPhotos {
  features: Float32Array
  n: number
  dim: number
  views: Float32Array[]
  neighbours: Int32Array
  knn: number
  /** Photos of bursts left out of training (grouped by the model afterwards). */
  leftInBursts?: number
}

export interface TrainingInput extends TrainingPhotos {
  clusters: number | 'auto'
  seed: number
  signal?: AbortSignal
  onProgress?: (epoch: number, epochs: number, loss: number) => void
}

export interface TrainedModel {
  checkpoint: ModelCheckpoint
  metrics: Record<string, unknown>
}

function progress(input: TrainingInput) {
  return (_stage: string, epoch: number, epochs: number, loss: number) =>
    input.onProgress?.(epoch, epochs, loss)
}

/** Every photo this close (cosine) to the library's mean direction: they are all alike. */
export const ALL_ALIKE = 0.95

/**
 * True when every photo is nearly the same picture (one shot re-encoded, all-black images):
 * neighbourhoods between them are noise, so there is nothing for SCAN to learn.
 */
export function allAlike(features: Float32Array, n: number, dim: number): boolean {
  const mean = featureMean(features, n, dim)
  const norm = Math.hypot(...mean)
  if (norm === 0) return false
  for (let i = 0; i < n; i++) {
    let dot = 0
    for (let d = 0; d < dim; d++) dot += features[i * dim + d]! * mean[d]!
    if (dot / norm < ALL_ALIKE) return false
  }
  return true
}

/** A model with one group that every photo belongs to. */
function oneGroupModel(input: TrainingInput): TrainedModel {
  const mean = featureMean(input.features, input.n, input.dim)
  const model = new ClusterModel(
    'scan',
    input.dim,
    1,
    SCAN_DEFAULTS.scale,
    mean,
    new Float32Array(input.dim),
    Int32Array.of(0),
  )
  return {
    checkpoint: model.toJSON(),
    metrics: { k: 1, warnings: ['the photos are all alike: they make one group'] },
  }
}

export async function trainScanStage(input: TrainingInput): Promise<TrainedModel> {
  if (allAlike(input.features, input.n, input.dim)) return oneGroupModel(input)
  const result = await trainScan({ ...input, onProgress: progress(input) })
  return {
    checkpoint: result.model.toJSON(),
    metrics: {
      k: result.model.k,
      photos: input.n,
      leftInBursts: input.leftInBursts ?? 0,
      outputs: result.outputs,
      head: result.head,
      headLosses: result.headLosses,
      runs: result.runs,
      dominant: result.dominant,
      warnings: result.warnings,
    },
  }
}

export async function trainSelfLabelStage(
  input: TrainingInput,
  scan: ModelCheckpoint,
): Promise<TrainedModel> {
  // One group (near-identical photos): there is nothing to tell apart, so nothing to refine.
  if (scan.k < 2)
    return { checkpoint: scan, metrics: { k: scan.k, skipped: 'one group: nothing to refine' } }
  const result = await selfLabel(ClusterModel.fromJSON(scan), {
    features: input.features,
    n: input.n,
    dim: input.dim,
    views: input.views,
    neighbours: input.neighbours,
    knn: input.knn,
    seed: input.seed,
    signal: input.signal,
    onProgress: progress(input),
  })
  return {
    checkpoint: result.model.toJSON(),
    metrics: {
      k: result.model.k,
      kept: result.choice?.kept ?? 'selflabel',
      cohesion: result.choice
        ? { scan: result.choice.scan, selflabel: result.choice.selflabel }
        : undefined,
      pseudoLabels: result.pseudoLabels,
      aboveThreshold: result.aboveThreshold,
      sizes: result.sizes,
      warnings: result.warnings,
    },
  }
}

export async function predictModel(
  checkpoint: ModelCheckpoint,
  features: Float32Array,
  n: number,
): Promise<{ probs: Float32Array; k: number }> {
  return ClusterModel.fromJSON(checkpoint).predict(features, n)
}
