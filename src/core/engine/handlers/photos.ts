import type { PhotoDetails } from '../../../shared/contract'
import { groupRoots, searchPhotos, unsortedReason } from '../../clusters'
import { currentRun } from '../../clusters/runs'
import type { HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { readablePath } from '../../library/paths'

interface PhotoRow {
  id: number
  path: string
  width: number | null
  height: number | null
  format: string | null
  size: number
  taken_at: number | null
  taken_at_source: 'exif' | 'mtime' | null
  gps_lat: number | null
  gps_lon: number | null
  camera: string | null
}

interface AssignmentRow {
  cluster_id: number | null
  confidence: number
  source: 'model' | 'user'
  reason: string | null
}

export const photoHandlers: HandlerGroup<'photos.details' | 'photos.search'> = {
  'photos.search': (ctx, { offset, limit, ...query }) =>
    searchPhotos(ctx.lib.db, query, offset, limit),

  'photos.details': (ctx, { photoId }): PhotoDetails => {
    const { db } = ctx.lib
    const row = db
      .prepare(
        `SELECT id, path, width, height, format, size, taken_at, taken_at_source, gps_lat, gps_lon, camera
           FROM photos WHERE id = ?`,
      )
      .get(photoId) as PhotoRow | undefined
    if (!row) throw new CommandFailure('not-found', `Photo ${photoId} is not in the library.`)
    const run = currentRun(db)
    const assignment = run
      ? (db
          .prepare(
            `SELECT cluster_id, confidence, source, reason FROM assignments WHERE photo_id = ? AND run_id = ?`,
          )
          .get(photoId, run.id) as AssignmentRow | undefined)
      : undefined
    // A photo assigned to a cluster that was merged away belongs to the group it went into.
    const clusterId =
      run && assignment?.cluster_id != null
        ? (groupRoots(db, run.id).get(assignment.cluster_id) ?? null)
        : null
    return {
      id: row.id,
      path: readablePath(row.path),
      width: row.width,
      height: row.height,
      format: row.format,
      size: row.size,
      takenAt: row.taken_at,
      takenAtSource: row.taken_at_source,
      gps:
        row.gps_lat !== null && row.gps_lon !== null
          ? { lat: row.gps_lat, lon: row.gps_lon }
          : null,
      camera: row.camera,
      clusterId,
      confidence: clusterId === null ? null : (assignment?.confidence ?? null),
      source: assignment?.source ?? null,
      unsortedReason: clusterId === null ? unsortedReason(assignment) : null,
    }
  },
}
