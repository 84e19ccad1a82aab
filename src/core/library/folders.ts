import path from 'node:path'
import type { FolderInfo } from '../../shared/contract'
import type { Library } from '../store/library'

interface FolderRow {
  id: number
  path: string
  photoCount: number
  lastScanAt: number | null
}

const FOLDER_SELECT = `SELECT f.id, f.path, f.last_scan_at AS lastScanAt,
    (SELECT COUNT(*) FROM photos p WHERE p.folder_id = f.id AND p.status = 'ok') AS photoCount
  FROM folders f`

export function listFolders(lib: Library): FolderInfo[] {
  return lib.db.prepare(`${FOLDER_SELECT} ORDER BY f.path`).all() as FolderRow[]
}

export function getFolder(lib: Library, id: number): FolderInfo | null {
  return (
    (lib.db.prepare(`${FOLDER_SELECT} WHERE f.id = ?`).get(id) as FolderRow | undefined) ?? null
  )
}

/** Adds a source folder (an absolute path); adding one already there returns it unchanged. */
export function addFolder(lib: Library, folder: string): FolderInfo {
  const absolute = path.resolve(folder)
  lib.db
    .prepare(`INSERT INTO folders (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING`)
    .run(absolute, Date.now())
  const id = lib.db.prepare(`SELECT id FROM folders WHERE path = ?`).pluck().get(absolute) as number
  return getFolder(lib, id)!
}
