import type { Db } from '../store/database'

/** The photo embeddings (view 0) of some photos for one model, L2-normalised rows. */
export function memberFeatures(
  db: Db,
  model: string,
  photoIds: number[],
): { ids: number[]; dim: number; data: Float32Array } {
  const stmt = db.prepare(
    `SELECT dim, vector FROM embeddings WHERE photo_id = ? AND model = ? AND view = 0`,
  )
  const ids: number[] = []
  const rows: Float32Array[] = []
  let dim = 0
  for (const id of photoIds) {
    const row = stmt.get(id, model) as { dim: number; vector: Buffer } | undefined
    if (!row) continue
    const copy = new Uint8Array(row.vector).buffer // aligned copy of the blob
    const vector = new Float32Array(copy, 0, row.dim)
    dim = row.dim
    ids.push(id)
    rows.push(vector)
  }
  const data = new Float32Array(ids.length * dim)
  rows.forEach((vector, i) => data.set(normalised(vector), i * dim))
  return { ids, dim, data }
}

export function normalised(vector: Float32Array): Float32Array {
  let norm = 0
  for (const v of vector) norm += v * v
  norm = Math.sqrt(norm) || 1
  return vector.map((v) => v / norm)
}
