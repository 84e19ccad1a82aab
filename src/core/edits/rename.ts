import type { Db } from '../store/database'
import { EditError } from './errors'
import { journaled } from './journal'
import { groupName, requireCurrentRun, requireGroup } from './run'

export const MAX_NAME_LENGTH = 120

/** A group name as a person typed it, trimmed; a clear error when it is unusable. */
export function cleanGroupName(name: unknown): string {
  if (typeof name !== 'string')
    throw new EditError('invalid-arguments', 'A group name must be text.')
  const trimmed = name.trim()
  if (trimmed === '') throw new EditError('invalid-arguments', 'A group name cannot be empty.')
  // Control characters (tabs, new lines) have no place in a one-line name or a folder name.
  if (/\p{Cc}/u.test(trimmed)) {
    throw new EditError('invalid-arguments', 'A group name cannot contain tabs or line breaks.')
  }
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    throw new EditError(
      'invalid-arguments',
      `A group name can have at most ${MAX_NAME_LENGTH} characters.`,
    )
  }
  return trimmed
}

/** Gives a group of the current run a name. Renaming to the same name changes nothing. */
export function renameCluster(lib: { db: Db }, clusterId: number, name: string): void {
  const { db } = lib
  const newName = cleanGroupName(name)
  const run = requireCurrentRun(db)
  const group = requireGroup(db, run.id, clusterId)
  journaled(
    db,
    { runId: run.id, kind: 'rename', scope: { clusterIds: [clusterId], photoIds: [] } },
    () => {
      db.prepare(`UPDATE clusters SET name = ?, kept = 1 WHERE id = ?`).run(newName, clusterId)
      return { result: undefined, label: `Rename ${groupName(group)} to ${newName}` }
    },
  )
}
