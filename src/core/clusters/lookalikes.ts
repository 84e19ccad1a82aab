// Groups that may be one kind, for a person to judge: grouping splits a kind rather than mix two,
// so the mistakes it leaves are mostly pieces to merge. The score is the one the merge joins on.
import type { ClusterId, LookalikePair } from '../../shared/contract'
import { loadEmbeddings } from '../ml/embed/store'
import { lookalikeScores } from '../ml/scan/merge-lookalike'
import type { Db } from '../store/database'
import { groupRoots } from './carryover'
import { USABLE } from './read'
import { currentRun } from './runs'

/**
 * A group's closest other group is shown as maybe the same kind when their look-alike score
 * reaches this. Replayed on the 'auto' groups of 160 caltech20 libraries
 * (bench/research/merge-hints.ts): at .5 the hints point at 69 of the 96 merges needed, and 69
 * of the 123 pairs shown are one kind; first imports alone: 38 of 59 merges, 38 of 50 pairs.
 * At .4, 77 of 96 merges but 196 pairs; at .6, 53 of 96 merges with 62 pairs.
 */
export const LOOKALIKE_HINT = 0.5

/** The current run's groups of placed, usable photos: each photo's group index, and the ids. */
function placedGroups(db: Db, runId: number) {
  const roots = groupRoots(db, runId)
  const rows = db
    .prepare(
      `SELECT a.photo_id, a.cluster_id FROM assignments a JOIN photos p ON p.id = a.photo_id
       WHERE a.run_id = ? AND a.cluster_id IS NOT NULL AND ${USABLE}`,
    )
    .raw()
    .all(runId) as [number, number][]
  const groupIds: ClusterId[] = []
  const indexOf = new Map<ClusterId, number>()
  const photoGroup = new Map<number, number>()
  for (const [photo, cluster] of rows) {
    const root = roots.get(cluster) ?? cluster
    if (!indexOf.has(root)) indexOf.set(root, groupIds.push(root) - 1)
    photoGroup.set(photo, indexOf.get(root)!)
  }
  return { groupIds, photoGroup }
}

/** Groups a person named: two of them are kept apart on purpose, so never suggested together. */
function namedGroups(db: Db, runId: number): Set<ClusterId> {
  const ids = db
    .prepare(`SELECT id FROM clusters WHERE run_id = ? AND name IS NOT NULL`)
    .pluck()
    .all(runId) as ClusterId[]
  return new Set(ids)
}

/**
 * Pairs of the current groups that may be one kind: each group's closest other group when
 * their score reaches LOOKALIKE_HINT, most alike first; with `clusterId`, the pairs it is in.
 */
export function lookalikeGroups(db: Db, clusterId?: ClusterId): LookalikePair[] {
  const run = currentRun(db)
  if (!run) return []
  const { groupIds, photoGroup } = placedGroups(db, run.id)
  if (groupIds.length < 3) return [] // the score needs other pairs to tell what is typical
  const embedded = loadEmbeddings(db, run.model)
  const rows = embedded.ids.flatMap((id, row) => (photoGroup.has(id) ? [row] : []))
  const { dim } = embedded
  const features = new Float32Array(rows.length * dim)
  rows.forEach((row, i) =>
    features.set(embedded.data.subarray(row * dim, (row + 1) * dim), i * dim),
  )
  const group = Int32Array.from(rows, (row) => photoGroup.get(embedded.ids[row]!)!)
  const size = new Array<number>(groupIds.length).fill(0)
  for (const g of group) size[g]!++
  const score = lookalikeScores(group, groupIds.length, features, dim)
  const named = namedGroups(db, run.id)
  const bothNamed = (a: number, b: number) => named.has(groupIds[a]!) && named.has(groupIds[b]!)

  const pairs = new Map<string, LookalikePair>()
  for (let a = 0; a < groupIds.length; a++) {
    let best = { b: -1, score: LOOKALIKE_HINT }
    for (let b = 0; b < groupIds.length; b++) {
      if (b === a || size[b] === 0 || size[a] === 0 || bothNamed(a, b)) continue
      const s = score(a, b)
      if (s >= best.score) best = { b, score: s }
    }
    if (best.b < 0) continue
    const [big, small] = size[a]! >= size[best.b]! ? [a, best.b] : [best.b, a]
    const key = `${Math.min(a, best.b)},${Math.max(a, best.b)}`
    pairs.set(key, { clusterIds: [groupIds[big]!, groupIds[small]!], score: best.score })
  }
  return [...pairs.values()]
    .filter((p) => clusterId === undefined || p.clusterIds.includes(clusterId))
    .sort((p, q) => q.score - p.score)
}
