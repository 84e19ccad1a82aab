/**
 * A small seeded k-means (k-means++ start, Lloyd iterations) used to split one group.
 * Stand-in until H3's src/core/ml/kmeans lands with the agreed `kmeans(data, n, dim, k, seed)`.
 */
export interface KMeansResult {
  /** Part index per row, 0..k-1. */
  labels: Int32Array
  /** k rows of `dim` floats. */
  centroids: Float32Array
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function distance2(
  data: Float32Array,
  i: number,
  centroids: Float32Array,
  c: number,
  dim: number,
): number {
  let sum = 0
  for (let d = 0; d < dim; d++) {
    const diff = data[i * dim + d]! - centroids[c * dim + d]!
    sum += diff * diff
  }
  return sum
}

function initPlusPlus(data: Float32Array, n: number, dim: number, k: number, random: () => number) {
  const centroids = new Float32Array(k * dim)
  const first = Math.floor(random() * n)
  centroids.set(data.subarray(first * dim, first * dim + dim), 0)
  const nearest = new Float64Array(n).fill(Infinity)
  for (let c = 1; c < k; c++) {
    let total = 0
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, distance2(data, i, centroids, c - 1, dim))
      total += nearest[i]!
    }
    let pick = n - 1
    let r = random() * total
    for (let i = 0; i < n; i++) {
      r -= nearest[i]!
      if (r < 0) {
        pick = i
        break
      }
    }
    centroids.set(data.subarray(pick * dim, pick * dim + dim), c * dim)
  }
  return centroids
}

export function kmeans(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  seed = 1,
): KMeansResult {
  const centroids = initPlusPlus(data, n, dim, k, mulberry32(seed))
  const labels = new Int32Array(n).fill(-1)
  for (let iter = 0; iter < 100; iter++) {
    let changed = 0
    for (let i = 0; i < n; i++) {
      let best = 0
      let bestD = Infinity
      for (let c = 0; c < k; c++) {
        const d = distance2(data, i, centroids, c, dim)
        if (d < bestD) [best, bestD] = [c, d]
      }
      if (labels[i] !== best) [labels[i], changed] = [best, changed + 1]
    }
    if (changed === 0) break
    const sums = new Float64Array(k * dim)
    const counts = new Int32Array(k)
    for (let i = 0; i < n; i++) {
      const c = labels[i]!
      counts[c]!++
      for (let d = 0; d < dim; d++) sums[c * dim + d]! += data[i * dim + d]!
    }
    for (let c = 0; c < k; c++) {
      const count = counts[c]!
      if (count === 0) continue // an empty part keeps its centroid
      for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d]! / count
    }
  }
  return { labels, centroids }
}
