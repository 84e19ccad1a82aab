/** How big SCAN's pieces are for a library of n photos: epochs, over-clusters, neighbours. */

/** Optimiser steps wanted; 40 epochs of a 2,500-photo library is about 200. */
export const SCAN_STEPS = 400

/**
 * 40 epochs, but no more than about SCAN_STEPS steps for a large library (at least 10 epochs):
 * on 10,000 CIFAR-10 photos 20 epochs gave ACC .434 against .414 for 40, in half the time.
 */
export function defaultEpochs(n: number, batchSize: number): number {
  return Math.min(40, Math.max(10, Math.ceil((SCAN_STEPS * batchSize) / n)))
}

/** Photos per over-cluster aimed at (before the 20–150 bounds). */
export const PHOTOS_PER_OUTPUT = 10

/**
 * Over-clusters: about one per PHOTOS_PER_OUTPUT photos (bounded 20–150), at least
 * overcluster·K, never more than n/4. Over the bench:quality sweep finer over-clusters were
 * purer (a library of 578 photos: 24 outputs .931, 51 outputs .952 over-cluster purity), and
 * the merge puts the pieces back together.
 */
export function overclusterCount(
  clusters: number | 'auto',
  factor: number,
  n: number,
  photosPerOutput = PHOTOS_PER_OUTPUT,
): number {
  const perPhotos = Math.min(150, Math.max(20, Math.round(n / photosPerOutput)))
  const wanted =
    clusters === 'auto' ? perPhotos : Math.max(perPhotos, Math.round(factor * clusters))
  const base = clusters === 'auto' ? 2 : clusters
  return Math.max(base, Math.min(wanted, Math.floor(n / 4)))
}

/** Photos per neighbour used: a small library's classes are smaller than 20 photos. */
export const PHOTOS_PER_NEIGHBOUR = 15

/**
 * Neighbours used for the SCAN loss and the merge: all `knn` from 300 photos up, fewer below
 * (at least 5). With 62 photos of 7 classes, 20 neighbours reach a third of the library and
 * SCAN mixed the small classes (over-cluster purity .82).
 */
export function usableNeighbours(knn: number, n: number): number {
  return Math.min(knn, Math.max(5, Math.floor(n / PHOTOS_PER_NEIGHBOUR)))
}

/**
 * Neighbours the merge uses: those of the SCAN loss, but at least 10 when merging to a given K.
 * 80 photos of 4 classes in 20 pure over-clusters merged to ACC .825 on 5 neighbours (too few
 * mutual links between pieces) and 1.000 on 10; replayed on the bench:quality sweep, at least
 * 10 leaves known K unchanged and makes `auto` worse (fix 3.6 → 4.8 per 100), so only known K.
 */
export function mergeNeighbours(
  clusters: number | 'auto',
  used: number,
  available: number,
): number {
  return clusters === 'auto' ? used : Math.min(available, Math.max(used, 10))
}

/** The first `keep` columns of an n×knn neighbour table (rows are nearest first). */
export function nearestColumns(
  neighbours: Int32Array,
  n: number,
  knn: number,
  keep: number,
): Int32Array {
  if (keep >= knn) return neighbours
  const out = new Int32Array(n * keep)
  for (let i = 0; i < n; i++) out.set(neighbours.subarray(i * knn, i * knn + keep), i * keep)
  return out
}

/** Most training runs a library gets; each is a fresh random start (see ./typical.ts). */
export const MAX_RUNS = 7

/**
 * Photos × runs trained per organize: SCAN's cost grows with both, so small libraries, where one
 * start can go wrong, get several runs and large ones one. 3,000 keeps training under about
 * 35 s on one CPU core for any library (a 585-photo library trains in about 6 s a run).
 */
export const RUN_BUDGET = 3000

/** Training runs for n photos: an odd number (a typical run needs a majority), 1 to MAX_RUNS. */
export function trainingRuns(n: number): number {
  const fit = Math.min(MAX_RUNS, Math.floor(RUN_BUDGET / Math.max(1, n)))
  return Math.max(1, fit % 2 === 0 ? fit - 1 : fit)
}
