import type { Db } from '../../store/database'

export interface PendingPhoto {
  id: number
  path: string
  /** The content hash: what seeds the photo's augmented views, so they follow the photo, not its id. */
  hash: string | null
  /** The thumbnail file (relative to the library's thumbnail folder), when there is one. */
  thumbnail: string | null
  /** The views in 0..views not stored yet, ascending. */
  missing: number[]
}

/** Usable photos (ok, not duplicates) that lack any of views 0..views for the model. */
export function pendingPhotos(db: Db, model: string, views: number): PendingPhoto[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.path, p.hash, t.file AS thumbnail,
         (SELECT group_concat(e.view) FROM embeddings e
          WHERE e.photo_id = p.id AND e.model = ? AND e.view <= ?) AS have
       FROM photos p LEFT JOIN thumbnails t ON t.photo_id = p.id
       WHERE p.status = 'ok' AND p.duplicate_of IS NULL
       ORDER BY p.id`,
    )
    .all(model, views) as {
    id: number
    path: string
    hash: string | null
    thumbnail: string | null
    have: string | null
  }[]
  const pending: PendingPhoto[] = []
  for (const row of rows) {
    const have = new Set((row.have ?? '').split(',').filter(Boolean).map(Number))
    const missing = Array.from({ length: views + 1 }, (_, v) => v).filter((v) => !have.has(v))
    if (missing.length > 0)
      pending.push({
        id: row.id,
        path: row.path,
        hash: row.hash,
        thumbnail: row.thumbnail,
        missing,
      })
  }
  return pending
}

export function usablePhotoCount(db: Db): number {
  const row = db
    .prepare(`SELECT COUNT(*) AS n FROM photos WHERE status = 'ok' AND duplicate_of IS NULL`)
    .get() as { n: number }
  return row.n
}

export interface EmbeddingRow {
  photoId: number
  view: number
  vector: Float32Array
}

/** Writes one batch in a single transaction: a kill loses at most the batch in flight. */
export function saveEmbeddings(db: Db, model: string, rows: readonly EmbeddingRow[]): void {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO embeddings (photo_id, model, view, dim, vector, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  )
  const now = Date.now()
  db.transaction(() => {
    for (const r of rows) {
      const blob = Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength)
      insert.run(r.photoId, model, r.view, r.vector.length, blob, now)
    }
  })()
}

export interface LoadedEmbeddings {
  ids: number[]
  dim: number
  /** ids.length × dim, row-major, rows L2-normalised, ordered by photo id. */
  data: Float32Array
}

/** View `view` of every usable photo embedded with `model`, ordered by photo id. */
export function loadEmbeddings(db: Db, model: string, view = 0): LoadedEmbeddings {
  const rows = db
    .prepare(
      `SELECT e.photo_id AS id, e.dim AS dim, e.vector AS vector FROM embeddings e
       JOIN photos p ON p.id = e.photo_id
       WHERE e.model = ? AND e.view = ? AND p.status = 'ok' AND p.duplicate_of IS NULL
       ORDER BY e.photo_id`,
    )
    .all(model, view) as { id: number; dim: number; vector: Buffer }[]
  const dim = rows[0]?.dim ?? 0
  const data = new Float32Array(rows.length * dim)
  rows.forEach((row, i) => {
    if (row.dim !== dim || row.vector.byteLength !== dim * 4) {
      throw new Error(
        `embedding of photo ${row.id} has ${row.vector.byteLength / 4} values, expected ${dim}`,
      )
    }
    data.set(
      new Float32Array(
        row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + dim * 4),
      ),
      i * dim,
    )
  })
  return { ids: rows.map((r) => r.id), dim, data }
}

/** Keeps the rows of `matrix` whose id is in `keep`, in order. */
export function selectRows(
  matrix: LoadedEmbeddings,
  keep: (id: number) => boolean,
): LoadedEmbeddings {
  const { dim } = matrix
  const rows = matrix.ids.flatMap((id, i) => (keep(id) ? [i] : []))
  if (rows.length === matrix.ids.length) return matrix
  const data = new Float32Array(rows.length * dim)
  rows.forEach((row, i) => data.set(matrix.data.subarray(row * dim, row * dim + dim), i * dim))
  return { ids: rows.map((row) => matrix.ids[row]!), dim, data }
}
