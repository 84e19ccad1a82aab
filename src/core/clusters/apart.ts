// Pairs of groups a person said are not the same kind ("Not the same"), so "Looks like" stops
// suggesting them. Retraining makes new groups; a pair carries over to the groups that continue it.
import type { ClusterId } from '../../shared/contract'
import type { Db } from '../store/database'

/** Records that two groups are not the same kind (once; the order does not matter). */
export function addApartPair(db: Db, a: ClusterId, b: ClusterId): void {
  db.prepare(
    `INSERT OR IGNORE INTO apart_groups (group_a, group_b, created_at) VALUES (?, ?, ?)`,
  ).run(Math.min(a, b), Math.max(a, b), Date.now())
}

/** A run's pairs as [smaller id, larger id]. */
function pairsOfRun(db: Db, runId: number): [ClusterId, ClusterId][] {
  return db
    .prepare(
      `SELECT g.group_a, g.group_b FROM apart_groups g JOIN clusters c ON c.id = g.group_a
       WHERE c.run_id = ?`,
    )
    .raw()
    .all(runId) as [ClusterId, ClusterId][]
}

/** A run's pairs as "smaller id,larger id" keys. */
export function apartPairs(db: Db, runId: number): Set<string> {
  return new Set(pairsOfRun(db, runId).map(([a, b]) => `${a},${b}`))
}

/**
 * Carries the previous run's pairs to the new run: `successor(oldGroup)` is the group of the new
 * run that continues an old one, if any. A pair whose groups no longer both continue, or now
 * continue as one group, is dropped.
 */
export function carryApartPairs(
  db: Db,
  oldRunId: number,
  successor: (oldGroup: ClusterId) => ClusterId | undefined,
): void {
  for (const [a, b] of pairsOfRun(db, oldRunId)) {
    const [na, nb] = [successor(a), successor(b)]
    if (na !== undefined && nb !== undefined && na !== nb) addApartPair(db, na, nb)
  }
}
