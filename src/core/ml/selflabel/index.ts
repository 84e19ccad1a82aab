import * as tf from '@tensorflow/tfjs'
import { permutation, seededRandom } from '../random'
import { centreRows, cosineLogits } from '../scan/head'
import { normalisedModularity } from '../scan/agreement'
import { assignments, ClusterModel } from '../scan/model'
import { definedOnly } from '../options'
import type { ClusterProgress } from '../scan/train'

export interface SelfLabelOptions {
  features: Float32Array
  n: number
  dim: number
  /** Augmented views (each n*dim); without them the features get dropout noise instead. */
  views?: Float32Array[]
  /** Confidence above which a photo becomes a pseudo-label (the paper's 0.99). */
  threshold?: number
  /** Each group also contributes at least this share of its most confident members. */
  minShare?: number
  epochs?: number
  batchSize?: number
  learningRate?: number
  /**
   * The kNN table (n*knn, self excluded). When given, the self-labeled model is kept only if
   * its groups keep their neighbours inside at least as well as SCAN's (normalisedModularity);
   * otherwise SCAN's model is returned.
   */
  neighbours?: Int32Array
  knn?: number
  /** Feature dropout rate used as augmentation when no views are given. */
  dropout?: number
  seed?: number
  signal?: AbortSignal
  onProgress?: ClusterProgress
}

export interface SelfLabelResult {
  /** One output per group, in the SCAN model's group order. */
  model: ClusterModel
  /** Pseudo-labelled photos per group, and how many passed the threshold on their own. */
  pseudoLabels: number[]
  aboveThreshold: number
  /** Photos per group after self-labeling. */
  sizes: number[]
  /** kNN-graph normalised modularity of both models' groups, and the one returned. */
  choice?: { scan: number; selflabel: number; kept: 'scan' | 'selflabel' }
  /** The self-labeled model, also when SCAN's was kept. */
  trained?: ClusterModel
  warnings: string[]
}

/**
 * SCAN's model is kept when self-labeling lowers the kNN graph's normalised modularity by more
 * than this. Chosen on the bench:quality sweep (18 libraries per set and mode, replayed by
 * bench/research/selflabel-choice.ts; research/RESULTS.md): the kept model's ACC never fell
 * below SCAN's on caltech20 (by mean group cohesion, the rule before: −.086 on one `auto`
 * library, where self-labeling grew a 3-photo piece of the big class to 15 photos), and the
 * worst `auto` fix cost went from 4.3 to 3.7 per 100. CIFAR-10: the same worst drop
 * (−.011 known K, −.026 `auto`), fix 42.8 → 43.4 and 39.9 → 40.1 per 100 on the mean.
 */
export const CHOICE_MARGIN = 0

/** Which model's groups to keep, SCAN's or self-labeling's, judged on the kNN graph alone. */
export function chooseModel(
  scanLabels: ArrayLike<number>,
  selfLabels: ArrayLike<number>,
  k: number,
  neighbours: Int32Array,
  knn: number,
): NonNullable<SelfLabelResult['choice']> {
  const scan = normalisedModularity(scanLabels, k, neighbours, knn)
  const selflabel = normalisedModularity(selfLabels, k, neighbours, knn)
  return { scan, selflabel, kept: selflabel < scan - CHOICE_MARGIN ? 'scan' : 'selflabel' }
}

export const SELFLABEL_DEFAULTS = {
  threshold: 0.99,
  minShare: 0.5,
  epochs: 25,
  batchSize: 256,
  learningRate: 1e-2,
  dropout: 0.2,
}

/**
 * SCAN's self-labeling step made robust for imbalanced libraries: confident photos become
 * pseudo-labels, but every group keeps at least its most confident half, so a group whose
 * members are never above 0.99 is not pushed out; the head starts at the pseudo-labelled group
 * means; cross-entropy is class-balanced. If a group still vanishes, the SCAN assignment is
 * kept and the result says so.
 */
export async function selfLabel(
  scan: ClusterModel,
  opts: SelfLabelOptions,
): Promise<SelfLabelResult> {
  const o = { ...SELFLABEL_DEFAULTS, seed: 0, ...definedOnly(opts) }
  const { n, dim } = opts
  const k = scan.k
  if (opts.features.length !== n * dim)
    throw new Error(`selfLabel: features have ${opts.features.length} values, expected ${n * dim}`)
  if (dim !== scan.dim)
    throw new Error(`selfLabel: features have dim ${dim} but the model expects ${scan.dim}`)
  const before = assignments(scan.predict(opts.features, n), n)
  const { chosen, aboveThreshold } = pseudoLabelled(
    before.labels,
    before.confidence,
    k,
    o.threshold,
    o.minShare,
  )
  const pseudoLabels = new Array<number>(k).fill(0)
  for (const i of chosen) pseudoLabels[before.labels[i]!]!++

  const centred = centreRows(opts.features, n, dim, scan.mean)
  const views = (opts.views ?? []).map((v) => centreRows(v, n, dim, scan.mean))
  const random = seededRandom(o.seed ?? 0)
  const x = tf.tensor2d(centred, [n, dim])
  const viewTensors = views.map((v) => tf.tensor2d(v, [n, dim]))
  const init = groupMeans(centred, dim, chosen, before.labels, k)
  const w = tf.variable(init)
  init.dispose()
  const classWeight = tf.tensor1d(balancedWeights(pseudoLabels))
  const optimizer = tf.train.adam(o.learningRate)
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      opts.signal?.throwIfAborted()
      const order = permutation(chosen.length, random)
      let sum = 0
      let steps = 0
      for (let start = 0; start < order.length; start += o.batchSize) {
        const rows = Int32Array.from(order.subarray(start, start + o.batchSize), (j) => chosen[j]!)
        const targets = Int32Array.from(rows, (i) => before.labels[i]!)
        const source =
          viewTensors.length > 0 ? viewTensors[Math.floor(random() * viewTensors.length)]! : x
        const value = tf.tidy(() => {
          // Never 0: TF.js takes seed 0 as "unseeded".
          const seedStep = 1 + Math.floor(random() * 2 ** 30)
          let batch = tf.gather(source, tf.tensor1d(rows, 'int32')) as tf.Tensor2D
          if (viewTensors.length === 0 && o.dropout > 0) {
            batch = tf.dropout(batch, o.dropout, undefined, seedStep) as tf.Tensor2D
            batch = batch.div(batch.norm('euclidean', 1, true).add(1e-12))
          }
          const t = tf.oneHot(tf.tensor1d(targets, 'int32'), k)
          const weight = tf.gather(classWeight, tf.tensor1d(targets, 'int32'))
          return optimizer.minimize(
            () => {
              const logp = tf.logSoftmax(
                cosineLogits(batch, w as tf.Variable<tf.Rank.R2>, scan.scale),
              )
              return t.mul(logp).sum(1).mul(weight).mean().neg() as tf.Scalar
            },
            true,
            [w],
          )!
        })
        sum += (await value.data())[0]!
        value.dispose()
        steps++
      }
      opts.onProgress?.('selflabel', epoch + 1, o.epochs, sum / Math.max(1, steps))
    }
    const weights = new Float32Array(await w.data())
    const groupOf = Int32Array.from({ length: k }, (_, c) => c)
    const model = new ClusterModel('selflabel', dim, k, scan.scale, scan.mean, weights, groupOf)
    const after = assignments(model.predict(opts.features, n), n)
    const vanished = after.sizes.flatMap((s, c) => (s === 0 && before.sizes[c]! > 0 ? [c] : []))
    if (vanished.length > 0) {
      return {
        model: scan,
        pseudoLabels,
        aboveThreshold,
        sizes: before.sizes,
        warnings: [
          `self-labeling emptied group(s) ${vanished.join(', ')}; kept the SCAN assignment`,
        ],
      }
    }
    if (opts.neighbours && opts.knn) {
      const choice = chooseModel(before.labels, after.labels, k, opts.neighbours, opts.knn)
      const common = { pseudoLabels, aboveThreshold, choice, trained: model, warnings: [] }
      if (choice.kept === 'scan') return { ...common, model: scan, sizes: before.sizes }
      return { ...common, model, sizes: after.sizes }
    }
    return { model, pseudoLabels, aboveThreshold, sizes: after.sizes, warnings: [] }
  } finally {
    x.dispose()
    viewTensors.forEach((t) => t.dispose())
    w.dispose()
    classWeight.dispose()
    optimizer.dispose()
  }
}

/** Photos above the threshold plus each group's most confident `minShare`. */
export function pseudoLabelled(
  labels: Int32Array,
  confidence: Float32Array,
  k: number,
  threshold: number,
  minShare: number,
): { chosen: Int32Array; aboveThreshold: number } {
  const members: number[][] = Array.from({ length: k }, () => [])
  labels.forEach((l, i) => members[l]!.push(i))
  const keep = new Uint8Array(labels.length)
  let aboveThreshold = 0
  confidence.forEach((c, i) => {
    if (c > threshold) {
      keep[i] = 1
      aboveThreshold++
    }
  })
  for (const group of members) {
    group.sort((a, b) => confidence[b]! - confidence[a]!)
    const top = group.length === 0 ? 0 : Math.max(1, Math.ceil(minShare * group.length))
    for (let j = 0; j < top; j++) keep[group[j]!] = 1
  }
  const chosen: number[] = []
  keep.forEach((v, i) => v && chosen.push(i))
  return { chosen: Int32Array.from(chosen), aboveThreshold }
}

/** Inverse-frequency weights, mean 1 over the groups that have pseudo-labels. */
function balancedWeights(counts: number[]): Float32Array {
  const present = counts.filter((c) => c > 0).length || 1
  const inv = counts.map((c) => (c > 0 ? 1 / c : 0))
  const total = inv.reduce((a, v) => a + v, 0) || 1
  return Float32Array.from(inv, (v) => (v * present) / total)
}

/** Initial weights dim×k: the mean of each group's pseudo-labelled (centred) features. */
function groupMeans(
  centred: Float32Array,
  dim: number,
  chosen: Int32Array,
  labels: Int32Array,
  k: number,
): tf.Tensor2D {
  const w = new Float32Array(dim * k)
  for (const i of chosen) {
    const c = labels[i]!
    for (let d = 0; d < dim; d++) w[d * k + c]! += centred[i * dim + d]!
  }
  return tf.tensor2d(w, [dim, k])
}
