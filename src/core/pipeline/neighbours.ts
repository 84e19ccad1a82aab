import type { Db } from '../store/database'
import { topK } from '../ml/neighbours'

/** Neighbours of every photo as row indices into the feature matrix (n×k, most similar first). */
export interface NeighbourTable {
  k: number
  index: Int32Array
  sim: Float32Array
  /** False when they were read back from the library instead of computed. */
  computed: boolean
}

/**
 * The stored neighbours of `model`, when they are exactly those of these photos with `k` each;
 * null when missing or stale (photos were added or removed since).
 */
export function readNeighbours(
  db: Db,
  model: string,
  ids: ArrayLike<number>,
  k: number,
): NeighbourTable | null {
  const n = ids.length
  const rowOf = new Map<number, number>()
  for (let i = 0; i < n; i++) rowOf.set(ids[i]!, i)
  const count = db
    .prepare(`SELECT count(*) FROM neighbours WHERE model = ?`)
    .pluck()
    .get(model) as number
  if (count !== n * k) return null
  const index = new Int32Array(n * k)
  const sim = new Float32Array(n * k)
  const rows = db
    .prepare(`SELECT photo_id, rank, neighbour_id, similarity FROM neighbours WHERE model = ?`)
    .raw()
    .iterate(model) as IterableIterator<[number, number, number, number]>
  let seen = 0
  for (const [photoId, rank, neighbourId, similarity] of rows) {
    const row = rowOf.get(photoId)
    const col = rowOf.get(neighbourId)
    if (row === undefined || col === undefined || rank >= k) return null
    index[row * k + rank] = col
    sim[row * k + rank] = similarity
    seen++
  }
  return seen === n * k ? { k, index, sim, computed: false } : null
}

/** Replaces the stored neighbours of `model` (ranks from 0), in one transaction. */
export function writeNeighbours(
  db: Db,
  model: string,
  ids: ArrayLike<number>,
  table: Omit<NeighbourTable, 'computed'>,
): void {
  const { k, index, sim } = table
  const insert = db.prepare(
    `INSERT INTO neighbours (model, photo_id, rank, neighbour_id, similarity) VALUES (?, ?, ?, ?, ?)`,
  )
  db.transaction(() => {
    db.prepare(`DELETE FROM neighbours WHERE model = ?`).run(model)
    for (let i = 0; i < ids.length; i++) {
      for (let r = 0; r < k; r++)
        insert.run(model, ids[i], r, ids[index[i * k + r]!], sim[i * k + r])
    }
  })()
}

export interface NeighbourOptions {
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

/**
 * The k nearest neighbours (cosine, self excluded) of every photo, read from the library when
 * they are up to date, else computed exactly on the active backend and stored.
 */
export async function ensureNeighbours(
  db: Db,
  model: string,
  features: { ids: ArrayLike<number>; data: Float32Array; dim: number },
  k: number,
  options: NeighbourOptions = {},
): Promise<NeighbourTable> {
  const n = features.ids.length
  const stored = readNeighbours(db, model, features.ids, k)
  if (stored) {
    options.onProgress?.(n, n)
    return stored
  }
  const found = await topK(features.data, n, features.dim, k, options)
  options.signal?.throwIfAborted()
  writeNeighbours(db, model, features.ids, { k, ...found })
  return { k, ...found, computed: true }
}
