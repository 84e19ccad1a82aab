import type { Db } from '../store/database'
import { loadEmbeddings } from '../ml/embed'

/** Features of the photos usable for ML, rows in photo-id order. */
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

/** Keeps the rows of `matrix` whose id is in `keep`, in order. */
export function selectRows(matrix: FeatureMatrix, keep: (id: number) => boolean): FeatureMatrix {
  const { dim } = matrix
  const rows = matrix.ids.flatMap((id, i) => (keep(id) ? [i] : []))
  if (rows.length === matrix.ids.length) return matrix
  const data = new Float32Array(rows.length * dim)
  rows.forEach((row, i) => data.set(matrix.data.subarray(row * dim, row * dim + dim), i * dim))
  return { ids: rows.map((row) => matrix.ids[row]!), dim, data }
}

/** The view-0 features of usable photos. */
export function usableFeatures(db: Db, model: string): FeatureMatrix {
  const usable = usablePhotoIds(db)
  return selectRows(loadEmbeddings(db, model, 0), (id) => usable.has(id))
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
