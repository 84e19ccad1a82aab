import type { Db } from '../store/database'
import { EditError } from './errors'

export interface CurrentRun {
  id: number
  model: string
}

export interface GroupRow {
  id: number
  idx: number
  name: string | null
}

/** The newest finished run: the one whose groups a person sees and edits. */
export function findCurrentRun(db: Db): CurrentRun | null {
  const row = db
    .prepare(`SELECT id, model FROM runs WHERE state = 'done' ORDER BY id DESC LIMIT 1`)
    .get() as CurrentRun | undefined
  return row ?? null
}

export function requireCurrentRun(db: Db): CurrentRun {
  const run = findCurrentRun(db)
  if (!run) {
    throw new EditError('conflict', 'There are no groups yet: organize the library first.')
  }
  return run
}

/** The name shown for a group: the one a person gave it, or "Group N". */
export function groupName(group: Pick<GroupRow, 'idx' | 'name'>): string {
  return group.name ?? `Group ${group.idx + 1}`
}

/** A visible group of the run (not merged away), or a clear error. */
export function requireGroup(db: Db, runId: number, clusterId: number): GroupRow {
  if (!Number.isInteger(clusterId)) {
    throw new EditError('invalid-arguments', `"${String(clusterId)}" is not a group id.`)
  }
  const row = db
    .prepare(`SELECT id, idx, name, run_id, merged_into FROM clusters WHERE id = ?`)
    .get(clusterId) as (GroupRow & { run_id: number; merged_into: number | null }) | undefined
  if (!row || row.run_id !== runId) {
    throw new EditError('not-found', `Group ${clusterId} does not exist (any more).`)
  }
  if (row.merged_into !== null) {
    throw new EditError('conflict', `${groupName(row)} was merged into another group.`)
  }
  return { id: row.id, idx: row.idx, name: row.name }
}

/** Photo ids of a group's members in the run, in id order. */
export function groupMembers(db: Db, runId: number, clusterId: number): number[] {
  return (
    db
      .prepare(
        `SELECT a.photo_id AS id FROM assignments a JOIN photos p ON p.id = a.photo_id
         WHERE a.run_id = ? AND a.cluster_id = ? AND p.status = 'ok' AND p.duplicate_of IS NULL
         ORDER BY a.photo_id`,
      )
      .all(runId, clusterId) as { id: number }[]
  ).map((r) => r.id)
}
