import * as tf from '@tensorflow/tfjs'
import { gaussianWeights, permutation, seededRandom } from '../random'
import { definedOnly } from '../options'
import { argmaxRows } from '../rows'
import { centreRows, cosineLogits, featureMean } from './head'
import { fullScanLoss, scanLoss } from './loss'
import { attachEmptyOutputs, mergeClusters, type MergeResult } from './merge'
import { assignments, ClusterModel } from './model'
import { splitMixedOutputs } from './split'
import { allAgree, mostTypical } from './typical'
import {
  dominantSplit,
  joinedAgreement,
  joinedOutputLabels,
  joinModels,
  worthTrainingAgain,
} from './dominant'
import { photosAmong } from '../neighbours/among'
import {
  defaultEpochs,
  mergeNeighbours,
  nearestColumns,
  overclusterCount,
  trainingRuns,
  usableNeighbours,
} from './sizing'

export type ClusterProgress = (
  stage: 'scan' | 'selflabel',
  epoch: number,
  epochs: number,
  loss: number,
) => void

export interface ScanOptions {
  /** Row-major n*dim, L2-normalised embeddings. */
  features: Float32Array
  n: number
  dim: number
  /** Row-major n*knn neighbour indices (self excluded), from topK. */
  neighbours: Int32Array
  knn: number
  /** Groups wanted, or 'auto' to stop merging where neighbour agreement drops. */
  clusters: number | 'auto'
  /** Augmented views of the photos (each n*dim), used for anchors when given. */
  views?: Float32Array[]
  /** Head outputs: at least overcluster · clusters (default 3), see overclusterCount. */
  overcluster?: number
  /** Exact number of head outputs, instead of overclusterCount's choice. */
  outputs?: number
  heads?: number
  /** Default: 40 epochs, fewer for large libraries (about SCAN_STEPS optimiser steps). */
  epochs?: number
  batchSize?: number
  learningRate?: number
  entropyWeight?: number
  /** Inverse temperature of the cosine head. */
  scale?: number
  /** Split over-clusters that hold two kinds before merging (default true; see ./split.ts). */
  splitMixed?: boolean
  /** Affinity below which 'auto' stops merging. */
  autoThreshold?: number
  /** Training runs from different random starts, the most typical kept (see trainingRuns). */
  runs?: number
  /**
   * Train the photos outside a group holding most of the library again on their own (default
   * true; see ./dominant.ts).
   */
  setAsideDominant?: boolean
  /** Centre the features on this mean instead of their own (a part of a library, trained alone). */
  mean?: Float32Array
  seed?: number
  signal?: AbortSignal
  onProgress?: ClusterProgress
}

export interface ScanResult {
  /** Over-clustering head merged into groups; `model.k` is the number of groups. */
  model: ClusterModel
  outputs: number
  /** Index of the head kept (lowest SCAN loss on all photos) and every head's loss. */
  head: number
  headLosses: number[]
  /** Photos per over-cluster of the kept head, and each photo's over-cluster. */
  outputSizes: number[]
  outputLabels: Int32Array
  /** How the over-clusters were merged (linkage, modularity of the candidates, last steps). */
  merge: Omit<MergeResult, 'groupOf'>
  /** Runs trained, the one kept, and its mean agreement (ARI) with the others' groups. */
  runs: { count: number; kept: number; agreement: number }
  /**
   * Set when one group held most of the photos and the others were trained again on their own:
   * that group's share, the photos trained again, the groups they make, and the share of
   * photos the joined model puts where the two trainings did.
   */
  dominant?: { share: number; photos: number; groups: number; agreement: number }
  warnings: string[]
}

/** What one run from one random start gives: the result, and each photo's group. */
type Run = Omit<ScanResult, 'runs'> & { groups: Int32Array }

/** Seeds of successive runs are this far apart (run 0 uses the seed itself). */
const RUN_SEED_STEP = 100

export const SCAN_DEFAULTS = {
  overcluster: 3,
  heads: 3,
  epochs: 40,
  batchSize: 512,
  learningRate: 1e-2,
  entropyWeight: 5,
  scale: 10,
  autoThreshold: 0.2,
}

/**
 * SCAN clustering step on frozen features (the paper's ImageNet protocol) with over-clustering:
 * several cosine heads with `overcluster`×K outputs are trained with Adam on
 * −mean log⟨p(x), p(n)⟩ − λ·H(mean p); the head with the lowest loss is kept and its clusters
 * are merged on kNN agreement. The uniform prior of the entropy term splits big classes into
 * several clusters instead of mixing small ones, and the merge joins those pieces again.
 * Small libraries are trained several times from different random starts, and the run whose
 * groups agree best with the others' is kept (see ./typical.ts). When one group then holds
 * most of the photos, the others are trained again on their own (see ./dominant.ts).
 */
export async function trainScan(opts: ScanOptions): Promise<ScanResult> {
  let steps = 0
  const first = await trainTypical({
    ...opts,
    onProgress: (stage, epoch, epochs, loss) => {
      steps = epochs
      opts.onProgress?.(stage, epoch, epochs, loss)
    },
  })
  const { groups, ...result } = first
  if (opts.setAsideDominant === false) return result
  // Training the rest again continues the progress where the first training ended.
  const onProgress: ClusterProgress = (stage, epoch, epochs, loss) =>
    opts.onProgress?.(stage, steps + epoch, steps + epochs, loss)
  return (await trainAroundDominant({ ...opts, onProgress }, result, groups)) ?? result
}

/**
 * When one group holds most of the photos, the others trained again on their own and joined
 * to it in one model (see ./dominant.ts); null when no group dominates.
 */
async function trainAroundDominant(
  opts: ScanOptions,
  first: ScanResult,
  groups: Int32Array,
): Promise<ScanResult | null> {
  const split = dominantSplit(groups, first.model.k)
  if (!split) return null
  const clusters = opts.clusters === 'auto' ? 'auto' : opts.clusters - 1
  const n = split.rest.length
  if (clusters !== 'auto' && (clusters < 2 || clusters > n)) return null
  const had = first.model.groupOf.filter((g) => g !== split.group).length
  const wanted = overclusterCount(clusters, opts.overcluster ?? SCAN_DEFAULTS.overcluster, n)
  if (!worthTrainingAgain(had, wanted)) return null
  const { groups: restGroups, ...rest } = await trainTypical({
    ...(await photosAmong(opts, split.rest, opts.signal)),
    outputs: undefined,
    clusters,
    mean: first.model.mean,
  })
  const model = joinModels(first.model, split.group, rest.model)
  const agreement = joinedAgreement(model, opts.features, opts.n, split, restGroups)
  const outputLabels = joinedOutputLabels(
    first.model,
    first.outputLabels,
    split.group,
    split,
    rest.outputLabels,
  )
  return {
    ...first,
    model,
    outputs: model.outputs,
    outputLabels,
    outputSizes: countLabels(outputLabels, model.outputs),
    merge: { ...first.merge, k: model.k },
    dominant: { share: split.share, photos: n, groups: rest.model.k, agreement },
    warnings: [...first.warnings, ...rest.warnings],
  }
}

/** Several runs from different random starts, the most typical kept, with its groups. */
async function trainTypical(opts: ScanOptions): Promise<ScanResult & { groups: Int32Array }> {
  const o = { ...SCAN_DEFAULTS, seed: 0, ...definedOnly(opts) }
  validate(opts)
  const planned = opts.runs ?? trainingRuns(opts.n)
  const runs: Run[] = []
  let last: Parameters<ClusterProgress> | undefined
  const onProgress: ClusterProgress = (...step) => {
    last = step
    opts.onProgress?.(...step)
  }
  for (let r = 0; r < planned; r++) {
    const seed = o.seed + RUN_SEED_STEP * r
    const overall = (epoch: number, epochs: number): [number, number] => [
      r * epochs + epoch,
      planned * epochs,
    ]
    runs.push(await trainRun({ ...opts, onProgress }, { ...o, seed }, overall))
    if (runs.length >= SETTLE_AFTER && runs.length < planned && settled(runs)) {
      // The runs left are skipped, so progress jumps to its end.
      if (last) opts.onProgress?.('scan', last[2], last[2], last[3])
      break
    }
  }
  const typical = mostTypical(runs.map((r) => r.groups))
  return {
    ...runs[typical.index]!,
    runs: { count: runs.length, kept: typical.index, agreement: typical.agreement },
  }
}

/** Runs this many and in full agreement (SETTLED_AGREEMENT) end training early. */
const SETTLE_AFTER = 3
/** Adjusted Rand index every pair of runs must reach to settle the groups. */
const SETTLED_AGREEMENT = 0.98

function settled(runs: Run[]): boolean {
  return allAgree(
    runs.map((r) => r.groups),
    SETTLED_AGREEMENT,
  )
}

/** One SCAN training from the random start `o.seed`, merged into groups. */
async function trainRun(
  opts: ScanOptions,
  o: typeof SCAN_DEFAULTS & { seed: number },
  overall: (epoch: number, epochs: number) => [number, number],
): Promise<Run> {
  const { n, dim } = opts
  const outputs = opts.outputs ?? overclusterCount(opts.clusters, o.overcluster, n)
  const knn = usableNeighbours(opts.knn, n)
  const neighbours = nearestColumns(opts.neighbours, n, opts.knn, knn)
  const mean = opts.mean ?? featureMean(opts.features, n, dim)
  const centred = centreRows(opts.features, n, dim, mean)
  const views = (opts.views ?? []).map((v) => centreRows(v, n, dim, mean))
  const random = seededRandom(o.seed)

  const x = tf.tensor2d(centred, [n, dim])
  const viewTensors = views.map((v) => tf.tensor2d(v, [n, dim]))
  const init = tf.tensor2d(gaussianWeights(dim * o.heads * outputs, 1 / Math.sqrt(dim), o.seed), [
    dim,
    o.heads * outputs,
  ])
  const w = tf.variable(init)
  init.dispose()
  const optimizer = tf.train.adam(o.learningRate)
  try {
    const epochs = opts.epochs ?? defaultEpochs(n, o.batchSize)
    for (let epoch = 0; epoch < epochs; epoch++) {
      opts.signal?.throwIfAborted()
      const loss = await scanEpoch(
        x,
        viewTensors,
        w,
        optimizer,
        neighbours,
        knn,
        o,
        outputs,
        random,
      )
      opts.onProgress?.('scan', ...overall(epoch + 1, epochs), loss)
      await tf.nextFrame?.()
    }
    const probs = headProbabilities(x, w, o.heads, outputs, o.scale)
    const headLosses = probs.map((p) =>
      fullScanLoss(p, n, outputs, neighbours, knn, o.entropyWeight),
    )
    const head = headLosses.indexOf(Math.min(...headLosses))
    const mergeKnn = mergeNeighbours(opts.clusters, knn, opts.knn)
    const mergeTable = nearestColumns(opts.neighbours, n, opts.knn, mergeKnn)
    const trained = headWeights(await w.data(), dim, o.heads * outputs, head * outputs, outputs)
    const {
      weights,
      outputs: kept,
      probs: p,
    } = splitMixedOutputs(
      probs[head]!,
      trained,
      { n, dim, outputs, scale: o.scale, centred, x },
      mergeTable,
      mergeKnn,
      opts.splitMixed ?? true,
    )
    const labels = argmaxRows(p, n, kept)
    const merged = mergeClusters(labels, kept, mergeTable, mergeKnn, opts.clusters, {
      threshold: o.autoThreshold,
      features: opts.features,
      dim,
    })
    attachEmptyOutputs(merged.groupOf, p, labels, kept)
    const model = new ClusterModel('scan', dim, merged.k, o.scale, mean, weights, merged.groupOf)
    // The groups the model gives each photo, as organize will assign them.
    const groups = assignments(model.predict(opts.features, n), n).labels
    const outputSizes = countLabels(labels, kept)
    const warnings: string[] = []
    if (typeof opts.clusters === 'number' && merged.k < opts.clusters) {
      warnings.push(`asked for ${opts.clusters} groups but only ${merged.k} received photos`)
    }
    return {
      model,
      outputs: kept,
      head,
      headLosses,
      outputSizes,
      outputLabels: labels,
      merge: {
        k: merged.k,
        linkage: merged.linkage,
        lookalikeJoins: merged.lookalikeJoins,
        modularity: merged.modularity,
        cohesion: merged.cohesion,
        trace: merged.trace,
      },
      warnings,
      groups,
    }
  } finally {
    x.dispose()
    viewTensors.forEach((t) => t.dispose())
    w.dispose()
    optimizer.dispose()
  }
}

async function scanEpoch(
  x: tf.Tensor2D,
  views: tf.Tensor2D[],
  w: tf.Variable,
  optimizer: tf.AdamOptimizer,
  neighbours: Int32Array,
  knn: number,
  o: typeof SCAN_DEFAULTS,
  outputs: number,
  random: () => number,
): Promise<number> {
  const n = x.shape[0]
  const order = permutation(n, random)
  let sum = tf.scalar(0)
  let steps = 0
  for (let start = 0; start < n; start += o.batchSize) {
    const anchors = order.subarray(start, Math.min(n, start + o.batchSize))
    const partners = Int32Array.from(
      anchors,
      (i) => neighbours[i * knn + Math.floor(random() * knn)]!,
    )
    const source = views.length > 0 ? views[Math.floor(random() * views.length)]! : x
    const value = tf.tidy(() => {
      const a = tf.gather(source, tf.tensor1d(anchors, 'int32'))
      const b = tf.gather(x, tf.tensor1d(partners, 'int32'))
      return optimizer.minimize(
        () => {
          const p = cosineLogits(tf.concat([a, b]), w as tf.Variable<tf.Rank.R2>, o.scale)
            .reshape([2 * anchors.length, o.heads, outputs])
            .softmax() as tf.Tensor3D
          const [pa, pb] = tf.split(p, 2) as [tf.Tensor3D, tf.Tensor3D]
          return scanLoss(pa, pb, o.entropyWeight).total.sum() as tf.Scalar
        },
        true,
        [w],
      )!
    })
    const next: tf.Scalar = sum.add(value)
    sum.dispose()
    value.dispose()
    sum = next
    steps++
  }
  const total = (await sum.data())[0]!
  sum.dispose()
  return total / steps / o.heads
}

function headProbabilities(
  x: tf.Tensor2D,
  w: tf.Variable,
  heads: number,
  outputs: number,
  scale: number,
): Float32Array[] {
  const n = x.shape[0]
  const all = tf.tidy(() =>
    cosineLogits(x, w as tf.Variable<tf.Rank.R2>, scale)
      .reshape([n, heads, outputs])
      .softmax()
      .transpose([1, 0, 2]),
  )
  const data = all.dataSync() as Float32Array
  all.dispose()
  return Array.from({ length: heads }, (_, h) => data.slice(h * n * outputs, (h + 1) * n * outputs))
}

function countLabels(labels: Int32Array, c: number): number[] {
  const sizes = new Array<number>(c).fill(0)
  for (const l of labels) sizes[l]!++
  return sizes
}

function headWeights(
  all: ArrayLike<number>,
  dim: number,
  cols: number,
  from: number,
  count: number,
): Float32Array {
  const out = new Float32Array(dim * count)
  for (let d = 0; d < dim; d++)
    for (let c = 0; c < count; c++) out[d * count + c] = all[d * cols + from + c]!
  return out
}

function validate(opts: ScanOptions): void {
  const { n, dim, knn } = opts
  if (opts.features.length !== n * dim)
    throw new Error(
      `trainScan: features have ${opts.features.length} values, expected n*dim = ${n * dim}`,
    )
  if (opts.neighbours.length !== n * knn)
    throw new Error(
      `trainScan: expected ${n * knn} neighbour indices, got ${opts.neighbours.length}`,
    )
  if (
    opts.clusters !== 'auto' &&
    (!Number.isInteger(opts.clusters) || opts.clusters < 2 || opts.clusters > n)
  ) {
    throw new Error(
      `trainScan: clusters must be 'auto' or an integer from 2 to ${n}, got ${opts.clusters}`,
    )
  }
  for (const v of opts.views ?? [])
    if (v.length !== n * dim) throw new Error('trainScan: every view must have n*dim values')
}
