import { topK } from '.'

/** Photos as training sees them: features (n×dim), augmented views and a neighbour table. */
export interface PhotoTable {
  features: Float32Array
  n: number
  dim: number
  views?: Float32Array[]
  neighbours: Int32Array
  knn: number
}

/** Rows `rows` of a row-major table with `width` values a row. */
export function pickRows(
  table: Float32Array,
  width: number,
  rows: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(rows.length * width)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    out.set(table.subarray(r * width, (r + 1) * width), i * width)
  }
  return out
}

/**
 * `photos` with only `rows` (indices into them, at least two), their neighbours mined among
 * those rows: a part of a library, trained as a library of its own.
 */
export async function photosAmong<T extends PhotoTable>(
  photos: T,
  rows: ArrayLike<number>,
  signal?: AbortSignal,
): Promise<T> {
  const { dim } = photos
  const n = rows.length
  const features = pickRows(photos.features, dim, rows)
  const knn = Math.min(photos.knn, n - 1)
  const found = await topK(features, n, dim, knn, { signal })
  const views = photos.views?.map((v) => pickRows(v, dim, rows)) as T['views']
  return { ...photos, features, n, views, neighbours: found.index, knn }
}
