import fs from 'node:fs'
import path from 'node:path'
import type { Library } from '../../../src/core/store/library'

/**
 * Registers real photo files as imported, usable photos (what ingest records), so the embed
 * tests exercise only the ML side.
 */
export function addPhotos(lib: Library, files: string[]): number[] {
  const now = Date.now()
  const folder = lib.db
    .prepare('INSERT INTO folders (path, added_at) VALUES (?, ?) RETURNING id')
    .get(path.dirname(files[0] ?? '/'), now) as { id: number }
  const insert = lib.db.prepare(
    `INSERT INTO photos (folder_id, path, size, mtime_ms, status, imported_at, updated_at)
     VALUES (?, ?, ?, ?, 'ok', ?, ?) RETURNING id`,
  )
  return files.map((file) => {
    const stat = fs.statSync(file)
    return (insert.get(folder.id, file, stat.size, stat.mtimeMs, now, now) as { id: number }).id
  })
}
