import type { ClusterId } from '../../shared/contract'
import { addApartPair } from '../clusters/apart'
import type { Db } from '../store/database'
import { EditError } from './errors'
import { requireCurrentRun, requireGroup } from './run'

/**
 * Records that two current groups are not the same kind, so "Looks like" stops suggesting them,
 * and the groups that continue them once the library is organized again. Nothing moves, so it
 * is not an edit to undo; merging the two groups still works.
 */
export function keepApart(lib: { db: Db }, clusterIds: readonly ClusterId[]): void {
  const { db } = lib
  if (!Array.isArray(clusterIds) || clusterIds.length !== 2 || clusterIds[0] === clusterIds[1]) {
    throw new EditError('invalid-arguments', 'Choose two different groups.')
  }
  const run = requireCurrentRun(db)
  const [a, b] = clusterIds.map((id) => requireGroup(db, run.id, id).id)
  addApartPair(db, a!, b!)
}
