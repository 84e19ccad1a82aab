import path from 'node:path'
import type { FolderInfo } from '../../shared/contract'
import type { Library } from '../store/library'

interface FolderRow {
  id: number
  path: string
  photoCount: number
  lastScanAt: number | null
  watched: 0 | 1
}

const FOLDER_SELECT = `SELECT f.id, f.path, f.last_scan_at AS lastScanAt, f.watch AS watched,
    (SELECT COUNT(*) FROM photos p WHERE p.folder_id = f.id AND p.status = 'ok') AS photoCount
  FROM folders f`

function folderInfo(row: FolderRow): FolderInfo {
  return { ...row, watched: row.watched === 1 }
}

export function listFolders(lib: Library): FolderInfo[] {
  return (lib.db.prepare(`${FOLDER_SELECT} ORDER BY f.path`).all() as FolderRow[]).map(folderInfo)
}

export function getFolder(lib: Library, id: number): FolderInfo | null {
  const row = lib.db.prepare(`${FOLDER_SELECT} WHERE f.id = ?`).get(id) as FolderRow | undefined
  return row ? folderInfo(row) : null
}

/** Switches watching a folder on or off; returns the folder, or null when there is none. */
export function setFolderWatched(lib: Library, id: number, watch: boolean): FolderInfo | null {
  lib.db.prepare(`UPDATE folders SET watch = ? WHERE id = ?`).run(watch ? 1 : 0, id)
  return getFolder(lib, id)
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
