// Groups that may be one kind, for a person to judge: grouping would rather cut a kind in two
// than mix two kinds, so a kind left in two groups is a common mistake. The score is the one the
// merge joins on.
import type { ClusterId, LookalikePair } from '../../shared/contract'
import { loadEmbeddings, selectRows } from '../ml/embed/store'
import { lookalikeScores } from '../ml/scan/merge-lookalike'
import type { Db } from '../store/database'
import { apartPairs } from './apart'
import { groupRoots } from './carryover'
import { USABLE } from './read'
import { currentRun, type RunRecord } from './runs'

/**
 * A group's closest group among those at least as large is shown as maybe the same kind when
 * their look-alike score reaches this. Replayed on the 'auto' groups of 160 caltech20 libraries
 * (bench/research/merge-hints.ts): at .55 the hints point at 62 of the 96 merges needed, and 62
 * of the 76 pairs shown are one kind (first imports alone: 34 of 59 merges, 34 of 40 pairs); at
 * .5, 65 merges with 103 pairs; at .6, 53 merges with 60 pairs. Looking at every group rather
 * than larger ones, a small loose group became the closest of many (.5: 123 pairs, 69 right).
 */
export const LOOKALIKE_HINT = 0.55

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

const pairKey = (a: ClusterId, b: ClusterId) => (a < b ? `${a},${b}` : `${b},${a}`)

/**
 * The pairs to show, as [larger, smaller] group indices with their score: each group with its
 * closest group among those at least as large, when their score reaches `bar`. Looking only at
 * larger groups keeps a small, loose group (its photos alike to everything a little) from being
 * every group's closest. `apart(a, b)`: a pair never to suggest.
 */
export function hintPairs(
  size: readonly number[],
  score: (a: number, b: number) => number,
  bar = LOOKALIKE_HINT,
  apart: (a: number, b: number) => boolean = () => false,
): { a: number; b: number; score: number }[] {
  const pairs = new Map<string, { a: number; b: number; score: number }>()
  for (let a = 0; a < size.length; a++) {
    if (size[a] === 0) continue
    let best = { b: -1, score: bar }
    for (let b = 0; b < size.length; b++) {
      if (b === a || size[b]! < size[a]! || apart(a, b)) continue
      const s = score(a, b)
      if (s >= best.score) best = { b, score: s }
    }
    if (best.b < 0) continue
    const [big, small] = size[best.b]! >= size[a]! ? [best.b, a] : [a, best.b]
    pairs.set(`${Math.min(a, best.b)},${Math.max(a, best.b)}`, {
      a: big,
      b: small,
      score: best.score,
    })
  }
  return [...pairs.values()].sort((p, q) => q.score - p.score)
}

/** The pairs of a run's groups that may be one kind (hintPairs), most alike first. */
function findLookalikes(db: Db, run: RunRecord): LookalikePair[] {
  const { groupIds, photoGroup } = placedGroups(db, run.id)
  if (groupIds.length < 3) return [] // the score needs other pairs to tell what is typical
  const placed = selectRows(loadEmbeddings(db, run.model), (id) => photoGroup.has(id))
  const group = Int32Array.from(placed.ids, (id) => photoGroup.get(id)!)
  const size = new Array<number>(groupIds.length).fill(0)
  for (const g of group) size[g]!++
  const score = lookalikeScores(group, groupIds.length, placed.data, placed.dim)
  const named = namedGroups(db, run.id)
  const apart = apartPairs(db, run.id)
  const keptApart = (a: number, b: number) =>
    (named.has(groupIds[a]!) && named.has(groupIds[b]!)) ||
    apart.has(pairKey(groupIds[a]!, groupIds[b]!))
  return hintPairs(size, score, LOOKALIKE_HINT, keptApart).map(
    ({ a, b, score }): LookalikePair => ({ clusterIds: [groupIds[a]!, groupIds[b]!], score }),
  )
}

/**
 * What the database holds now: a write through this connection adds to total_changes(), a
 * commit through any other (another process on the library) moves data_version.
 */
function databaseState(db: Db, runId: number): string {
  const version = db.pragma('data_version', { simple: true }) as number
  const changes = db.prepare('SELECT total_changes()').pluck().get() as number
  return `${runId}:${version}:${changes}`
}

/**
 * Each library's pairs, worked out once per state of its database: scoring reads every photo's
 * features (0.3 s for 2,500 photos here), and each group a person opens asks again.
 */
const pairsCache = new WeakMap<Db, { state: string; pairs: LookalikePair[] }>()

/**
 * Pairs of the current groups that may be one kind (hintPairs), most alike first; with
 * `clusterId`, the pairs it is in.
 */
export function lookalikeGroups(db: Db, clusterId?: ClusterId): LookalikePair[] {
  const run = currentRun(db)
  if (!run) return []
  const state = databaseState(db, run.id)
  let cached = pairsCache.get(db)
  if (cached?.state !== state) {
    cached = { state, pairs: findLookalikes(db, run) }
    pairsCache.set(db, cached)
  }
  return cached.pairs
    .filter((p) => clusterId === undefined || p.clusterIds.includes(clusterId))
    .map((p) => ({ ...p, clusterIds: [...p.clusterIds] })) // the cache's own stay as they are
}
