import { basename } from 'node:path'
import { readablePath } from '../library/paths'
import type { Db } from '../store/database'
import type {
  ClusterId,
  ClusterMember,
  ClusterSort,
  ClusterSummary,
  PhotoId,
  UnsortedReason,
} from '../../shared/contract'
import { groupRoots } from './carryover'
import { isDoubtful } from './doubt'
import { currentRun } from './runs'

/** A group shows at most this many prototypes (its most confident members). */
export const MAX_PROTOTYPES = 9

/** Photos a person sees: read fine, not an exact copy, not hidden by them. */
export const USABLE = `p.status = 'ok' AND p.duplicate_of IS NULL AND p.hidden = 0`

export function displayName(name: string | null, idx: number): string {
  return name ?? `Group ${idx + 1}`
}

export interface GroupList {
  runId: number | null
  clusters: ClusterSummary[]
  unsorted: number
}

/**
 * The cluster ids that make up each group of a run (a group plus the clusters merged into it).
 * Queries go through them so that SQLite uses the assignments(cluster_id) index.
 */
function groupMembersIds(db: Db, runId: number): Map<number, number[]> {
  const parts = new Map<number, number[]>()
  for (const [cluster, root] of groupRoots(db, runId)) {
    const list = parts.get(root) ?? []
    list.push(cluster)
    parts.set(root, list)
  }
  return parts
}

const inList = (ids: readonly number[]) => ids.map((id) => Math.trunc(id)).join(', ')

/**
 * The groups of the current run (merged ones folded into the group they went to) with size,
 * mean confidence and prototypes, plus how many usable photos are Unsorted. Model clusters that
 * ended up empty are left out; a group a person named or made stays even when empty.
 */
export function listGroups(db: Db, sort: ClusterSort = 'size'): GroupList {
  const run = currentRun(db)
  if (!run) return { runId: null, clusters: [], unsorted: unsortedCount(db, null) }
  const parts = groupMembersIds(db, run.id)
  const roots = groupRoots(db, run.id)
  const totals = new Map<number, { size: number; sum: number }>()
  if (roots.size > 0) {
    const counted = db
      .prepare(
        `SELECT a.cluster_id, count(*), sum(a.confidence) FROM assignments a JOIN photos p ON p.id = a.photo_id
         WHERE a.cluster_id IN (${inList([...roots.keys()])}) AND a.run_id = ? AND ${USABLE}
         GROUP BY a.cluster_id`,
      )
      .raw()
      .all(run.id) as [number, number, number][]
    for (const [cluster, size, sum] of counted) {
      const root = roots.get(cluster)!
      const total = totals.get(root) ?? { size: 0, sum: 0 }
      totals.set(root, { size: total.size + size, sum: total.sum + sum })
    }
  }
  const rows = db
    .prepare(
      `SELECT id, idx, name, created_by FROM clusters WHERE run_id = ? AND merged_into IS NULL`,
    )
    .all(run.id) as { id: number; idx: number; name: string | null; created_by: string }[]
  const clusters = rows.flatMap((r): ClusterSummary[] => {
    const { size, sum } = totals.get(r.id) ?? { size: 0, sum: 0 }
    if (size === 0 && r.name === null && r.created_by !== 'user') return []
    return [
      {
        id: r.id,
        name: displayName(r.name, r.idx),
        named: r.name !== null,
        size,
        meanConfidence: size > 0 ? sum / size : 0,
        prototypes: size > 0 ? prototypesOf(db, run.id, parts.get(r.id) ?? [r.id]) : [],
      },
    ]
  })
  return {
    runId: run.id,
    clusters: sortGroups(clusters, sort),
    unsorted: unsortedCount(db, run.id),
  }
}

function sortGroups(groups: ClusterSummary[], sort: ClusterSort): ClusterSummary[] {
  const byName = (a: ClusterSummary, b: ClusterSummary) =>
    a.name.localeCompare(b.name, undefined, { numeric: true })
  if (sort === 'name') return groups.sort(byName)
  if (sort === 'confidence')
    return groups.sort((a, b) => b.meanConfidence - a.meanConfidence || byName(a, b))
  return groups.sort((a, b) => b.size - a.size || byName(a, b))
}

function prototypesOf(
  db: Db,
  runId: number,
  clusterIds: number[],
  limit = MAX_PROTOTYPES,
): PhotoId[] {
  return db
    .prepare(
      `SELECT a.photo_id FROM assignments a JOIN photos p ON p.id = a.photo_id
       WHERE a.cluster_id IN (${inList(clusterIds)}) AND a.run_id = ? AND ${USABLE}
       ORDER BY a.source = 'model' DESC, a.probability DESC, a.photo_id LIMIT ?`,
    )
    .pluck()
    .all(runId, limit) as PhotoId[]
}

/** The group's most confident members by the model (photos a person placed only if no others). */
export function prototypes(
  db: Db,
  runId: number,
  groupId: ClusterId,
  limit = MAX_PROTOTYPES,
): PhotoId[] {
  return prototypesOf(db, runId, groupMembersIds(db, runId).get(groupId) ?? [groupId], limit)
}

/** Usable photos in no group of the run (never assigned, or moved to Unsorted). */
export function unsortedCount(db: Db, runId: number | null): number {
  return db
    .prepare(
      `SELECT count(*) FROM photos p LEFT JOIN assignments a ON a.photo_id = p.id AND a.run_id = @run
       WHERE ${USABLE} AND a.cluster_id IS NULL`,
    )
    .pluck()
    .get({ run: runId ?? -1 }) as number
}

export interface MemberRow {
  photo_id: number
  path: string
  probability: number | null
  confidence: number | null
  runner_up_cluster_id: number | null
  source: 'model' | 'user' | null
  reason: string | null
}

/** Why a photo without a group is in Unsorted, from its assignment row (none: never assigned). */
export function unsortedReason(
  row: { source: 'model' | 'user' | null; reason: string | null } | undefined,
): UnsortedReason {
  if (!row || row.source === null) return 'not-organized'
  if (row.source === 'user') return 'moved'
  return row.reason === 'no-fit' ? 'no-fit' : 'not-organized'
}

/**
 * A page of a group's members, most confident first, each with its runner-up group; or of
 * Unsorted when `clusterId` is null.
 */
export function listMembers(
  db: Db,
  clusterId: ClusterId | null,
  offset = 0,
  limit = 200,
): { total: number; members: ClusterMember[] } {
  const run = currentRun(db)
  const runId = run?.id ?? -1
  const roots = run ? groupRoots(db, run.id) : new Map<number, number>()
  let total: number
  let rows: MemberRow[]
  let protos = new Set<number>()
  if (clusterId === null) {
    const from = `FROM photos p LEFT JOIN assignments a ON a.photo_id = p.id AND a.run_id = @run
      WHERE ${USABLE} AND a.cluster_id IS NULL`
    total = db.prepare(`SELECT count(*) ${from}`).pluck().get({ run: runId }) as number
    rows = db
      .prepare(
        `SELECT p.id AS photo_id, p.path, a.probability, a.confidence, a.runner_up_cluster_id, a.source, a.reason ${from}
         ORDER BY coalesce(a.confidence, 0) DESC, p.id LIMIT @limit OFFSET @offset`,
      )
      .all({ run: runId, limit, offset }) as MemberRow[]
  } else {
    const group = roots.get(clusterId)
    if (!run || group === undefined)
      throw new Error(`There is no group ${clusterId} in the current run.`)
    const ids = groupMembersIds(db, run.id).get(group) ?? [group]
    const from = `FROM assignments a JOIN photos p ON p.id = a.photo_id
      WHERE a.cluster_id IN (${inList(ids)}) AND a.run_id = @run AND ${USABLE}`
    total = db.prepare(`SELECT count(*) ${from}`).pluck().get({ run: runId }) as number
    rows = db
      .prepare(
        `SELECT a.photo_id, p.path, a.probability, a.confidence, a.runner_up_cluster_id, a.source, a.reason ${from}
         ORDER BY a.confidence DESC, a.photo_id LIMIT @limit OFFSET @offset`,
      )
      .all({ run: runId, limit, offset }) as MemberRow[]
    protos = new Set(prototypesOf(db, runId, ids))
  }
  const ownGroup = clusterId === null ? null : (roots.get(clusterId) ?? null)
  const rootOf = (id: number | null) => (id === null ? null : (roots.get(id) ?? null))
  const members = rows.map((r) => memberOf(r, ownGroup, rootOf, protos.has(r.photo_id)))
  return { total, members }
}

/**
 * One assignment row as a member of `group` (null: Unsorted), its runner-up and group ids
 * mapped through `rootOf` to the groups they were merged into.
 */
export function memberOf(
  r: MemberRow,
  group: ClusterId | null,
  rootOf: (id: number | null) => number | null,
  isPrototype = false,
): ClusterMember {
  const runnerUp = rootOf(r.runner_up_cluster_id)
  const member = {
    photoId: r.photo_id,
    fileName: basename(readablePath(r.path)),
    probability: r.probability ?? 0,
    confidence: r.confidence ?? 0,
    runnerUp: runnerUp === group ? null : runnerUp,
    source: r.source ?? 'model',
    isPrototype,
    unsortedReason: group === null ? unsortedReason(r) : null,
  }
  return { ...member, doubtful: isDoubtful(member, group) }
}

/**
 * Usable photos the run has no assignment for: imported after it was trained. Hidden ones are
 * included, so that a photo shown again already has its place.
 */
export function photosWithoutAssignment(db: Db, runId: number): PhotoId[] {
  return db
    .prepare(
      `SELECT p.id FROM photos p WHERE p.status = 'ok' AND p.duplicate_of IS NULL
       AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.photo_id = p.id AND a.run_id = ?) ORDER BY p.id`,
    )
    .pluck()
    .all(runId) as PhotoId[]
}

/** File paths of photos, in the order asked. */
export function photoPaths(db: Db, ids: readonly PhotoId[]): string[] {
  const get = db.prepare(`SELECT path FROM photos WHERE id = ?`).pluck()
  return ids.map((id) => (get.get(id) as string | undefined) ?? '')
}
