import { basename } from 'node:path'
import type { DuplicatePhoto, DuplicateReport, DuplicateSet } from '../../shared/contract'
import { currentRun } from '../clusters/runs'
import { DEFAULT_MODEL } from '../ml/embed'
import type { Db } from '../store/database'
import type { Library } from '../store/library'
import { linkPairs, type SimilarPair } from './group'
import { thumbnailSharpness } from './sharpness'

/**
 * The similarity (cosine of the backbone's features) from which two photos count as near
 * duplicates. Chosen with `npm run bench:duplicates`: re-saves, resizes, small crops and
 * brightness changes of a photo group with it, other photos of the same kind do not.
 */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.85

interface PhotoRow {
  id: number
  path: string
  width: number | null
  height: number | null
  size: number
  hidden: 0 | 1
}

/** The model whose stored neighbours are used: the current run's, else the default one. */
function neighbourModel(db: Db): string {
  return currentRun(db)?.model ?? DEFAULT_MODEL
}

/**
 * Stored nearest-neighbour pairs at least `threshold` similar between photos that are still
 * usable (read fine, not an exact copy); hidden photos are kept, so their sets still show them.
 */
export function similarPairs(db: Db, model: string, threshold: number): SimilarPair[] {
  return db
    .prepare(
      `SELECT n.photo_id, n.neighbour_id, n.similarity FROM neighbours n
       JOIN photos a ON a.id = n.photo_id JOIN photos b ON b.id = n.neighbour_id
       WHERE n.model = ? AND n.similarity >= ?
         AND a.status = 'ok' AND a.duplicate_of IS NULL
         AND b.status = 'ok' AND b.duplicate_of IS NULL`,
    )
    .raw()
    .all(model, threshold) as [number, number, number][]
}

function hasNeighbours(db: Db, model: string): boolean {
  return db.prepare(`SELECT 1 FROM neighbours WHERE model = ? LIMIT 1`).get(model) !== undefined
}

function readPhotos(db: Db, ids: readonly number[]): Map<number, PhotoRow> {
  const rows = db
    .prepare(
      `SELECT id, path, width, height, size, hidden FROM photos
       WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as PhotoRow[]
  return new Map(rows.map((r) => [r.id, r]))
}

function toPhoto(row: PhotoRow, sharpness: number | null): DuplicatePhoto {
  return {
    photoId: row.id,
    fileName: basename(row.path),
    width: row.width,
    height: row.height,
    bytes: row.size,
    sharpness,
    hidden: row.hidden === 1,
  }
}

const pixels = (p: DuplicatePhoto) => (p.width ?? 0) * (p.height ?? 0)

/** A file this much smaller than another of the same pixels is taken for a re-saved copy. */
const RESAVED_BYTES = 0.85

/**
 * Best first: the most pixels; for the same pixels, a markedly bigger file (a re-saved copy is
 * smaller, and JPEG's block artefacts make it look sharper than its original), else the sharpest
 * thumbnail; then the oldest.
 */
export function compareKeepers(a: DuplicatePhoto, b: DuplicatePhoto): number {
  const byPixels = pixels(b) - pixels(a)
  if (byPixels !== 0) return byPixels
  const [small, big] = a.bytes < b.bytes ? [a, b] : [b, a]
  if (small.bytes < big.bytes * RESAVED_BYTES) return big === a ? -1 : 1
  return (b.sharpness ?? -1) - (a.sharpness ?? -1) || b.bytes - a.bytes || a.photoId - b.photoId
}

/** How many photos of the set are still shown: a set showing one photo is resolved. */
const shownCount = (set: DuplicateSet) => set.photos.filter((p) => !p.hidden).length

/**
 * The near-duplicate sets of the library at `threshold`, from the neighbours stored when it was
 * organized. Each set lists its suggested keeper first.
 */
export async function findDuplicateSets(
  lib: Library,
  threshold = DEFAULT_DUPLICATE_THRESHOLD,
): Promise<DuplicateReport> {
  const { db } = lib
  const model = neighbourModel(db)
  const found = linkPairs(similarPairs(db, model, threshold), threshold)
  const ids = found.flatMap((s) => s.ids)
  const hiddenIds = db
    .prepare(`SELECT id FROM photos WHERE hidden = 1 ORDER BY id`)
    .pluck()
    .all() as number[]
  const rows = readPhotos(db, [...ids, ...hiddenIds])
  const sharpness = await thumbnailSharpness(lib, [...new Set([...ids, ...hiddenIds])])
  const photo = (id: number) => toPhoto(rows.get(id)!, sharpness.get(id) ?? null)
  const sets: DuplicateSet[] = found.map((s) => {
    const photos = s.ids.map(photo).sort(compareKeepers)
    // A photo a person kept (shown while others are hidden) stays the keeper.
    const keeper = photos.some((p) => p.hidden) ? photos.find((p) => !p.hidden) : undefined
    return { photos, keeper: (keeper ?? photos[0]!).photoId, similarity: s.weakest }
  })
  // Sets still to look at first, then the biggest; ties by file name, so the order never
  // depends on the order photos were imported in.
  sets.sort(
    (a, b) =>
      Number(shownCount(a) < 2) - Number(shownCount(b) < 2) ||
      b.photos.length - a.photos.length ||
      a.photos[0]!.fileName.localeCompare(b.photos[0]!.fileName),
  )
  return {
    threshold,
    defaultThreshold: DEFAULT_DUPLICATE_THRESHOLD,
    ready: hasNeighbours(db, model),
    sets,
    hidden: hiddenIds.filter((id) => rows.has(id)).map(photo),
  }
}
