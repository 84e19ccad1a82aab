// Runs the product's clustering on one generated library: the same neighbours, SCAN and
// self-labeling as `kindred organize` (view-0 features only: the cache holds no augmented
// views, so self-labeling uses its feature-dropout augmentation), plus k-means at the true K
// as the baseline.
import fs from 'node:fs'
import { kmeans } from '../../src/core/ml/kmeans'
import { topK } from '../../src/core/ml/neighbours'
import { assignments, trainScan, type ScanResult } from '../../src/core/ml/scan'
import { centreRows, featureMean } from '../../src/core/ml/scan/head'
import { mergeNeighbours, nearestColumns, usableNeighbours } from '../../src/core/ml/scan/sizing'
import { selfLabel, type SelfLabelResult } from '../../src/core/ml/selflabel'
import { DEFAULT_KNN } from '../../src/core/pipeline/params'
import { loadSet, type LabelledSet } from './dataset'
import type { Library } from './scenarios'

/** A library's features and neighbour table, shared by every run on it. */
export interface PreparedLibrary {
  lib: Library
  features: Float32Array
  n: number
  dim: number
  neighbours: Int32Array
  knn: number
}

export type Mode = 'k' | 'auto'

export interface LibraryRun {
  mode: Mode
  /**
   * Hard groups per stage: SCAN (over-clusters merged), the self-labeled model, and the final
   * model (self-labeled or SCAN's, as chosen without labels).
   */
  labels: { scan: Int32Array; selflabel: Int32Array; final: Int32Array }
  scan: ScanResult
  selflabel: SelfLabelResult
  seconds: number
}

/** The rows of `lib` gathered from the set's cache. */
export function libraryFeatures(set: LabelledSet, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * set.dim)
  rows.forEach((r, i) =>
    out.set(set.features.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim),
  )
  return out
}

/**
 * The library's features and neighbours as organize mines them. `centre` (research only) mines
 * the neighbours on the features minus that share of the library's mean direction instead.
 */
export async function prepareLibrary(
  set: LabelledSet,
  lib: Library,
  centre = 0,
): Promise<PreparedLibrary> {
  const features = libraryFeatures(set, lib.rows)
  const n = lib.rows.length
  const knn = Math.min(DEFAULT_KNN, n - 1)
  const found = await topK(centredRows(features, n, set.dim, centre), n, set.dim, knn)
  return { lib, features, n, dim: set.dim, neighbours: found.index, knn }
}

/** Rows minus `share` of their mean, L2-normalised; the rows themselves when `share` is 0. */
export function centredRows(
  features: Float32Array,
  n: number,
  dim: number,
  share: number,
): Float32Array {
  if (share === 0) return features
  const mean = featureMean(features, n, dim).map((v) => v * share)
  return centreRows(features, n, dim, mean)
}

/** k-means at the true K on the same features (n_init 10), the baseline. */
export async function kmeansLabels(p: PreparedLibrary, seed: number): Promise<Int32Array> {
  return (await kmeans(p.features, p.n, p.dim, p.lib.k, seed, { nInit: 10 })).labels
}

/**
 * SCAN then self-labeling, asked for the true K ('k') or 'auto'; `outputs` forces the number
 * of over-clusters (the product chooses it from the library's size).
 */
export async function clusterLibrary(
  p: PreparedLibrary,
  mode: Mode,
  seed: number,
  outputs?: number,
  /** Training runs (the product's count for the library when not given). */
  runs?: number,
): Promise<LibraryRun> {
  const started = performance.now()
  const base = { features: p.features, n: p.n, dim: p.dim, seed }
  const scan = await trainScan({
    ...base,
    neighbours: p.neighbours,
    knn: p.knn,
    clusters: mode === 'k' ? p.lib.k : 'auto',
    outputs,
    runs,
  })
  const labelled = await selfLabel(scan.model, { ...base, neighbours: p.neighbours, knn: p.knn })
  return {
    mode,
    labels: {
      scan: assignments(scan.model.predict(p.features, p.n), p.n).labels,
      selflabel: assignments((labelled.trained ?? labelled.model).predict(p.features, p.n), p.n)
        .labels,
      final: assignments(labelled.model.predict(p.features, p.n), p.n).labels,
    },
    scan,
    selflabel: labelled,
    seconds: (performance.now() - started) / 1000,
  }
}

/** A library's SCAN over-clusters and the neighbours the merge saw, to replay merge rules. */
export interface OverclusterDump {
  set: string
  scenario: string
  seed: number
  mode: Mode
  k: number
  rows: number[]
  truth: number[]
  outputs: number
  labels: number[]
  neighbours: number[]
  knn: number
}

/** A library's SCAN over-clusters with its whole neighbour table (`mergeView` picks the product's). */
export function overclusterDump(p: PreparedLibrary, mode: Mode, run: LibraryRun): OverclusterDump {
  return {
    set: p.lib.set,
    scenario: p.lib.scenario,
    seed: p.lib.seed,
    mode,
    k: p.lib.k,
    rows: [...p.lib.rows],
    truth: [...p.lib.labels],
    outputs: run.scan.outputs,
    labels: [...run.scan.outputLabels],
    neighbours: [...p.neighbours],
    knn: p.knn,
  }
}

/** Over-clusters dumped by bench:quality --dump or merge-sweep --dump (files comma-separated). */
export function readDumps(files: string): OverclusterDump[] {
  return files
    .split(',')
    .flatMap((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as OverclusterDump[])
}

/** The neighbours the product's merge looks at for a dumped library, nearest first. */
export function mergeView(d: OverclusterDump): { knn: number; neighbours: Int32Array } {
  const n = d.truth.length
  const knn = mergeNeighbours(d.mode === 'k' ? d.k : 'auto', usableNeighbours(d.knn, n), d.knn)
  return { knn, neighbours: nearestColumns(Int32Array.from(d.neighbours), n, d.knn, knn) }
}

/** An 'auto' dump with what a merge replay reads: its photos' features and the merge's view. */
export interface AutoReplay {
  dump: OverclusterDump
  dim: number
  features: Float32Array
  labels: Int32Array
  knn: number
  neighbours: Int32Array
}

/** The 'auto' dumps of `files` (comma-separated), each set's cache read once. */
export function autoReplays(files: string): AutoReplay[] {
  const sets = new Map<string, LabelledSet>()
  return readDumps(files)
    .filter((d) => d.mode === 'auto')
    .map((dump) => {
      if (!sets.has(dump.set)) sets.set(dump.set, loadSet(dump.set, 3000))
      const set = sets.get(dump.set)!
      const features = libraryFeatures(set, Int32Array.from(dump.rows))
      return {
        dump,
        dim: set.dim,
        features,
        labels: Int32Array.from(dump.labels),
        ...mergeView(dump),
      }
    })
}

/** Each group's most common true class (-1 for an empty group). */
export function majorityClass(
  group: ArrayLike<number>,
  groups: number,
  truth: ArrayLike<number>,
): number[] {
  const counts = Array.from({ length: groups }, () => new Map<number, number>())
  for (let i = 0; i < group.length; i++) {
    const c = counts[group[i]!]!
    c.set(truth[i]!, (c.get(truth[i]!) ?? 0) + 1)
  }
  return counts.map((c) => [...c.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? -1)
}
