import type { Db } from '../store/database'
import { EditError } from './errors'
import { journaled } from './journal'
import { requireCurrentRun } from './run'

function photos(n: number): string {
  return n === 1 ? '1 photo' : `${n} photos`
}

/** The distinct ids, each an existing photo; a clear error otherwise. */
function requireExisting(db: Db, photoIds: number[], what: string): number[] {
  if (!Array.isArray(photoIds) || photoIds.length === 0) {
    throw new EditError('invalid-arguments', `Choose the photos to ${what}.`)
  }
  const ids = [...new Set(photoIds)]
  const bad = ids.find((id) => !Number.isInteger(id))
  if (bad !== undefined)
    throw new EditError('invalid-arguments', `"${String(bad)}" is not a photo id.`)
  const exists = db.prepare(`SELECT 1 FROM photos WHERE id = ?`).pluck()
  const missing = ids.filter((id) => exists.get(id) === undefined)
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ', …' : '')
    throw new EditError('not-found', `Photo ${shown} is not in the library.`)
  }
  return ids
}

/** Sets the hidden mark of each photo in `marks` as one journalled edit; returns rows changed. */
function setHidden(
  db: Db,
  marks: Map<number, 0 | 1>,
  kind: 'hide' | 'show',
  label: string,
): number {
  const run = requireCurrentRun(db)
  const scope = { clusterIds: [], photoIds: [], hiddenIds: marks.keys() }
  return journaled(db, { runId: run.id, kind, scope }, () => {
    const set = db.prepare(`UPDATE photos SET hidden = ? WHERE id = ? AND hidden != ?`)
    let changed = 0
    for (const [id, hidden] of marks) changed += set.run(hidden, id, hidden).changes
    return { result: changed, label }
  })
}

/**
 * Keeps one photo of a near-duplicate set (shown) and hides the others: they leave groups,
 * search and exports but stay on disk. One edit, so one Undo brings them all back. Returns how
 * many photos changed.
 */
export function keepOneHideRest(lib: { db: Db }, keep: number, hide: number[]): number {
  const ids = requireExisting(lib.db, [keep, ...hide], 'hide').filter((id) => id !== keep)
  if (ids.length === 0) throw new EditError('invalid-arguments', 'Choose the photos to hide.')
  const marks = new Map<number, 0 | 1>([[keep, 0], ...ids.map((id) => [id, 1] as [number, 1])])
  return setHidden(lib.db, marks, 'hide', `Keep 1 photo, hide ${photos(ids.length)}`)
}

/** Shows hidden photos again (undoable). Returns how many were hidden. */
export function showPhotos(lib: { db: Db }, photoIds: number[]): number {
  const ids = requireExisting(lib.db, photoIds, 'show')
  const marks = new Map<number, 0 | 1>(ids.map((id) => [id, 0]))
  return setHidden(lib.db, marks, 'show', `Show ${photos(ids.length)} again`)
}
