import type { Db } from '../store/database'
import { carryApartPairs } from './apart'
import { centroids, topTwo } from './argmax'
import { planCarryOver, type CarryOver, type OldGroup } from './carryover'
import { currentRun, getRun } from './runs'
import { vectorToBlob } from './serialize'

/** The outcome of a trained model over the photos it was trained on. */
export interface RunAssignment {
  /** Photo ids, row i of `probs` (and of `features`) belongs to photoIds[i]. */
  photoIds: ArrayLike<number>
  /** n×k cluster probabilities, row-major. */
  probs: Float32Array
  k: number
  /** The photos' features (n×dim), for the clusters' centroids. */
  features?: { data: Float32Array; dim: number }
  metrics?: Record<string, unknown>
  /**
   * Photos that fit no group (1 per row) and the calibrated rule that judged them, stored with
   * the run to judge photos assigned later. They go to Unsorted with the reason 'no-fit' and their
   * closest group as runner-up; photos a person placed keep their place.
   */
  unsorted?: { outlier: Uint8Array; rule: object }
}

export interface FinishedRun {
  runId: number
  /** Model clusters that received photos. */
  groups: number
  /** Names passed on from the previous run. */
  namesCarried: number
  /** Groups a person made or shaped in the previous run that live on in this one. */
  groupsKept: number
  /** Photos a person had placed that kept their group. */
  userPlacementsKept: number
  /** Photos the model left in Unsorted because they fit no group. */
  unsorted: number
}

/**
 * Writes the clusters and every photo's assignment of a trained run and makes it the current
 * run, in one transaction. Clusters are numbered by size (idx 0 = the largest; the model's own
 * cluster order is kept in metrics.clusterIdx for assigning later photos). What a person did in
 * the previous run carries over (see planCarryOver), and so do the pairs of groups they said are
 * not the same kind.
 */
export function finishRun(db: Db, runId: number, result: RunAssignment): FinishedRun {
  const n = result.photoIds.length
  const { k, probs } = result
  const top = topTwo(probs, n, k)
  const outlier = result.unsorted?.outlier
  const sizes = new Int32Array(k)
  top.best.forEach((j, i) => (sizes[j]! += outlier?.[i] ? 0 : 1))
  const order = [...sizes.keys()].sort((a, b) => sizes[b]! - sizes[a]! || a - b)
  const clusterIdx = new Array<number>(k)
  order.forEach((j, rank) => (clusterIdx[j] = rank))

  return db.transaction((): FinishedRun => {
    const run = getRun(db, runId)
    if (!run) throw new Error(`There is no run ${runId}.`)
    const previous = currentRun(db)
    const carry: CarryOver = previous
      ? planCarryOver(db, previous.id, result.photoIds, top.best, k)
      : { successors: new Map(), continuations: new Map(), placements: new Map() }

    const centres = result.features
      ? centroids(result.features.data, result.features.dim, top.best, k)
      : []
    const insertCluster = db.prepare(
      `INSERT INTO clusters (run_id, idx, name, created_by, kept, centroid) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    const clusterId = new Array<number>(k)
    for (let j = 0; j < k; j++) {
      const centre = centres[j]
      const continues = carry.successors.get(j)
      clusterId[j] = Number(
        insertCluster.run(
          runId,
          clusterIdx[j],
          continues?.name ?? null,
          continues?.createdBy ?? 'model',
          continues ? 1 : 0,
          centre ? vectorToBlob(centre) : null,
        ).lastInsertRowid,
      )
    }
    const recreated = new Map<number, number>() // old group id → new cluster id
    const keptRecreated: OldGroup[] = []
    const recreate = (group: OldGroup): number => {
      let id = recreated.get(group.id)
      if (id === undefined) {
        keptRecreated.push(group)
        id = Number(
          insertCluster.run(runId, k + recreated.size, group.name, 'user', 1, null).lastInsertRowid,
        )
        recreated.set(group.id, id)
      }
      return id
    }

    const insert = db.prepare(
      `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence, runner_up_cluster_id, source, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    let unsorted = 0
    for (let i = 0; i < n; i++) {
      const photoId = result.photoIds[i]!
      const best = top.best[i]!
      const second = top.second[i]!
      const placed = carry.placements.get(photoId)
      if (!placed && outlier?.[i]) {
        // Fits no group: the closest one is kept as the runner-up, for the person to review.
        insert.run(
          photoId,
          runId,
          null,
          top.bestProb[i],
          top.bestProb[i],
          clusterId[best],
          'model',
          'no-fit',
        )
        unsorted++
      } else if (!placed) {
        const runnerUp = second >= 0 ? clusterId[second]! : null
        insert.run(
          photoId,
          runId,
          clusterId[best],
          top.bestProb[i],
          top.bestProb[i],
          runnerUp,
          'model',
          null,
        )
      } else if ('modelCluster' in placed) {
        // A member of a kept group has the model's confidence for it; a placed photo full confidence.
        const j = placed.modelCluster
        const p = probs[i * k + j]!
        const runnerUp = best !== j ? clusterId[best]! : second >= 0 ? clusterId[second]! : null
        const confidence = placed.source === 'user' ? 1 : p
        insert.run(photoId, runId, clusterId[j], p, confidence, runnerUp, placed.source, null)
      } else if ('recreate' in placed) {
        const confidence = placed.source === 'user' ? 1 : placed.confidence
        const group = recreate(placed.recreate)
        insert.run(photoId, runId, group, 0, confidence, clusterId[best], placed.source, null)
      } else {
        insert.run(photoId, runId, null, 0, 1, clusterId[best], 'user', null)
      }
    }

    if (previous) {
      carryApartPairs(db, previous.id, (old) => {
        const col = carry.continuations.get(old)
        return col !== undefined ? clusterId[col] : recreated.get(old)
      })
    }

    const metrics = {
      ...run.metrics,
      ...result.metrics,
      clusterIdx,
      sizes: order.map((j) => sizes[j]),
      ...(result.unsorted ? { unsortedRule: result.unsorted.rule, unsorted } : {}),
    }
    db.prepare(
      `UPDATE runs SET state = 'done', stage = 'assign', metrics = ?, finished_at = ?, error = NULL WHERE id = ?`,
    ).run(JSON.stringify(metrics), Date.now(), runId)
    return {
      runId,
      groups: order.filter((j) => sizes[j]! > 0).length,
      namesCarried: [...carry.successors.values(), ...keptRecreated].filter((g) => g.name !== null)
        .length,
      groupsKept: carry.successors.size + keptRecreated.length,
      userPlacementsKept: [...carry.placements.values()].filter(
        (p) => 'unsorted' in p || p.source === 'user',
      ).length,
      unsorted,
    }
  })()
}

/**
 * Assigns photos the current run has not seen (imported later) with its stored model, without
 * retraining: `probs` are the model's predictions for `photoIds` (n×k, model cluster order).
 */
export function addAssignments(
  db: Db,
  runId: number,
  photoIds: ArrayLike<number>,
  probs: Float32Array,
  k: number,
  /** 1 for photos that fit no group: they go to Unsorted ('no-fit'), closest group as runner-up. */
  outlier?: Uint8Array,
): number {
  const run = getRun(db, runId)
  const clusterIdx = run?.metrics.clusterIdx as number[] | undefined
  if (!run || run.state !== 'done' || !clusterIdx || clusterIdx.length !== k) {
    throw new Error(`Run ${runId} has no finished model with ${k} clusters to assign photos with.`)
  }
  const ids = new Map(
    (
      db.prepare(`SELECT id, idx FROM clusters WHERE run_id = ?`).all(runId) as {
        id: number
        idx: number
      }[]
    ).map((c) => [c.idx, c.id]),
  )
  const clusterOf = (j: number): number | null =>
    j >= 0 ? (ids.get(clusterIdx[j]!) ?? null) : null
  const top = topTwo(probs, photoIds.length, k)
  const insert = db.prepare(
    `INSERT OR IGNORE INTO assignments (photo_id, run_id, cluster_id, probability, confidence, runner_up_cluster_id, source, reason)
     VALUES (?, ?, ?, ?, ?, ?, 'model', ?)`,
  )
  let added = 0
  db.transaction(() => {
    for (let i = 0; i < photoIds.length; i++) {
      const p = top.bestProb[i]
      const fitsNone = outlier?.[i] === 1
      added += insert.run(
        photoIds[i],
        runId,
        fitsNone ? null : clusterOf(top.best[i]!),
        p,
        p,
        clusterOf(top[fitsNone ? 'best' : 'second'][i]!),
        fitsNone ? 'no-fit' : null,
      ).changes
    }
  })()
  return added
}
