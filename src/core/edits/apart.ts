import type { ClusterId } from '../../shared/contract'
import type { Db } from '../store/database'
import { EditError } from './errors'
import { requireCurrentRun, requireGroup } from './run'

/**
 * Records that two current groups are not the same kind, so "Looks like" stops suggesting them
 * (until the library is organized again, which makes new groups). Nothing moves, so it is not
 * an edit to undo; merging the two groups still works.
 */
export function keepApart(lib: { db: Db }, clusterIds: readonly ClusterId[]): void {
  const { db } = lib
  if (!Array.isArray(clusterIds) || clusterIds.length !== 2 || clusterIds[0] === clusterIds[1]) {
    throw new EditError('invalid-arguments', 'Choose two different groups.')
  }
  const run = requireCurrentRun(db)
  const [a, b] = clusterIds.map((id) => requireGroup(db, run.id, id).id)
  db.prepare(
    `INSERT OR IGNORE INTO apart_groups (group_a, group_b, created_at) VALUES (?, ?, ?)`,
  ).run(Math.min(a!, b!), Math.max(a!, b!), Date.now())
}
