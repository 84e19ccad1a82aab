import type { EditState } from '../../shared/contract'
import type { Db } from '../store/database'
import { EditError } from './errors'
import { findCurrentRun, requireCurrentRun } from './run'
import {
  applyChangeSet,
  diffSnapshots,
  readAssignments,
  readClusters,
  readHidden,
  type ChangeSet,
  type Snapshot,
} from './snapshot'

export type EditKind = 'rename' | 'merge' | 'split' | 'move' | 'hide' | 'show'

/** What an edit may touch: read before and after it runs to journal the difference. */
export interface EditScope {
  clusterIds: Iterable<number>
  photoIds: Iterable<number>
  /** Photos the edit may hide or show. */
  hiddenIds?: Iterable<number>
}

interface JournalRow {
  id: number
  label: string
  payload: string
}

function snapshot(db: Db, runId: number, scope: EditScope): Snapshot {
  return {
    clusters: readClusters(db, scope.clusterIds),
    assignments: readAssignments(db, runId, scope.photoIds),
    hidden: readHidden(db, scope.hiddenIds ?? []),
  }
}

/** Payloads start with the run id so the stack of one run is found without parsing JSON. */
function runPrefix(runId: number): string {
  return `{"runId":${runId},`
}

function encode(changes: ChangeSet): string {
  const { runId, clusters, assignments, hidden } = changes
  return JSON.stringify({ runId, clusters, assignments, hidden })
}

/**
 * Runs `mutate` and journals what it changed, in one transaction: either both are saved or
 * neither. `mutate` reports the clusters it created so they are journalled too. A new edit
 * discards whatever could have been redone, like any editor. An edit that changed nothing is
 * not journalled.
 */
export function journaled<T>(
  db: Db,
  edit: { runId: number; kind: EditKind; scope: EditScope },
  mutate: () => { result: T; label: string; created?: number[] },
): T {
  return db.transaction(() => {
    const scope = {
      clusterIds: [...edit.scope.clusterIds],
      photoIds: [...edit.scope.photoIds],
      hiddenIds: [...(edit.scope.hiddenIds ?? [])],
    }
    const before = snapshot(db, edit.runId, scope)
    const { result, label, created = [] } = mutate()
    const after = snapshot(db, edit.runId, {
      ...scope,
      clusterIds: [...scope.clusterIds, ...created],
    })
    const changes = diffSnapshots(edit.runId, before, after)
    const hiddenChanged = (changes.hidden ?? []).length > 0
    if (changes.clusters.length === 0 && changes.assignments.length === 0 && !hiddenChanged)
      return result
    db.prepare(`DELETE FROM edits WHERE undone = 1`).run()
    db.prepare(`INSERT INTO edits (at, kind, label, payload) VALUES (?, ?, ?, ?)`).run(
      Date.now(),
      edit.kind,
      label,
      encode(changes),
    )
    return result
  })()
}

function lastDone(db: Db, runId: number): JournalRow | undefined {
  const prefix = runPrefix(runId)
  return db
    .prepare(
      `SELECT id, label, payload FROM edits WHERE undone = 0 AND substr(payload, 1, ?) = ?
       ORDER BY id DESC LIMIT 1`,
    )
    .get(prefix.length, prefix) as JournalRow | undefined
}

function firstUndone(db: Db, runId: number): JournalRow | undefined {
  const prefix = runPrefix(runId)
  return db
    .prepare(
      `SELECT id, label, payload FROM edits WHERE undone = 1 AND substr(payload, 1, ?) = ?
       ORDER BY id ASC LIMIT 1`,
    )
    .get(prefix.length, prefix) as JournalRow | undefined
}

function labelOnly(db: Db, find: (db: Db, runId: number) => JournalRow | undefined, runId: number) {
  return find(db, runId)?.label ?? null
}

/** What Undo and Redo would do now, for the current run's edits. */
export function editState(db: Db): EditState {
  const run = findCurrentRun(db)
  if (!run) return { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }
  const undoLabel = labelOnly(db, lastDone, run.id)
  const redoLabel = labelOnly(db, firstUndone, run.id)
  return { canUndo: undoLabel !== null, canRedo: redoLabel !== null, undoLabel, redoLabel }
}

/** Reverses the newest edit of the current run. */
export function undoEdit(db: Db): EditState {
  return replayEdit(db, 'undo')
}

/** Does again the edit undone last. */
export function redoEdit(db: Db): EditState {
  return replayEdit(db, 'redo')
}

/** Undo applies an edit's `before` side to the newest done edit; redo its `after` side. */
function replayEdit(db: Db, direction: 'undo' | 'redo'): EditState {
  const run = requireCurrentRun(db)
  const undo = direction === 'undo'
  db.transaction(() => {
    const row = undo ? lastDone(db, run.id) : firstUndone(db, run.id)
    if (!row) throw new EditError('conflict', `There is nothing to ${direction}.`)
    applyChangeSet(db, JSON.parse(row.payload) as ChangeSet, undo ? 'before' : 'after')
    db.prepare(`UPDATE edits SET undone = ? WHERE id = ?`).run(undo ? 1 : 0, row.id)
  })()
  return editState(db)
}
