import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../store/database'
import { legacyInputFile, networkInputFile, type DecodedPhoto } from './decode'

/** What the library already knows about a path. */
export interface KnownPhoto {
  id: number
  folderId: number
  path: string
  size: number
  mtimeMs: number
  hash: string | null
  status: 'ok' | 'failed' | 'missing'
  error: string | null
  /** Its header showed it is no photo: not read again while size and mtime stay the same. */
  notAPhoto: boolean
}

/** One file's outcome, queued and written in batches. */
export type PhotoWrite =
  | {
      kind: 'decoded'
      id: number | null
      folderId: number
      path: string
      size: number
      mtimeMs: number
      hash: string | null
      result: { ok: true; photo: DecodedPhoto } | { ok: false; error: string }
      notAPhoto?: boolean
    }
  | { kind: 'moved'; id: number; folderId: number; path: string; size: number; mtimeMs: number }
  | { kind: 'restored'; id: number }

export function loadKnownPhotos(db: Db): Map<string, KnownPhoto> {
  const rows = db
    .prepare(
      `SELECT id, folder_id AS folderId, path, size, mtime_ms AS mtimeMs, hash, status, error,
         not_a_photo AS notAPhoto FROM photos`,
    )
    .all() as (Omit<KnownPhoto, 'notAPhoto'> & { notAPhoto: number })[]
  return new Map(rows.map((row) => [row.path, { ...row, notAPhoto: row.notAPhoto === 1 }]))
}

export function photosWithHash(db: Db, hash: string): KnownPhoto[] {
  return db
    .prepare(
      `SELECT id, folder_id AS folderId, path, size, mtime_ms AS mtimeMs, hash, status, error,
         not_a_photo = 1 AS notAPhoto FROM photos WHERE hash = ? ORDER BY id`,
    )
    .all(hash) as KnownPhoto[]
}

export interface WriteOutcome {
  /** Ids of the rows inserted. */
  inserted: number[]
  /** Thumbnail files that rows stopped pointing to (changed or unreadable content). */
  replacedThumbnails: string[]
}

/** Writes queued outcomes in one transaction. */
export function writePhotos(db: Db, writes: PhotoWrite[]): WriteOutcome {
  const now = Date.now()
  const insert = db.prepare(
    `INSERT INTO photos (folder_id, path, size, mtime_ms, hash, format, width, height, orientation,
       taken_at, taken_at_source, gps_lat, gps_lon, camera, status, error, not_a_photo,
       imported_at, updated_at)
     VALUES (@folderId, @path, @size, @mtimeMs, @hash, @format, @width, @height, @orientation,
       @takenAt, @takenAtSource, @lat, @lon, @camera, @status, @error, @notAPhoto, @now, @now)`,
  )
  const update = db.prepare(
    `UPDATE photos SET size = @size, mtime_ms = @mtimeMs, hash = @hash, format = @format,
       width = @width, height = @height, orientation = @orientation, taken_at = @takenAt,
       taken_at_source = @takenAtSource, gps_lat = @lat, gps_lon = @lon, camera = @camera,
       status = @status, error = @error, not_a_photo = @notAPhoto, updated_at = @now WHERE id = @id`,
  )
  const oldHash = db.prepare(`SELECT hash FROM photos WHERE id = ?`).pluck()
  // Features computed from the old content are wrong for the new content.
  const dropFeatures = db.prepare(`DELETE FROM embeddings WHERE photo_id = ?`)
  const putThumb = db.prepare(
    `INSERT OR REPLACE INTO thumbnails (photo_id, file, width, height, bytes) VALUES (?, ?, ?, ?, ?)`,
  )
  const dropThumb = db.prepare(`DELETE FROM thumbnails WHERE photo_id = ?`)
  const thumbFile = db.prepare(`SELECT file FROM thumbnails WHERE photo_id = ?`).pluck()
  const move = db.prepare(
    `UPDATE photos SET folder_id = @folderId, path = @path, size = @size, mtime_ms = @mtimeMs,
       status = CASE WHEN error IS NULL THEN 'ok' ELSE 'failed' END, updated_at = @now WHERE id = @id`,
  )
  const restore = db.prepare(
    `UPDATE photos SET status = CASE WHEN error IS NULL THEN 'ok' ELSE 'failed' END, updated_at = ?
     WHERE id = ?`,
  )
  const inserted: number[] = []
  const replacedThumbnails: string[] = []
  db.transaction(() => {
    for (const write of writes) {
      if (write.kind === 'moved') move.run({ ...write, now })
      else if (write.kind === 'restored') restore.run(now, write.id)
      else {
        const values = { ...rowValues(write), now }
        let id = write.id
        if (id === null) {
          id = Number(insert.run(values).lastInsertRowid)
          inserted.push(id)
        } else {
          if (oldHash.get(id) !== write.hash) dropFeatures.run(id)
          const previous = thumbFile.get(id) as string | undefined
          if (previous) replacedThumbnails.push(previous)
          update.run({ ...values, id })
        }
        if (write.result.ok) {
          const t = write.result.photo.thumbnail
          putThumb.run(id, t.file, t.width, t.height, t.bytes)
        } else dropThumb.run(id)
      }
    }
  })()
  return { inserted, replacedThumbnails }
}

function rowValues(write: Extract<PhotoWrite, { kind: 'decoded' }>) {
  const base = {
    folderId: write.folderId,
    path: write.path,
    size: write.size,
    mtimeMs: write.mtimeMs,
    hash: write.hash,
    notAPhoto: write.notAPhoto ? 1 : 0,
  }
  if (!write.result.ok) {
    return {
      ...base,
      format: null,
      width: null,
      height: null,
      orientation: null,
      takenAt: null,
      takenAtSource: null,
      lat: null,
      lon: null,
      camera: null,
      status: 'failed',
      error: write.result.error,
    }
  }
  const photo = write.result.photo
  const fromExif = photo.exif.takenAt !== null
  return {
    ...base,
    format: photo.format,
    width: photo.width,
    height: photo.height,
    orientation: photo.orientation,
    takenAt: fromExif ? photo.exif.takenAt : write.mtimeMs,
    takenAtSource: fromExif ? 'exif' : 'mtime',
    lat: photo.exif.gps?.lat ?? null,
    lon: photo.exif.gps?.lon ?? null,
    camera: photo.exif.camera,
    status: 'ok',
    error: null,
  }
}

/**
 * Marks known photos under the scanned folders that were not found on disk as missing. Matching
 * by path (not folder id) also covers photos first imported through another, nested folder.
 */
export function markMissing(db: Db, roots: string[], seen: Set<string>): number {
  const select = db.prepare(
    `SELECT id, path FROM photos WHERE status != 'missing' AND instr(path, ?) = 1`,
  )
  const mark = db.prepare(`UPDATE photos SET status = 'missing', updated_at = ? WHERE id = ?`)
  let missing = 0
  db.transaction(() => {
    for (const root of roots) {
      const prefix = root.endsWith(path.sep) ? root : root + path.sep
      for (const row of select.all(prefix) as { id: number; path: string }[]) {
        if (seen.has(row.path)) continue
        mark.run(Date.now(), row.id)
        missing++
      }
    }
  })()
  return missing
}

/**
 * Groups exact copies: in each set of usable photos with one content hash, the oldest row (lowest
 * id, so the choice is stable across imports) is the representative and the others point to it.
 */
export function regroupDuplicates(db: Db): void {
  db.transaction(() => {
    db.exec(`
      UPDATE photos SET duplicate_of = NULL
      WHERE duplicate_of IS NOT NULL AND (status != 'ok' OR hash IS NULL);

      UPDATE photos SET duplicate_of = NULLIF(g.rep, photos.id)
      FROM (SELECT hash, MIN(id) AS rep FROM photos WHERE status = 'ok' AND hash IS NOT NULL
            GROUP BY hash) AS g
      WHERE photos.hash = g.hash AND photos.status = 'ok'
        AND photos.duplicate_of IS NOT NULLIF(g.rep, photos.id);
    `)
  })()
}

/** Deletes thumbnail files no photo refers to any more (after removals or changed content). */
export function removeOrphanThumbnails(db: Db, thumbnailDir: string, candidates: string[]): void {
  const used = db.prepare(`SELECT 1 FROM thumbnails WHERE file = ? LIMIT 1`).pluck()
  for (const file of new Set(candidates)) {
    if (used.get(file)) continue
    fs.rmSync(path.join(thumbnailDir, file), { force: true })
    fs.rmSync(path.join(thumbnailDir, networkInputFile(file)), { force: true })
    fs.rmSync(path.join(thumbnailDir, legacyInputFile(file)), { force: true })
  }
}
