/** What a batch of folder changes did to the library, in numbers and in one sentence. */
import type { WatchReport } from '../../shared/contract'
import { currentRun } from '../clusters'
import type { ImportSummary } from '../ingest'
import type { Db } from '../store/database'

/** The newest photo row now: photos imported later have higher ids. */
export function newestPhotoId(db: Db): number {
  return (db.prepare(`SELECT COALESCE(MAX(id), 0) FROM photos`).pluck().get() as number) ?? 0
}

/** New usable photos (not copies of one the library has) imported after row `after`. */
export function newPhotoIds(db: Db, after: number): number[] {
  return db
    .prepare(
      `SELECT id FROM photos WHERE id > ? AND status = 'ok' AND duplicate_of IS NULL ORDER BY id`,
    )
    .pluck()
    .all(after) as number[]
}

/** How many of `ids` sit in a group of the current run (the others are Unsorted). */
export function countGrouped(db: Db, ids: readonly number[]): number {
  const run = currentRun(db)
  if (!run || ids.length === 0) return 0
  const inGroup = db
    .prepare(
      `SELECT 1 FROM assignments WHERE photo_id = ? AND run_id = ? AND cluster_id IS NOT NULL`,
    )
    .pluck()
  return ids.filter((id) => inGroup.get(id, run.id) === 1).length
}

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

export interface BatchOutcome {
  summary: ImportSummary
  /** The paths the batch saw change: files that failed elsewhere before are not news. */
  paths: ReadonlySet<string>
  /** New usable photos, and how many of them a group took; null when nothing is organized. */
  newPhotos: number
  grouped: number | null
}

export function watchReport({ summary, paths, newPhotos, grouped }: BatchOutcome): WatchReport {
  const report = {
    added: summary.imported,
    grouped: grouped ?? 0,
    unsorted: grouped === null ? 0 : newPhotos - grouped,
    changed: summary.updated,
    moved: summary.moved,
    missing: summary.missing,
    failed: summary.failed.filter((failure) => paths.has(failure.path)).length,
  }
  return { ...report, message: describe(report, grouped !== null) }
}

/** "3 new photos added to groups, 1 missing". */
function describe(r: Omit<WatchReport, 'message'>, organized: boolean): string {
  const parts: string[] = []
  if (r.added > 0) {
    const photos = count(r.added, 'new photo')
    if (!organized) parts.push(`${photos} imported`)
    else if (r.unsorted === 0) parts.push(`${photos} added to groups`)
    else if (r.grouped === 0) parts.push(`${photos} sent to Unsorted`)
    else parts.push(`${photos}: ${r.grouped} added to groups, ${r.unsorted} sent to Unsorted`)
  }
  if (r.changed > 0) parts.push(`${count(r.changed, 'changed photo')} read again`)
  if (r.moved > 0) parts.push(`${r.moved} moved`)
  if (r.missing > 0) parts.push(`${r.missing} missing`)
  if (r.failed > 0) parts.push(`${count(r.failed, 'file')} could not be read`)
  return parts.join(', ')
}

/** True when the batch changed nothing worth telling (a temporary file came and went). */
export function isEmptyReport(r: WatchReport): boolean {
  return r.message === ''
}
