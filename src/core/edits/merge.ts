import type { Db } from '../store/database'
import { EditError } from './errors'
import { journaled } from './journal'
import { groupName, requireCurrentRun, requireGroup } from './run'

function idsIn(db: Db, sql: string, params: unknown[]): number[] {
  return (db.prepare(sql).all(...params) as { id: number }[]).map((r) => r.id)
}

/**
 * Merges groups into `into`: every member of the others moves there, and the others are kept
 * (marked merged_into) so a retrain or an undo can still find them. The result is marked kept:
 * retraining keeps it together. `clusterIds` may include
 * `into` itself, as a multi-selection in the UI does.
 */
export function mergeClusters(lib: { db: Db }, clusterIds: number[], into: number): void {
  const { db } = lib
  if (!Array.isArray(clusterIds) || clusterIds.length === 0) {
    throw new EditError('invalid-arguments', 'Choose the groups to merge.')
  }
  const run = requireCurrentRun(db)
  const target = requireGroup(db, run.id, into)
  const sources = [...new Set(clusterIds)].filter((id) => id !== into)
  if (sources.length === 0) {
    throw new EditError('invalid-arguments', `${groupName(target)} cannot be merged into itself.`)
  }
  for (const id of sources) requireGroup(db, run.id, id)

  const marks = sources.map(() => '?').join(',')
  // Members move; photos whose runner-up was a merged group now have the target as runner-up.
  const photoIds = idsIn(
    db,
    `SELECT photo_id AS id FROM assignments WHERE run_id = ?
       AND (cluster_id IN (${marks}) OR runner_up_cluster_id IN (${marks}))`,
    [run.id, ...sources, ...sources],
  )
  const label = `Merge ${sources.length + 1} groups into ${groupName(target)}`
  const scope = { clusterIds: [into, ...sources], photoIds }
  journaled(db, { runId: run.id, kind: 'merge', scope }, () => {
    // The merged group is one a person made: it is kept, with all its members, on retraining.
    db.prepare(`UPDATE clusters SET kept = 1 WHERE id = ?`).run(into)
    db.prepare(`UPDATE clusters SET merged_into = ? WHERE id IN (${marks})`).run(into, ...sources)
    db.prepare(
      `UPDATE assignments SET cluster_id = ? WHERE run_id = ? AND cluster_id IN (${marks})`,
    ).run(into, run.id, ...sources)
    db.prepare(
      `UPDATE assignments SET runner_up_cluster_id = ? WHERE run_id = ? AND runner_up_cluster_id IN (${marks})`,
    ).run(into, run.id, ...sources)
    // A group cannot be its own members' runner-up.
    db.prepare(
      `UPDATE assignments SET runner_up_cluster_id = NULL
       WHERE run_id = ? AND cluster_id = ? AND runner_up_cluster_id = ?`,
    ).run(run.id, into, into)
    return { result: undefined, label }
  })
}
