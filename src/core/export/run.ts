import fs from 'node:fs/promises'
import path from 'node:path'
import type { ExportMode, ExportOptions, ExportPlan, ExportState } from '../../shared/contract'
import { EditError } from '../edits/errors'
import { checkFolderToWrite, kindOf } from '../fs/user-folders'
import type { Db } from '../store/database'
import { osPath } from '../library/paths'
import { exists, isOurPlacement, placeFile, TargetTaken } from './files'
import { makeFolders, recordPartial, removeLeftoverPartial } from './journal'
import { withSuffix } from './names'
import { planExport } from './plan'

export interface ExportProgress {
  signal?: AbortSignal
  /** Files handled so far, of all files in the export (a resumed export starts above 0). */
  onProgress?: (done: number, total: number) => void
}

export interface ExportRow {
  id: number
  destination: string
  mode: ExportMode
  state: ExportState
}

export interface ItemRow {
  photo_id: number | null
  source: string
  target: string
  done: 0 | 1
  /** The temporary file being written for this item when the export stopped, if any. */
  partial: string | null
}

/** Exports being worked on in this process: an undo must wait for them. */
export const busyExports = new Set<number>()

export function requireExport(db: Db, exportId: number): ExportRow {
  const row = db
    .prepare(`SELECT id, destination, mode, state FROM exports WHERE id = ?`)
    .get(exportId) as ExportRow | undefined
  if (!row) throw new EditError('not-found', `Export ${exportId} does not exist.`)
  return row
}

async function sameDrive(destination: string, sources: string[]): Promise<boolean> {
  let dir = destination
  while (!(await exists(dir))) dir = path.dirname(dir)
  const dev = (await fs.stat(dir)).dev
  for (const source of new Set(sources.map((s) => path.dirname(s)))) {
    if ((await fs.stat(osPath(source)).catch(() => null))?.dev !== dev) return false
  }
  return true
}

/**
 * Plans an export and writes it to the journal (every file with its source and target) before
 * anything on disk changes, so an interrupted export can be resumed or undone.
 */
export async function createExport(
  lib: { db: Db },
  options: ExportOptions,
): Promise<{ exportId: number; plan: ExportPlan }> {
  const { db } = lib
  const { summary, files } = planExport(lib, options)
  if (files.length === 0) throw new EditError('invalid-arguments', 'There are no photos to export.')
  if (
    summary.mode === 'hardlink' &&
    !(await sameDrive(
      summary.destination,
      files.map((f) => f.source),
    ))
  ) {
    throw new EditError(
      'invalid-arguments',
      'Hard links only work when the destination is on the same drive as the photos: choose copy or another folder.',
    )
  }
  const exportId = db.transaction(() => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO exports (destination, mode, state, started_at) VALUES (?, ?, 'running', ?)`,
        )
        .run(summary.destination, summary.mode, Date.now()).lastInsertRowid,
    )
    const item = db.prepare(
      `INSERT INTO export_items (export_id, photo_id, source, target) VALUES (?, ?, ?, ?)`,
    )
    for (const f of files) item.run(id, f.photoId, f.source, f.target)
    return id
  })()
  return { exportId, plan: summary }
}

/** A free name beside `target` ("a (2).jpg"…), for a file that appeared after planning. */
async function freeTarget(db: Db, exportId: number, target: string): Promise<string> {
  const taken = db.prepare(`SELECT 1 FROM export_items WHERE export_id = ? AND target = ?`).pluck()
  for (let n = 2; ; n++) {
    const candidate = path.join(path.dirname(target), withSuffix(path.basename(target), n, true))
    if (!taken.get(exportId, candidate) && !(await exists(candidate))) return candidate
  }
}

/** Whether an earlier, interrupted attempt already placed this file. */
async function alreadyPlaced(mode: ExportMode, item: ItemRow): Promise<boolean> {
  if (mode === 'move' && !(await exists(item.source))) return exists(item.target)
  return isOurPlacement(mode, item.source, item.target)
}

async function placeItem(
  db: Db,
  exportId: number,
  { mode, destination }: ExportRow,
  item: ItemRow,
): Promise<string | null> {
  let target = item.target
  await removeLeftoverPartial(item)
  if (await alreadyPlaced(mode, item)) {
    if (mode === 'move' && (await exists(item.source))) await fs.unlink(osPath(item.source)) // linked, not yet unlinked
    return target
  }
  if (!(await exists(item.source))) return null
  // A photo swapped for a FIFO would block the copy (and the job queue) forever.
  const source = await fs.stat(osPath(item.source))
  if (source.isFIFO() || source.isCharacterDevice() || source.isBlockDevice() || source.isSocket())
    throw new Error(`it is now ${kindOf(source)}, not a photo file`)
  await makeFolders(db, exportId, destination, path.dirname(target))
  for (;;) {
    try {
      await placeFile(mode, item.source, target, recordPartial(db, exportId, item))
      return target
    } catch (error) {
      if (!(error instanceof TargetTaken)) throw error
      target = await freeTarget(db, exportId, target)
    }
  }
}

function markPlaced(
  db: Db,
  exportId: number,
  mode: ExportMode,
  item: ItemRow,
  target: string | null,
): void {
  db.transaction(() => {
    if (target === null) {
      // The photo vanished since the plan: nothing to place or to undo.
      db.prepare(`DELETE FROM export_items WHERE export_id = ? AND target = ?`).run(
        exportId,
        item.target,
      )
      return
    }
    db.prepare(
      `UPDATE export_items SET done = 1, target = ?, partial = NULL WHERE export_id = ? AND target = ?`,
    ).run(target, exportId, item.target)
    if (mode === 'move' && item.photo_id !== null) {
      db.prepare(`UPDATE photos SET path = ?, updated_at = ? WHERE id = ?`).run(
        target,
        Date.now(),
        item.photo_id,
      )
    }
  })()
}

const VERBS: Record<ExportMode, string> = {
  copy: 'copy',
  hardlink: 'link',
  symlink: 'link',
  move: 'move',
}

function describeFailure(mode: ExportMode, item: ItemRow, error: unknown): string {
  const reason = (error as NodeJS.ErrnoException).code
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    ENOSPC: 'the disk is full',
    EROFS: 'the destination is read-only',
    ENAMETOOLONG: 'the path is too long',
    EISDIR: 'it is a folder, not a photo',
    ENOTDIR: 'part of the path is a file, not a folder',
    ENOENT: 'the file or folder does not exist',
  }
  const why = (reason && words[reason]) ?? (error as Error).message
  return `Could not ${VERBS[mode]} ${item.source} to ${item.target}: ${why}.`
}

function finish(db: Db, exportId: number, state: ExportRow['state'], error: string | null): void {
  db.prepare(`UPDATE exports SET state = ?, error = ?, finished_at = ? WHERE id = ?`).run(
    state,
    error,
    Date.now(),
    exportId,
  )
}

/** What an export that stopped half-way says: both ways on are real (export.resume, export.undo). */
function stoppedMessage(done: number, total: number): string {
  return `${done} of ${total} files are done: resume or undo the export.`
}

/**
 * Places every file not yet done (so it also resumes an interrupted export), recording each
 * one as it completes. Cancelling stops between files and leaves the export `interrupted`,
 * ready to be resumed or undone.
 */
export async function runExport(
  lib: { db: Db },
  exportId: number,
  progress: ExportProgress = {},
): Promise<{ files: number; skipped: number }> {
  const { db } = lib
  const record = requireExport(db, exportId)
  if (record.state === 'undone')
    throw new EditError('conflict', `Export ${exportId} was undone; start a new one.`)
  if (busyExports.has(exportId))
    throw new EditError('conflict', `Export ${exportId} is already running.`)
  busyExports.add(exportId)
  try {
    // Checked again: since the plan, the destination may have become a link to /proc or a FIFO.
    checkFolderToWrite(record.destination, 'The destination')
    db.prepare(`UPDATE exports SET state = 'running', error = NULL WHERE id = ?`).run(exportId)
    const items = db
      .prepare(
        `SELECT photo_id, source, target, done, partial FROM export_items WHERE export_id = ? ORDER BY target`,
      )
      .all(exportId) as ItemRow[]
    let done = items.filter((i) => i.done === 1).length
    let skipped = 0
    progress.onProgress?.(done, items.length)
    for (const item of items) {
      if (item.done === 1) continue
      if (progress.signal?.aborted) {
        finish(db, exportId, 'interrupted', `Cancelled. ${stoppedMessage(done, items.length)}`)
        progress.signal.throwIfAborted()
      }
      const target = await placeItem(db, exportId, record, item).catch((error: unknown) => {
        throw new EditError(
          'failed',
          `${describeFailure(record.mode, item, error)} ${stoppedMessage(done, items.length)}`,
        )
      })
      markPlaced(db, exportId, record.mode, item, target)
      if (target === null) skipped++
      done++
      progress.onProgress?.(done, items.length)
    }
    finish(db, exportId, 'done', null)
    return { files: done - skipped, skipped }
  } catch (error) {
    if (!progress.signal?.aborted) finish(db, exportId, 'failed', (error as Error).message)
    throw error
  } finally {
    busyExports.delete(exportId)
  }
}
