import fs from 'node:fs'
import path from 'node:path'
import type { FailedPhoto, LibrarySummary } from '../../shared/contract'
import { DB_FILE, type Library } from '../store/library'
import { listFolders } from './folders'
import { readablePath } from './paths'

export { addFolder, getFolder, listFolders, setFolderWatched } from './folders'

/**
 * Counts per state. `ok` counts usable photos (decoded, not a copy of another); `duplicates`
 * counts decoded photos that are exact copies of a representative already counted in `ok`.
 */
export function librarySummary(lib: Library): LibrarySummary {
  const counts = lib.db
    .prepare(
      `SELECT
         COUNT(*) FILTER (WHERE status = 'ok' AND duplicate_of IS NULL) AS ok,
         COUNT(*) FILTER (WHERE status = 'failed') AS failed,
         COUNT(*) FILTER (WHERE status = 'missing') AS missing,
         COUNT(*) FILTER (WHERE status = 'ok' AND duplicate_of IS NOT NULL) AS duplicates
       FROM photos`,
    )
    .get() as LibrarySummary['photos']
  return { dir: lib.dir, folders: listFolders(lib), photos: counts, bytes: libraryBytes(lib) }
}

/** The database (with its WAL) plus each thumbnail file once (copies share one file). */
export function libraryBytes(lib: Library): number {
  const thumbnails = lib.db
    .prepare(
      `SELECT COALESCE(SUM(bytes), 0) FROM (SELECT file, MAX(bytes) AS bytes FROM thumbnails GROUP BY file)`,
    )
    .pluck()
    .get() as number
  const database = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]
    .map((name) => fs.statSync(path.join(lib.dir, name), { throwIfNoEntry: false })?.size ?? 0)
    .reduce((a, b) => a + b, 0)
  return thumbnails + database
}

/** Photos that could not be imported, with their reasons, by path. */
export function listFailures(
  lib: Library,
  page: { offset: number; limit: number } = { offset: 0, limit: 100 },
): { total: number; items: FailedPhoto[] } {
  const total = lib.db
    .prepare(`SELECT COUNT(*) FROM photos WHERE status = 'failed'`)
    .pluck()
    .get() as number
  const items = lib.db
    .prepare(
      `SELECT id, path, COALESCE(error, 'Unknown reason') AS error FROM photos
       WHERE status = 'failed' ORDER BY path LIMIT ? OFFSET ?`,
    )
    .all(page.limit, page.offset) as FailedPhoto[]
  return { total, items: items.map((item) => ({ ...item, path: readablePath(item.path) })) }
}
