/**
 * What the export journal records beyond the files themselves, so that a resume or an undo
 * after a crash removes exactly what the export made: its temporary files and its folders.
 */
import path from 'node:path'
import { makeFolderAsync } from '../fs/user-folders'
import type { Db } from '../store/database'
import { exists, removeOwnFile } from './files'
import type { ItemRow } from './run'

/**
 * Exports left `running` by a process that is gone (a crash or a kill) are marked interrupted:
 * they can be resumed or undone. Call only while holding the library's job lock.
 */
export function markInterruptedExports(db: Db): number {
  return db
    .prepare(
      `UPDATE exports SET state = 'interrupted',
         error = 'The export stopped before it ended (the program was closed or crashed): resume or undo it.'
       WHERE state = 'running'`,
    )
    .run().changes
}

/** Journals the temporary file an item is about to be written to, before it exists. */
export function recordPartial(db: Db, exportId: number, item: ItemRow): (partial: string) => void {
  const update = db.prepare(
    `UPDATE export_items SET partial = ? WHERE export_id = ? AND target = ?`,
  )
  return (partial) => update.run(partial, exportId, item.target)
}

/** A temporary file left by an attempt that was killed: ours (its random name was journaled). */
export async function removeLeftoverPartial(item: ItemRow): Promise<void> {
  if (item.partial !== null) await removeOwnFile(item.partial)
}

/**
 * Creates `dir` and the folders above it that are missing, journaling each one below the
 * destination first: an undo removes the group folders this export made (the destination the
 * person chose stays), never one that was there before.
 */
export async function makeFolders(db: Db, exportId: number, destination: string, dir: string) {
  const missing: string[] = []
  for (let at = dir; isBelow(destination, at) && !(await exists(at)); at = path.dirname(at)) {
    missing.push(at)
  }
  if (missing.length === 0) return
  const record = db.prepare(`INSERT OR IGNORE INTO export_folders (export_id, path) VALUES (?, ?)`)
  db.transaction(() => missing.forEach((folder) => record.run(exportId, folder)))()
  // Step by step, never Node's recursive mkdir: the destination may have become a link to /proc.
  await makeFolderAsync(dir)
}

function isBelow(root: string, dir: string): boolean {
  const relative = path.relative(root, dir)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}
