/**
 * Finding photos across the library (or inside one group) by file name or folder text, source
 * folder, date taken, and doubt: what a person uses to clean up a library.
 */
import type { FoundPhoto, PhotoQuery } from '../../shared/contract'
import type { Db } from '../store/database'
import { groupRoots } from './carryover'
import { DOUBTFUL_BELOW } from './doubt'
import { memberOf, type MemberRow } from './read'
import { currentRun } from './runs'

interface FoundRow extends MemberRow {
  taken_at: number | null
  cluster_id: number | null
}

/** `%` and `_` are LIKE wildcards: a person typing them means the characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export function searchPhotos(
  db: Db,
  query: PhotoQuery,
  offset = 0,
  limit = 200,
): { total: number; photos: FoundPhoto[] } {
  const run = currentRun(db)
  const roots = run ? groupRoots(db, run.id) : new Map<number, number>()
  const where = [`p.status = 'ok'`, `p.duplicate_of IS NULL`, `p.hidden = 0`]
  const params: Record<string, unknown> = { run: run?.id ?? -1 }
  const text = query.text?.trim()
  if (text) {
    // Every word must appear somewhere in the path (file name or any folder above it).
    text.split(/\s+/).forEach((word, i) => {
      where.push(`p.path LIKE @w${i} ESCAPE '\\'`)
      params[`w${i}`] = likePattern(word)
    })
  }
  if (query.folderId !== undefined) {
    where.push(`p.folder_id = @folder`)
    params.folder = query.folderId
  }
  if (query.takenFrom !== undefined) {
    where.push(`p.taken_at >= @from`)
    params.from = query.takenFrom
  }
  if (query.takenTo !== undefined) {
    where.push(`p.taken_at < @to`)
    params.to = query.takenTo
  }
  if (query.clusterId === null) where.push(`a.cluster_id IS NULL`)
  else if (query.clusterId !== undefined) {
    const parts = [...roots].filter(([, root]) => root === query.clusterId).map(([id]) => id)
    where.push(`a.cluster_id IN (${parts.map((id) => Math.trunc(id)).join(', ') || '-1'})`)
  }
  if (query.doubtful) {
    // A superset in SQL; isDoubtful decides (a runner-up merged into the photo's own group
    // is no doubt any more), so the few doubtful rows are paged here.
    where.push(`a.source = 'model' AND a.cluster_id IS NOT NULL AND a.confidence < @below`)
    params.below = DOUBTFUL_BELOW
  }
  const from = `FROM photos p LEFT JOIN assignments a ON a.photo_id = p.id AND a.run_id = @run
    WHERE ${where.join(' AND ')}`
  const select = `SELECT p.id AS photo_id, p.path, p.taken_at, a.cluster_id, a.probability,
    a.confidence, a.runner_up_cluster_id, a.source, a.reason ${from}`
  const rootOf = (id: number | null) => (id === null ? null : (roots.get(id) ?? null))
  if (query.doubtful) {
    const all = (db.prepare(`${select} ORDER BY a.confidence, p.id`).all(params) as FoundRow[])
      .map((r) => found(r, rootOf))
      .filter((photo) => photo.doubtful)
    return { total: all.length, photos: all.slice(offset, offset + limit) }
  }
  const total = db.prepare(`SELECT count(*) ${from}`).pluck().get(params) as number
  const rows = db
    .prepare(`${select} ORDER BY p.taken_at IS NULL, p.taken_at, p.id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as FoundRow[]
  return { total, photos: rows.map((r) => found(r, rootOf)) }
}

function found(r: FoundRow, rootOf: (id: number | null) => number | null): FoundPhoto {
  const clusterId = rootOf(r.cluster_id)
  return { ...memberOf(r, clusterId, rootOf), clusterId, takenAt: r.taken_at }
}
