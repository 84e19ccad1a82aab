import { munkres } from 'munkres'
import type { Db } from '../store/database'

/** A group of the previous run, with what a person gave it. */
export interface OldGroup {
  id: number
  name: string | null
  createdBy: 'model' | 'user'
}

/** What carries over from the previous run into a new one. */
export interface CarryOver {
  /** New model cluster index → the name of the old group it was matched to. */
  names: Map<number, string>
  /** Photo id → where a person had put it: a new model cluster, an old group to recreate, or Unsorted. */
  userPlacements: Map<
    number,
    { modelCluster: number } | { recreate: OldGroup } | { unsorted: true }
  >
}

/** Maps every cluster of a run to the group it now belongs to (following merges). */
export function groupRoots(db: Db, runId: number): Map<number, number> {
  const rows = db.prepare(`SELECT id, merged_into FROM clusters WHERE run_id = ?`).all(runId) as {
    id: number
    merged_into: number | null
  }[]
  const parent = new Map(rows.map((r) => [r.id, r.merged_into]))
  const roots = new Map<number, number>()
  for (const { id } of rows) {
    let root = id
    const seen = new Set<number>()
    while (parent.get(root) != null && !seen.has(root)) {
      seen.add(root)
      root = parent.get(root)!
    }
    roots.set(id, root)
  }
  return roots
}

/**
 * Matches the old run's groups to the new clusters one-to-one by how many photos they share
 * (Hungarian matching on the overlap counts). Named groups pass their name on; photos a person
 * placed keep their group: the matched new cluster, or their old group recreated when it has no
 * match.
 */
export function planCarryOver(
  db: Db,
  oldRunId: number,
  photoIds: ArrayLike<number>,
  best: Int32Array,
  k: number,
): CarryOver {
  const roots = groupRoots(db, oldRunId)
  const groups = new Map(
    (
      db
        .prepare(
          `SELECT id, name, created_by FROM clusters WHERE run_id = ? AND merged_into IS NULL`,
        )
        .all(oldRunId) as {
        id: number
        name: string | null
        created_by: 'model' | 'user'
      }[]
    ).map((g) => [g.id, { id: g.id, name: g.name, createdBy: g.created_by } satisfies OldGroup]),
  )
  const rowOf = new Map([...groups.keys()].map((id, row) => [id, row]))
  const indexOf = new Map<number, number>()
  for (let i = 0; i < photoIds.length; i++) indexOf.set(photoIds[i]!, i)

  const old = db
    .prepare(`SELECT photo_id, cluster_id, source FROM assignments WHERE run_id = ?`)
    .all(oldRunId) as { photo_id: number; cluster_id: number | null; source: 'model' | 'user' }[]
  const overlap = Array.from({ length: groups.size }, () => new Array<number>(k).fill(0))
  for (const a of old) {
    const i = indexOf.get(a.photo_id)
    const root = a.cluster_id === null ? undefined : roots.get(a.cluster_id)
    const row = root === undefined ? undefined : rowOf.get(root)
    if (i !== undefined && row !== undefined) overlap[row]![best[i]!]! += 1
  }

  const matchOf = new Map<number, number>() // old group id → new model cluster
  const names = new Map<number, string>()
  if (groups.size > 0 && k > 0) {
    const ids = [...groups.keys()]
    for (const [row, col] of munkres(overlap.map((r) => r.map((v) => -v)))) {
      if (overlap[row]![col]! <= 0) continue
      const group = groups.get(ids[row]!)!
      matchOf.set(group.id, col)
      if (group.name !== null) names.set(col, group.name)
    }
  }

  const userPlacements: CarryOver['userPlacements'] = new Map()
  for (const a of old) {
    if (a.source !== 'user' || !indexOf.has(a.photo_id)) continue
    const root = a.cluster_id === null ? undefined : roots.get(a.cluster_id)
    const group = root === undefined ? undefined : groups.get(root)
    if (!group) userPlacements.set(a.photo_id, { unsorted: true })
    else if (matchOf.has(group.id))
      userPlacements.set(a.photo_id, { modelCluster: matchOf.get(group.id)! })
    else userPlacements.set(a.photo_id, { recreate: group })
  }
  return { names, userPlacements }
}
