import type { Db } from '../store/database'
import { loadEmbeddings } from '../ml/embed'

/**
 * Features of the photos usable for ML. `usableFeatures` puts the rows in content order (by the
 * file's hash), so that training, neighbours and the seed see the same photos in the same order
 * whatever order they were imported in (photo ids follow import completion).
 */
export interface FeatureMatrix {
  ids: number[]
  dim: number
  data: Float32Array
}

/** Usable photos: read fine and not an exact copy of another photo. */
export function usablePhotoIds(db: Db): Set<number> {
  return new Set(
    db
      .prepare(`SELECT id FROM photos WHERE status = 'ok' AND duplicate_of IS NULL`)
      .pluck()
      .all() as number[],
  )
}

/** Usable photo ids in content order: by hash (unique among usable photos), then id. */
export function contentOrder(db: Db): number[] {
  return db
    .prepare(`SELECT id FROM photos WHERE status = 'ok' AND duplicate_of IS NULL ORDER BY hash, id`)
    .pluck()
    .all() as number[]
}

/** The rows of `matrix` for `ids` that it has, in the order of `ids`. */
export function rowsInOrder(matrix: FeatureMatrix, ids: readonly number[]): FeatureMatrix {
  const { dim } = matrix
  const rowOf = new Map(matrix.ids.map((id, i) => [id, i]))
  const kept = ids.filter((id) => rowOf.has(id))
  const data = new Float32Array(kept.length * dim)
  kept.forEach((id, i) => {
    const row = rowOf.get(id)!
    data.set(matrix.data.subarray(row * dim, row * dim + dim), i * dim)
  })
  return { ids: kept, dim, data }
}

/** The view-0 features of usable photos, in content order. */
export function usableFeatures(db: Db, model: string): FeatureMatrix {
  return rowsInOrder(loadEmbeddings(db, model, 0), contentOrder(db))
}

/**
 * Features of augmented views 1..views aligned with `base` rows; a view a photo lacks falls back
 * to its own view-0 feature, so every matrix has exactly the base rows.
 */
export function viewFeatures(
  db: Db,
  model: string,
  base: FeatureMatrix,
  views: number,
): Float32Array[] {
  const out: Float32Array[] = []
  for (let v = 1; v <= views; v++) {
    const loaded = loadEmbeddings(db, model, v)
    if (loaded.ids.length === 0) break
    const rowOf = new Map(loaded.ids.map((id, i) => [id, i]))
    const data = new Float32Array(base.data)
    base.ids.forEach((id, i) => {
      const row = rowOf.get(id)
      if (row !== undefined)
        data.set(loaded.data.subarray(row * base.dim, row * base.dim + base.dim), i * base.dim)
    })
    out.push(data)
  }
  return out
}
