import type { ExportRecord } from '../../shared/contract'
import type { Db } from '../store/database'

/** Every export, newest first, with the number of files it covers. */
export function listExports(lib: { db: Db }): ExportRecord[] {
  return lib.db
    .prepare(
      `SELECT e.id, e.destination, e.mode, e.state, e.started_at AS startedAt,
         (SELECT COUNT(*) FROM export_items i WHERE i.export_id = e.id) AS files
       FROM exports e ORDER BY e.id DESC`,
    )
    .all() as ExportRecord[]
}
