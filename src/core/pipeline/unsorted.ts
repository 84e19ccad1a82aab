/**
 * The pipeline's side of the Unsorted rule (src/core/ml/outliers): calibrate it on the training
 * photos when a run is finished, and judge photos assigned later by the stored model against the
 * photos now in groups.
 */
import type { Db } from '../store/database'
import { groupRoots, type RunRecord } from '../clusters'
import { topKAmong } from '../ml/neighbours'
import {
  calibrateUnsorted,
  judgeNewPhotos,
  TOGETHER,
  togetherSignal,
  type UnsortedRule,
} from '../ml/outliers'
import { selectRows } from '../ml/embed/store'
import type { FeatureMatrix } from './features'
import type { NeighbourTable } from './neighbours'
import { argmaxRows } from '../ml/rows'

export interface UnsortedVerdict {
  rule: UnsortedRule
  /** Per photo row: 1 when it fits no group. */
  outlier: Uint8Array
}

/** Calibrates the rule on the photos a model was trained on and judges each of them. */
export function trainingOutliers(
  probs: Float32Array,
  n: number,
  k: number,
  neighbours: NeighbourTable,
): UnsortedVerdict {
  const groupOf = argmaxRows(probs, n, k)
  const { rule, outlier } = calibrateUnsorted(neighbours, groupOf, k)
  return { rule, outlier }
}

/** The rule a finished run was calibrated with (none for runs trained before it existed). */
export function storedRule(run: RunRecord): UnsortedRule | null {
  const rule = run.metrics.unsortedRule as UnsortedRule | undefined
  return rule && Array.isArray(rule.thresholds) ? rule : null
}

/**
 * Judges photos assigned later (`probs`, model group order) against the run's photos, and
 * against one another (photos that arrived together and look like each other rather than like
 * any group are a new kind, see ml/outliers/together.ts). The run's photos are those in
 * a group now, counted in the group they belong to after a person's edits, and those the rule
 * left in Unsorted, counted in their closest group as at calibration (leaving them out would
 * thin the groups' edges and send more photos of known kinds to Unsorted).
 */
export async function laterOutliers(
  db: Db,
  run: RunRecord,
  rule: UnsortedRule,
  all: FeatureMatrix,
  photos: FeatureMatrix,
  probs: Float32Array,
  k: number,
): Promise<Uint8Array> {
  const roots = groupRoots(db, run.id)
  const grouped = new Map(
    (
      db
        .prepare(
          `SELECT photo_id, coalesce(cluster_id, runner_up_cluster_id) FROM assignments
           WHERE run_id = ? AND (cluster_id IS NOT NULL OR (reason = 'no-fit' AND source = 'model'))`,
        )
        .raw()
        .all(run.id) as [number, number][]
    ).map(([photo, cluster]) => [photo, roots.get(cluster) ?? cluster]),
  )
  const reference = selectRows(all, (id) => grouped.has(id))
  const clusterIdx = run.metrics.clusterIdx as number[]
  const clusterOfIdx = new Map(
    (
      db.prepare(`SELECT idx, id FROM clusters WHERE run_id = ?`).raw().all(run.id) as [
        number,
        number,
      ][]
    ).map(([idx, id]) => [idx, id]),
  )
  const groupKey = (j: number) => {
    const cluster = clusterOfIdx.get(clusterIdx[j]!)
    return cluster === undefined ? -1 : (roots.get(cluster) ?? cluster)
  }
  const neighbours = await topKAmong(photos.data, reference.data, all.dim, 20)
  const modelGroup = argmaxRows(probs, photos.ids.length, k)
  const referenceGroup = Int32Array.from(reference.ids, (id) => grouped.get(id)!)
  const batch = await topKAmong(photos.data, photos.data, all.dim, TOGETHER.near + 1)
  const together = togetherSignal(neighbours, batch, modelGroup.map(groupKey), referenceGroup)
  return judgeNewPhotos(rule, neighbours, modelGroup, referenceGroup, groupKey, together).outlier
}
