import { findCurrentRun, groupName } from '../edits/run'
import type { Db } from '../store/database'
import { folderNameFor, parseFolderPattern } from './pattern'

/**
 * The folder name a pattern gives for one real photo of the library (the newest photo of the
 * largest group), so a person sees what the pattern means before previewing a whole export.
 * Without groups yet, "Group 1" and today stand in. A bad pattern is refused with the reason.
 */
export function exampleFolderName(lib: { db: Db }, folderPattern: string): string {
  const pattern = parseFolderPattern(folderPattern)
  const run = findCurrentRun(lib.db)
  const row =
    run &&
    (lib.db
      .prepare(
        `SELECT c.idx, c.name, MAX(COALESCE(p.taken_at, p.mtime_ms)) AS takenAt, COUNT(*) AS size
         FROM clusters c JOIN assignments a ON a.cluster_id = c.id AND a.run_id = c.run_id
         JOIN photos p ON p.id = a.photo_id
         WHERE c.run_id = ? AND c.merged_into IS NULL AND p.status = 'ok' AND p.duplicate_of IS NULL
         GROUP BY c.id ORDER BY size DESC, c.idx LIMIT 1`,
      )
      .get(run.id) as { idx: number; name: string | null; takenAt: number } | undefined)
  const group = row ? groupName(row) : 'Group 1'
  const fallback = row ? groupName({ idx: row.idx, name: null }) : 'Group 1'
  return folderNameFor(pattern, group, row ? row.takenAt : Date.now(), fallback)
}
