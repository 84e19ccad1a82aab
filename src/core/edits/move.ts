import type { Db } from '../store/database'
import { EditError } from './errors'
import { journaled } from './journal'
import { groupName, requireCurrentRun, requireGroup } from './run'

function photoList(ids: number[]): string {
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '')
  return `${ids.length === 1 ? 'Photo' : 'Photos'} ${shown}`
}

function requirePhotos(db: Db, photoIds: number[]): number[] {
  if (!Array.isArray(photoIds) || photoIds.length === 0) {
    throw new EditError('invalid-arguments', 'Choose the photos to move.')
  }
  const ids = [...new Set(photoIds)]
  const bad = ids.find((id) => !Number.isInteger(id))
  if (bad !== undefined)
    throw new EditError('invalid-arguments', `"${String(bad)}" is not a photo id.`)
  const usable = db
    .prepare(`SELECT status = 'ok' AND duplicate_of IS NULL FROM photos WHERE id = ?`)
    .pluck()
  const found = ids.map((id) => [id, usable.get(id) as number | undefined] as const)
  const missing = found.filter(([, ok]) => ok === undefined).map(([id]) => id)
  if (missing.length > 0) {
    throw new EditError('not-found', `${photoList(missing)} not in the library.`)
  }
  const unusable = found.filter(([, ok]) => ok === 0).map(([id]) => id)
  if (unusable.length > 0) {
    throw new EditError(
      'invalid-arguments',
      `${photoList(unusable)} cannot be placed in a group: unreadable, missing or a duplicate.`,
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
