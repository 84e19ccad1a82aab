// How bench:new-kinds splits a library: the photos trained on, the known kinds added later and
// the new kinds added later.
import { seededRandom } from '../../src/core/ml/random'
import { topK } from '../../src/core/ml/neighbours'
import { argmaxRows } from '../../src/core/ml/rows'
import { DEFAULT_KNN } from '../../src/core/pipeline/params'
import { predictModel, trainScanStage, trainSelfLabelStage } from '../../src/core/pipeline/training'
import type { Library } from './scenarios'

const LATER_SHARE = 0.15
const NEW_PER_CLASS = 40

/** A library split into what it is trained on and what arrives later. */
export interface Split {
  train: Int32Array
  laterKnown: Int32Array
  newKind: Int32Array
  knownClasses: number
}

/**
 * Holds out about a quarter of the classes (1 to 3, never the first: the dominant one of an
 * imbalanced library) as new kinds, and 15% of the other photos as later known ones.
 */
export function splitNewKinds(lib: Library, seed: number): Split | null {
  if (lib.k < 3) return null
  const random = seededRandom(9000 + seed)
  const count = Math.max(1, Math.min(3, Math.round(lib.k / 4)))
  const candidates = Array.from({ length: lib.k - 1 }, (_, i) => i + 1)
  const fresh = new Set<number>()
  while (fresh.size < count) fresh.add(candidates[Math.floor(random() * candidates.length)]!)
  const train: number[] = []
  const later: number[] = []
  const perNew = new Map<number, number>()
  const newKind: number[] = []
  lib.rows.forEach((row, i) => {
    const label = lib.labels[i]!
    if (fresh.has(label)) {
      const taken = perNew.get(label) ?? 0
      if (taken < NEW_PER_CLASS) newKind.push(row)
      perNew.set(label, taken + 1)
    } else (random() < LATER_SHARE ? later : train).push(row)
  })
  return {
    train: Int32Array.from(train),
    laterKnown: Int32Array.from(later),
    newKind: Int32Array.from(newKind),
    knownClasses: lib.k - count,
  }
}

/**
 * Trains on `n` photos as organize does (SCAN, then self-labeling): the model, the photos'
 * neighbour table and the group the model gives each photo.
 */
export async function trainAsOrganize(
  features: Float32Array,
  n: number,
  dim: number,
  clusters: number | 'auto',
  seed: number,
) {
  const knn = Math.min(DEFAULT_KNN, n - 1)
  const table = { k: knn, ...(await topK(features, n, dim, knn)) }
  const input = { features, n, dim, views: [], neighbours: table.index, knn, clusters, seed }
  const scan = await trainScanStage(input)
  const model = (await trainSelfLabelStage(input, scan.checkpoint)).checkpoint
  const trained = await predictModel(model, features, n)
  return { model, table, k: trained.k, groupOf: argmaxRows(trained.probs, n, trained.k) }
}
