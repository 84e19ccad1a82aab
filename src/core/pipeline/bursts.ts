/**
 * Training learns from one photo per burst (see ml/bursts): the rest of a burst is grouped by
 * the trained model like any other photo, so it lands with its burst.
 */
import type { Db } from '../store/database'
import { burstLeaders, burstRepresentatives } from '../ml/bursts'
import { photosAmong } from '../ml/neighbours/among'
import type { FeatureMatrix } from './features'
import type { TrainingPhotos } from './training'

/** EXIF capture times of `ids` in their order; null for a photo without one (file times lie). */
export function exifTimes(db: Db, ids: readonly number[]): (number | null)[] {
  const taken = new Map(
    (
      db.prepare(`SELECT id, taken_at FROM photos WHERE taken_at_source = 'exif'`).all() as {
        id: number
        taken_at: number | null
      }[]
    ).map((r) => [r.id, r.taken_at]),
  )
  return ids.map((id) => taken.get(id) ?? null)
}

/** Rows of `matrix` that training learns from: every photo but the later ones of a burst. */
export function trainingRows(db: Db, matrix: FeatureMatrix): number[] {
  const leaders = burstLeaders(exifTimes(db, matrix.ids), matrix.data, matrix.dim)
  return burstRepresentatives(leaders)
}

/**
 * `photos` with only `rows` (indices into them), neighbours mined among those. Fewer than two
 * rows leave nothing to compare, so the photos stay whole.
 */
export async function restrictToRows(
  photos: TrainingPhotos,
  rows: readonly number[],
  signal?: AbortSignal,
): Promise<TrainingPhotos> {
  if (rows.length === photos.n || rows.length < 2) return photos
  return { ...(await photosAmong(photos, rows, signal)), leftInBursts: photos.n - rows.length }
}
