import type { Db } from '../store/database'

/**
 * Row-level snapshots of what an edit touches. An edit stores the rows before and after it ran;
 * undo writes the "before" rows back, redo the "after" rows. `null` means "no such row".
 */

/** The editable columns of a cluster (centroid as base64 so the journal stays JSON). */
export interface ClusterState {
  run_id: number
  idx: number
  name: string | null
  merged_into: number | null
  created_by: 'model' | 'user'
  /** 1 when a person made or shaped the group (it survives retraining); absent in older journals. */
  kept?: 0 | 1
  centroid: string | null
}

/**
 * The editable columns of one photo's assignment in the run, as a tuple because a merge of a
 * big group journals one per photo: [cluster_id, probability, confidence, runner_up, source].
 */
export type AssignmentState = [number | null, number, number, number | null, 'model' | 'user']

export interface ClusterChange {
  id: number
  before: ClusterState | null
  after: ClusterState | null
}

/** [photo id, before, after] */
export type AssignmentChange = [number, AssignmentState | null, AssignmentState | null]

/** [photo id, hidden before, hidden after]: a photo hidden (1) or shown (0). */
export type HiddenChange = [number, 0 | 1, 0 | 1]

export interface Snapshot {
  clusters: Map<number, ClusterState | null>
  assignments: Map<number, AssignmentState | null>
  /** Photos whose hidden mark the edit may change (absent photos are left out). */
  hidden: Map<number, 0 | 1>
}

export interface ChangeSet {
  runId: number
  clusters: ClusterChange[]
  assignments: AssignmentChange[]
  /** Absent in entries that hide or show nothing. */
  hidden?: HiddenChange[]
}

export function readClusters(db: Db, ids: Iterable<number>): Map<number, ClusterState | null> {
  const stmt = db.prepare(
    `SELECT run_id, idx, name, merged_into, created_by, kept, centroid FROM clusters WHERE id = ?`,
  )
  const out = new Map<number, ClusterState | null>()
  for (const id of ids) {
    const row = stmt.get(id) as
      (Omit<ClusterState, 'centroid'> & { centroid: Buffer | null }) | undefined
    out.set(
      id,
      row ? { ...row, centroid: row.centroid ? row.centroid.toString('base64') : null } : null,
    )
  }
  return out
}

export function readAssignments(
  db: Db,
  runId: number,
  photoIds: Iterable<number>,
): Map<number, AssignmentState | null> {
  const ids = [...photoIds]
  const out = new Map<number, AssignmentState | null>(ids.map((id) => [id, null]))
  const rows = db
    .prepare(
      `SELECT photo_id, cluster_id, probability, confidence, runner_up_cluster_id, source
       FROM assignments WHERE run_id = ? AND photo_id IN (SELECT value FROM json_each(?))`,
    )
    .raw()
    .all(runId, JSON.stringify(ids)) as [number, ...AssignmentState][]
  for (const [photoId, ...state] of rows) out.set(photoId, state)
  return out
}

export function readHidden(db: Db, photoIds: Iterable<number>): Map<number, 0 | 1> {
  const rows = db
    .prepare(`SELECT id, hidden FROM photos WHERE id IN (SELECT value FROM json_each(?))`)
    .raw()
    .all(JSON.stringify([...photoIds])) as [number, 0 | 1][]
  return new Map(rows)
}

function sameRow(a: object | null, b: object | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** The rows that differ between two snapshots of the same keys (keys only in `after` count as new). */
export function diffSnapshots(runId: number, before: Snapshot, after: Snapshot): ChangeSet {
  const clusters: ClusterChange[] = []
  for (const [id, state] of after.clusters) {
    const old = before.clusters.get(id) ?? null
    if (!sameRow(old, state)) clusters.push({ id, before: old, after: state })
  }
  const assignments: AssignmentChange[] = []
  for (const [photoId, state] of after.assignments) {
    const old = before.assignments.get(photoId) ?? null
    if (!sameRow(old, state)) assignments.push([photoId, old, state])
  }
  const hidden: HiddenChange[] = []
  for (const [photoId, state] of after.hidden) {
    const old = before.hidden.get(photoId)
    if (old !== undefined && old !== state) hidden.push([photoId, old, state])
  }
  return { runId, clusters, assignments, ...(hidden.length > 0 ? { hidden } : {}) }
}

/**
 * Writes one side of a change set. Order matters for the foreign keys: clusters that must exist
 * come first, then assignments, then clusters that must disappear (nothing points at them then).
 */
export function applyChangeSet(db: Db, changes: ChangeSet, side: 'before' | 'after'): void {
  const upsertCluster = db.prepare(
    `INSERT INTO clusters (id, run_id, idx, name, merged_into, created_by, kept, centroid)
     VALUES (@id, @run_id, @idx, @name, NULL, @created_by, COALESCE(@kept, 0), @centroid)
     ON CONFLICT(id) DO UPDATE SET run_id = excluded.run_id, idx = excluded.idx, name = excluded.name,
       created_by = excluded.created_by, kept = COALESCE(@kept, kept), centroid = excluded.centroid`,
  )
  const setMergedInto = db.prepare(`UPDATE clusters SET merged_into = ? WHERE id = ?`)
  const deleteCluster = db.prepare(`DELETE FROM clusters WHERE id = ?`)
  const upsertAssignment = db.prepare(
    `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence, runner_up_cluster_id, source)
     SELECT @photo_id, @run_id, @cluster_id, @probability, @confidence, @runner_up_cluster_id, @source
     WHERE EXISTS (SELECT 1 FROM photos WHERE id = @photo_id)
     ON CONFLICT(photo_id, run_id) DO UPDATE SET cluster_id = excluded.cluster_id,
       probability = excluded.probability, confidence = excluded.confidence,
       runner_up_cluster_id = excluded.runner_up_cluster_id, source = excluded.source`,
  )
  const deleteAssignment = db.prepare(`DELETE FROM assignments WHERE run_id = ? AND photo_id = ?`)

  const present = changes.clusters.filter((c) => c[side] !== null)
  for (const c of present) {
    const s = c[side]!
    upsertCluster.run({
      id: c.id,
      ...s,
      kept: s.kept ?? null, // an entry journalled before `kept` existed leaves it as it is
      centroid: s.centroid ? Buffer.from(s.centroid, 'base64') : null,
    })
  }
  // merged_into may point at a cluster written just above, so it is set in a second pass.
  for (const c of present) setMergedInto.run(c[side]!.merged_into, c.id)
  for (const [photoId, before, after] of changes.assignments) {
    const s = side === 'before' ? before : after
    if (!s) {
      deleteAssignment.run(changes.runId, photoId)
      continue
    }
    const [cluster_id, probability, confidence, runner_up_cluster_id, source] = s
    upsertAssignment.run({
      photo_id: photoId,
      run_id: changes.runId,
      cluster_id,
      probability,
      confidence,
      runner_up_cluster_id,
      source,
    })
  }
  for (const c of changes.clusters) if (c[side] === null) deleteCluster.run(c.id)
  const setHidden = db.prepare(`UPDATE photos SET hidden = ? WHERE id = ?`)
  for (const [photoId, before, after] of changes.hidden ?? [])
    setHidden.run(side === 'before' ? before : after, photoId)
}
