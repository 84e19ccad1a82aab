import type { Db } from '../store/database'
import { EditError } from './errors'
import { journaled } from './journal'
import { groupName, requireCurrentRun, requireGroup } from './run'

function requirePhotos(db: Db, photoIds: number[]): number[] {
  if (!Array.isArray(photoIds) || photoIds.length === 0) {
    throw new EditError('invalid-arguments', 'Choose the photos to move.')
  }
  const ids = [...new Set(photoIds)]
  const bad = ids.find((id) => !Number.isInteger(id))
  if (bad !== undefined)
    throw new EditError('invalid-arguments', `"${String(bad)}" is not a photo id.`)
  const exists = db.prepare(`SELECT 1 FROM photos WHERE id = ?`).pluck()
  const missing = ids.filter((id) => !exists.get(id))
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ', …' : '')
    throw new EditError(
      'not-found',
      `${missing.length === 1 ? 'Photo' : 'Photos'} ${shown} not in the library.`,
    )
  }
  return ids
}

function photos(n: number): string {
  return n === 1 ? '1 photo' : `${n} photos`
}

/**
 * Places photos in a group (or in Unsorted with `to = null`) by hand: they get source 'user'
 * and full confidence, so a retrain keeps them where the person put them.
 */
export function movePhotos(lib: { db: Db }, photoIds: number[], to: number | null): void {
  const { db } = lib
  const run = requireCurrentRun(db)
  const ids = requirePhotos(db, photoIds)
  const destination = to === null ? 'Unsorted' : groupName(requireGroup(db, run.id, to))
  journaled(db, { runId: run.id, kind: 'move', scope: { clusterIds: [], photoIds: ids } }, () => {
    const place = db.prepare(
      `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence, runner_up_cluster_id, source)
       VALUES (?, ?, ?, 1, 1, NULL, 'user')
       ON CONFLICT(photo_id, run_id) DO UPDATE SET cluster_id = excluded.cluster_id, probability = 1,
         confidence = 1, runner_up_cluster_id = NULL, source = 'user'`,
    )
    for (const id of ids) place.run(id, run.id, to)
    return { result: undefined, label: `Move ${photos(ids.length)} to ${destination}` }
  })
}
