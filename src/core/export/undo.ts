import fs from 'node:fs/promises'
import path from 'node:path'
import type { ExportMode } from '../../shared/contract'
import { EditError } from '../edits/errors'
import type { Db } from '../store/database'
import { osPath } from '../library/paths'
import { exists, isOurPlacement, moveBack } from './files'
import { recordPartial, removeLeftoverPartial } from './journal'
import { busyExports, requireExport, type ExportProgress, type ItemRow } from './run'

export interface UndoResult {
  /** Files moved back (move) or removed (copy and links). */
  reverted: number
  /** Files left in place, each with the reason, e.g. a name now taken at the original place. */
  kept: { target: string; reason: string }[]
}

function setPhotoPath(db: Db, item: ItemRow, file: string): void {
  if (item.photo_id === null) return
  db.prepare(`UPDATE photos SET path = ?, updated_at = ? WHERE id = ?`).run(
    file,
    Date.now(),
    item.photo_id,
  )
}

/** Reverses one file: a move goes back (and the library path with it), anything else is removed. */
async function revertItem(
  db: Db,
  exportId: number,
  mode: ExportMode,
  item: ItemRow,
): Promise<string | null> {
  await removeLeftoverPartial(item)
  if (mode === 'move') {
    // A kill between the link and the unlink of a move (either way) leaves two names for one
    // file: the export's name goes, the photo stays where it was.
    if ((await exists(item.source)) && (await isOurPlacement('move', item.source, item.target))) {
      await fs.unlink(osPath(item.target))
      setPhotoPath(db, item, item.source)
      return null
    }
    const moved = item.done === 1 || (!(await exists(item.source)) && (await exists(item.target)))
    if (!moved) return null
    if (!(await exists(item.target))) return 'it is no longer in the export folder'
    if (await exists(item.source))
      return `${item.source} exists again, and Kindred never overwrites a file`
    await fs.mkdir(osPath(path.dirname(item.source)), { recursive: true })
    await moveBack(item.target, item.source, recordPartial(db, exportId, item))
    setPhotoPath(db, item, item.source)
    return null
  }
  if (!(await exists(item.target))) return null
  // Only remove what the export made and what is not the last copy of a photo.
  if (!(await isOurPlacement(mode, item.source, item.target))) {
    return item.done === 1 ? 'it was changed after the export, or its original is gone' : null
  }
  await fs.unlink(osPath(item.target))
  return null
}

/** Removes the folders the export created, deepest first, when they are empty. */
async function removeOwnFolders(db: Db, exportId: number): Promise<void> {
  const folders = db
    .prepare(`SELECT path FROM export_folders WHERE export_id = ? ORDER BY length(path) DESC`)
    .pluck()
    .all(exportId) as string[]
  const forget = db.prepare(`DELETE FROM export_folders WHERE export_id = ? AND path = ?`)
  for (const dir of folders) {
    // rmdir fails, as wanted, on a folder that is not empty (something else is in it now).
    const removed = await fs.rmdir(osPath(dir)).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
    )
    if (removed) forget.run(exportId, dir)
  }
}

/**
 * Undoes an export, including an interrupted one: moved photos go back to where they were
 * (their paths in the library too); copies and links the export made are removed, together
 * with the folders it left empty. Files that cannot be reverted safely stay and are reported.
 */
export async function undoExport(
  lib: { db: Db },
  exportId: number,
  progress: ExportProgress = {},
): Promise<UndoResult> {
  const { db } = lib
  const record = requireExport(db, exportId)
  if (record.state === 'undone')
    throw new EditError('conflict', `Export ${exportId} was already undone.`)
  if (busyExports.has(exportId))
    throw new EditError('conflict', `Export ${exportId} is still running: cancel it first.`)
  busyExports.add(exportId)
  try {
    const items = db
      .prepare(
        `SELECT photo_id, source, target, done, partial FROM export_items WHERE export_id = ? ORDER BY target DESC`,
      )
      .all(exportId) as ItemRow[]
    const result: UndoResult = { reverted: 0, kept: [] }
    const markUndone = db.prepare(
      `UPDATE export_items SET done = 0, partial = NULL WHERE export_id = ? AND target = ?`,
    )
    let done = 0
    for (const item of items) {
      progress.signal?.throwIfAborted()
      const wasThere = await exists(item.target)
      const problem = await revertItem(db, exportId, record.mode, item)
      if (problem) result.kept.push({ target: item.target, reason: problem })
      else {
        if (wasThere && !(await exists(item.target))) result.reverted++
        markUndone.run(exportId, item.target)
      }
      done++
      progress.onProgress?.(done, items.length)
    }
    await removeOwnFolders(db, exportId)
    const state = result.kept.length === 0 ? 'undone' : 'failed'
    const error =
      result.kept.length === 0 ? null : `${result.kept.length} files could not be reverted.`
    db.prepare(`UPDATE exports SET state = ?, error = ?, finished_at = ? WHERE id = ?`).run(
      state,
      error,
      Date.now(),
      exportId,
    )
    return result
  } finally {
    busyExports.delete(exportId)
  }
}
