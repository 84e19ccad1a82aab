import type { Db } from '../store/database'
import { EditError } from './errors'
import { memberFeatures, normalised } from './features'
import { journaled } from './journal'
import { kmeans } from '../ml/kmeans'
import { groupMembers, groupName, requireCurrentRun, requireGroup } from './run'

export const SPLIT_SEED = 7
/** k-means restarts: a split is interactive, so fewer than the default 10. */
export const SPLIT_RESTARTS = 3

interface Part {
  photoIds: number[]
  centroid: Float32Array
}

/**
 * The photos in content order (file hash, then id), as training sees them: photo ids follow the
 * order imports finish in, and k-means starts from rows by position.
 */
function inContentOrder(db: Db, ids: readonly number[]): number[] {
  if (ids.length === 0) return []
  const list = ids.map((id) => Math.trunc(id)).join(', ')
  return db
    .prepare(`SELECT id FROM photos WHERE id IN (${list}) ORDER BY hash, id`)
    .pluck()
    .all() as number[]
}

/** k-means parts of the members, largest first (empty parts mean the photos are too alike). */
async function clusterMembers(
  ids: number[],
  data: Float32Array,
  dim: number,
  parts: number,
): Promise<Part[]> {
  const { labels } = await kmeans(data, ids.length, dim, parts, SPLIT_SEED, {
    nInit: SPLIT_RESTARTS,
  })
  const found: Part[] = Array.from({ length: parts }, () => ({
    photoIds: [],
    centroid: new Float32Array(dim),
  }))
  ids.forEach((id, i) => {
    const part = found[labels[i]!]!
    part.photoIds.push(id)
    for (let d = 0; d < dim; d++) part.centroid[d]! += data[i * dim + d]!
  })
  return found
    .filter((p) => p.photoIds.length > 0)
    .map((p) => ({ ...p, centroid: normalised(p.centroid) }))
    .sort((a, b) => b.photoIds.length - a.photoIds.length || a.photoIds[0]! - b.photoIds[0]!)
}

function requireParts(parts: number, name: string, members: number): void {
  if (!Number.isInteger(parts) || parts < 2) {
    throw new EditError('invalid-arguments', `Split ${name} into at least 2 groups.`)
  }
  if (parts > members) {
    throw new EditError(
      'invalid-arguments',
      `${name} has ${members} photo${members === 1 ? '' : 's'} with features: it can be split into at most ${members} groups.`,
    )
  }
}

/**
 * Splits a group into `parts` by re-clustering its members' embeddings with k-means. The
 * largest part keeps the group (and its name); the others become new groups. Returns the ids
 * of all parts, the kept group first.
 */
export async function splitCluster(
  lib: { db: Db },
  clusterId: number,
  parts: number,
): Promise<{ clusterIds: number[] }> {
  const { db } = lib
  const run = requireCurrentRun(db)
  const group = requireGroup(db, run.id, clusterId)
  const name = groupName(group)
  const members = groupMembers(db, run.id, clusterId)
  const { ids, dim, data } = memberFeatures(db, run.model, inContentOrder(db, members))
  requireParts(parts, name, ids.length)
  const found = await clusterMembers(ids, data, dim, parts)
  if (found.length < parts) {
    throw new EditError(
      'conflict',
      `The photos in ${name} are too alike to split into ${parts} groups.`,
    )
  }
  // The clustering ran outside the transaction: make sure nobody changed the group meanwhile.
  return journaled(
    db,
    { runId: run.id, kind: 'split', scope: { clusterIds: [clusterId], photoIds: members } },
    () => {
      requireGroup(db, run.id, clusterId)
      if (groupMembers(db, run.id, clusterId).join() !== members.join()) {
        throw new EditError('conflict', `${name} changed while it was being split: try again.`)
      }
      const created = writeParts(db, run.id, clusterId, found)
      return {
        result: { clusterIds: [clusterId, ...created] },
        label: `Split ${name} into ${parts} groups`,
        created,
      }
    },
  )
}

function writeParts(db: Db, runId: number, clusterId: number, found: Part[]): number[] {
  const next = db
    .prepare(`SELECT COALESCE(MAX(idx), -1) + 1 FROM clusters WHERE run_id = ?`)
    .pluck()
  const insert = db.prepare(
    `INSERT INTO clusters (run_id, idx, name, created_by, kept, centroid) VALUES (?, ?, NULL, 'user', 1, ?)`,
  )
  // Every part, the one that keeps the group included, is kept apart on retraining.
  const setCentroid = db.prepare(`UPDATE clusters SET centroid = ?, kept = 1 WHERE id = ?`)
  const place = db.prepare(
    `UPDATE assignments SET cluster_id = ? WHERE run_id = ? AND photo_id = ?`,
  )
  const blob = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  setCentroid.run(blob(found[0]!.centroid), clusterId)
  return found.slice(1).map((part) => {
    const idx = next.get(runId) as number
    const id = Number(insert.run(runId, idx, blob(part.centroid)).lastInsertRowid)
    for (const photoId of part.photoIds) place.run(id, runId, photoId)
    return id
  })
}
