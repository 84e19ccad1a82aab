import type { ExportRecord } from '../../shared/contract'
import type { Db } from '../store/database'
import { busyExports } from './run'

/**
 * Every export, newest first, with the number of files it covers and has placed. An export
 * recorded as running that no one in this engine is working on was stopped by a crash or a
 * kill: it is shown as interrupted, which is what it is. `live`: the exports this process is
 * running or has queued.
 */
export function listExports(
  lib: { db: Db },
  live: ReadonlySet<number> = busyExports,
): ExportRecord[] {
  const rows = lib.db
    .prepare(
      `SELECT e.id, e.destination, e.mode, e.state, e.error, e.started_at AS startedAt,
         (SELECT COUNT(*) FROM export_items i WHERE i.export_id = e.id) AS files,
         (SELECT COUNT(*) FROM export_items i WHERE i.export_id = e.id AND i.done = 1) AS placed
       FROM exports e ORDER BY e.id DESC`,
    )
    .all() as ExportRecord[]
  return rows.map((row) =>
    row.state === 'running' && !live.has(row.id)
      ? {
          ...row,
          state: 'interrupted',
          error: `The export stopped before it ended (${row.placed} of ${row.files} files are done): resume or undo it.`,
        }
      : row,
  )
}
