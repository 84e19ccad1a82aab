import { munkres } from 'munkres'
import type { Db } from '../store/database'

/** A group of the previous run, with what a person gave it. */
export interface OldGroup {
  id: number
  name: string | null
  createdBy: 'model' | 'user'
  /** A person named, made, merged or split it: it survives retraining with its members. */
  kept: boolean
}

/**
 * Where a photo goes instead of where the new model puts it: a new model cluster, an old group
 * recreated (a kept group no new cluster continues), or Unsorted. `source` is who decided: the
 * person ('user', a photo placed by hand) or the model ('model', a member of a kept group, with
 * the confidence it had there).
 */
export type Placement =
  | { modelCluster: number; source: 'model' | 'user' }
  | { recreate: OldGroup; source: 'model' | 'user'; confidence: number }
  | { unsorted: true }

/** What carries over from the previous run into a new one. */
export interface CarryOver {
  /** New model cluster index → the kept group of the previous run it continues. */
  successors: Map<number, OldGroup>
  /**
   * Group of the previous run, kept or not → the new model cluster that continues it: the one it
   * matches, when its photos make at least half of that cluster.
   */
  continuations: Map<number, number>
  /** Photo id → where it goes instead of the model's choice. */
  placements: Map<number, Placement>
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

interface OldAssignment {
  photo_id: number
  cluster_id: number | null
  source: 'model' | 'user'
  confidence: number
}

function oldGroups(db: Db, runId: number): Map<number, OldGroup> {
  const rows = db
    .prepare(
      `SELECT id, name, created_by, kept FROM clusters WHERE run_id = ? AND merged_into IS NULL`,
    )
    .all(runId) as { id: number; name: string | null; created_by: 'model' | 'user'; kept: number }[]
  return new Map(
    rows.map((g) => [
      g.id,
      {
        id: g.id,
        name: g.name,
        createdBy: g.created_by,
        // A name or a group made by hand is kept even where the mark is missing.
        kept: g.kept === 1 || g.name !== null || g.created_by === 'user',
      },
    ]),
  )
}

/**
 * Old group → new model cluster, one-to-one by the photos they share (Hungarian matching on
 * the overlap counts). A kept group continues as its match only when it holds at least half of
 * the photos the model put there, so that a small kept group never lends its name to a big new
 * cluster of other photos.
 */
function matchGroups(
  groups: Map<number, OldGroup>,
  overlap: number[][],
  sizes: number[],
): Map<number, number> {
  const matchOf = new Map<number, number>()
  const ids = [...groups.keys()]
  if (ids.length === 0 || sizes.length === 0) return matchOf
  for (const [row, col] of munkres(overlap.map((r) => r.map((v) => -v)))) {
    const shared = overlap[row]![col]!
    if (shared <= 0) continue
    const group = groups.get(ids[row]!)!
    if (group.kept && shared * 2 < sizes[col]!) continue
    matchOf.set(group.id, col)
  }
  return matchOf
}

/**
 * Plans how the previous run's edits carry over into a new one whose model puts photo i in
 * cluster `best[i]`. A kept group (named, made, merged or split by a person) survives with all
 * its members: it continues as the new cluster it matches, or is recreated. That is, its
 * members must stay together and apart from other kept groups' members, whatever the model
 * says: a merge is a must-link, a split a cannot-link. Photos placed by hand keep their place.
 * Everything else goes where the new model puts it, which may be into a kept group.
 */
export function planCarryOver(
  db: Db,
  oldRunId: number,
  photoIds: ArrayLike<number>,
  best: Int32Array,
  k: number,
): CarryOver {
  const roots = groupRoots(db, oldRunId)
  const groups = oldGroups(db, oldRunId)
  const rowOf = new Map([...groups.keys()].map((id, row) => [id, row]))
  const indexOf = new Map<number, number>()
  for (let i = 0; i < photoIds.length; i++) indexOf.set(photoIds[i]!, i)
  const groupOf = (a: OldAssignment): OldGroup | undefined => {
    const root = a.cluster_id === null ? undefined : roots.get(a.cluster_id)
    return root === undefined ? undefined : groups.get(root)
  }

  const old = (
    db
      .prepare(`SELECT photo_id, cluster_id, source, confidence FROM assignments WHERE run_id = ?`)
      .all(oldRunId) as OldAssignment[]
  ).filter((a) => indexOf.has(a.photo_id))
  const sizes = new Array<number>(k).fill(0)
  for (let i = 0; i < photoIds.length; i++) sizes[best[i]!]! += 1
  const overlap = Array.from({ length: groups.size }, () => new Array<number>(k).fill(0))
  for (const a of old) {
    const group = groupOf(a)
    if (group) overlap[rowOf.get(group.id)!]![best[indexOf.get(a.photo_id)!]!]! += 1
  }
  const matchOf = matchGroups(groups, overlap, sizes)

  const continuations = new Map<number, number>()
  const successors = new Map<number, OldGroup>()
  for (const [groupId, col] of matchOf) {
    if (overlap[rowOf.get(groupId)!]![col]! * 2 < sizes[col]!) continue
    continuations.set(groupId, col)
    const group = groups.get(groupId)!
    if (group.kept) successors.set(col, group)
  }

  const placements: CarryOver['placements'] = new Map()
  for (const a of old) {
    const group = groupOf(a)
    if (a.source === 'user' && !group) {
      placements.set(a.photo_id, { unsorted: true })
      continue
    }
    // The model places members of groups nobody touched.
    if (!group || (a.source === 'model' && !group.kept)) continue
    const col = matchOf.get(group.id)
    placements.set(
      a.photo_id,
      col !== undefined
        ? { modelCluster: col, source: a.source }
        : { recreate: group, source: a.source, confidence: a.confidence },
    )
  }
  return { successors, continuations, placements }
}
