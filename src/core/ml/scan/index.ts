import type { PhotoTable } from '../neighbours/among'
import { selfLabel, type SelfLabelResult } from '../selflabel'
import type { ClusterModel } from './model'
import { trainScan, type ClusterProgress, type ScanResult } from './train'

export { ClusterModel, assignments, type ClusterModelJSON, type Prediction } from './model'
export {
  trainScan,
  SCAN_DEFAULTS,
  type ScanOptions,
  type ScanResult,
  type ClusterProgress,
} from './train'
export { mergeClusters, type MergeResult, type MergeStep } from './merge'
export { scanLoss } from './loss'
export { neighbourCohesion, neighbourModularity, normalisedModularity } from './agreement'

export interface ClusterPhotosOptions extends PhotoTable {
  clusters: number | 'auto'
  seed?: number
  signal?: AbortSignal
  onProgress?: ClusterProgress
}

/** The final model plus what each step did (sizes, warnings), for reports and checkpoints. */
export interface ClusterReport {
  scan: ScanResult
  selflabel: SelfLabelResult
}

/**
 * SCAN (over-clustering heads, merged on neighbour agreement) then self-labeling. The returned
 * model assigns every photo, including ones imported later; `report` says how each step went.
 */
export async function clusterPhotos(
  opts: ClusterPhotosOptions,
): Promise<ClusterModel & { report: ClusterReport }> {
  const scan = await trainScan(opts)
  const labelled = await selfLabel(scan.model, {
    features: opts.features,
    n: opts.n,
    dim: opts.dim,
    views: opts.views,
    neighbours: opts.neighbours,
    knn: opts.knn,
    seed: opts.seed,
    signal: opts.signal,
    onProgress: opts.onProgress,
  })
  return Object.assign(labelled.model, { report: { scan, selflabel: labelled } })
}
