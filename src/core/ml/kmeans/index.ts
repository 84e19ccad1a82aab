import * as tf from '@tensorflow/tfjs'
import { seededRandom } from '../random'

export interface KMeansResult {
  labels: Int32Array
  /** Row-major k*dim. */
  centroids: Float32Array
  /** Sum of squared distances to the assigned centroid. */
  inertia: number
  iterations: number
}

export interface KMeansOptions {
  /** Restarts from different k-means++ seeds; the lowest inertia wins. */
  nInit?: number
  maxIter?: number
}

/**
 * Lloyd's k-means with k-means++ initialisation, seeded. Distances are computed on the active
 * TF.js backend; centroid updates in plain JS.
 */
export async function kmeans(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  seed = 0,
  opts: KMeansOptions = {},
): Promise<KMeansResult> {
  if (data.length !== n * dim)
    throw new Error(`kmeans: data has ${data.length} values, expected ${n * dim}`)
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new Error(`kmeans: k must be between 1 and n = ${n}, got ${k}`)
  const random = seededRandom(seed)
  const x = tf.tensor2d(data, [n, dim])
  const sqNorms = rowSqNorms(data, n, dim)
  try {
    let best: KMeansResult | undefined
    for (let run = 0; run < (opts.nInit ?? 10); run++) {
      const result = await lloyd(x, data, sqNorms, n, dim, k, random, opts.maxIter ?? 100)
      if (!best || result.inertia < best.inertia) best = result
    }
    return best!
  } finally {
    x.dispose()
  }
}

async function lloyd(
  x: tf.Tensor2D,
  data: Float32Array,
  sqNorms: Float64Array,
  n: number,
  dim: number,
  k: number,
  random: () => number,
  maxIter: number,
): Promise<KMeansResult> {
  let centroids = kmeansPlusPlus(data, sqNorms, n, dim, k, random)
  let labels: Int32Array = new Int32Array(n)
  let inertia = Infinity
  let iterations = 0
  for (; iterations < maxIter; iterations++) {
    const assigned = await assign(x, centroids, sqNorms, k, dim)
    const changed = iterations === 0 || assigned.labels.some((l, i) => l !== labels[i])
    labels = assigned.labels
    inertia = assigned.inertia
    if (!changed) break
    centroids = updateCentroids(data, labels, centroids, n, dim, k)
  }
  return { labels, centroids, inertia, iterations }
}

/** Nearest centroid for every row: |x|² - 2 x·c + |c|². */
async function assign(
  x: tf.Tensor2D,
  centroids: Float32Array,
  sqNorms: Float64Array,
  k: number,
  dim: number,
): Promise<{ labels: Int32Array; inertia: number }> {
  const [labelT, minT] = tf.tidy(() => {
    const cT = tf.tensor2d(centroids, [k, dim]).transpose()
    const cNorm = cT.square().sum(0)
    const d = cNorm.sub(x.matMul(cT).mul(2))
    return [d.argMin(1), d.min(1)]
  })
  const labels = new Int32Array(await labelT!.data())
  const mins = await minT!.data()
  labelT!.dispose()
  minT!.dispose()
  let inertia = 0
  for (let i = 0; i < labels.length; i++) inertia += Math.max(0, sqNorms[i]! + mins[i]!)
  return { labels, inertia }
}

function updateCentroids(
  data: Float32Array,
  labels: Int32Array,
  previous: Float32Array,
  n: number,
  dim: number,
  k: number,
): Float32Array {
  const sums = new Float64Array(k * dim)
  const counts = new Int32Array(k)
  for (let i = 0; i < n; i++) {
    const c = labels[i]!
    counts[c]!++
    for (let d = 0; d < dim; d++) sums[c * dim + d]! += data[i * dim + d]!
  }
  const out = new Float32Array(k * dim)
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < dim; d++) {
      // An emptied cluster keeps its previous centre rather than vanishing.
      out[c * dim + d] = counts[c] ? sums[c * dim + d]! / counts[c]! : previous[c * dim + d]!
    }
  }
  return out
}

/** k-means++: each next centre drawn with probability proportional to squared distance. */
function kmeansPlusPlus(
  data: Float32Array,
  sqNorms: Float64Array,
  n: number,
  dim: number,
  k: number,
  random: () => number,
): Float32Array {
  const centroids = new Float32Array(k * dim)
  const d2 = new Float64Array(n).fill(Infinity)
  let pick = Math.floor(random() * n)
  for (let c = 0; c < k; c++) {
    centroids.set(data.subarray(pick * dim, (pick + 1) * dim), c * dim)
    let total = 0
    for (let i = 0; i < n; i++) {
      let dot = 0
      for (let d = 0; d < dim; d++) dot += data[i * dim + d]! * data[pick * dim + d]!
      const dist = Math.max(0, sqNorms[i]! - 2 * dot + sqNorms[pick]!)
      if (dist < d2[i]!) d2[i] = dist
      total += d2[i]!
    }
    let r = random() * total
    pick = n - 1
    for (let i = 0; i < n; i++) {
      r -= d2[i]!
      if (r <= 0) {
        pick = i
        break
      }
    }
  }
  return centroids
}

function rowSqNorms(data: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let d = 0; d < dim; d++) s += data[i * dim + d]! ** 2
    out[i] = s
  }
  return out
}
