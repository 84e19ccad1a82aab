/** Per photo: the most probable cluster, its probability and the runner-up cluster. */
export interface TopTwo {
  best: Int32Array
  bestProb: Float32Array
  second: Int32Array
}

export function topTwo(probs: Float32Array, n: number, k: number): TopTwo {
  if (probs.length !== n * k)
    throw new Error(`Expected ${n}×${k} probabilities, got ${probs.length}.`)
  // A diverged model must fail here, in words, not later as a NULL in the assignments table.
  if (!probs.every(Number.isFinite))
    throw new Error('Training produced invalid probabilities (NaN); the groups were not saved.')
  const best = new Int32Array(n)
  const second = new Int32Array(n).fill(-1)
  const bestProb = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    let b = 0
    let s = -1
    for (let j = 1; j < k; j++) {
      const p = probs[i * k + j]!
      if (p > probs[i * k + b]!) {
        s = b
        b = j
      } else if (s < 0 || p > probs[i * k + s]!) s = j
    }
    best[i] = b
    second[i] = s
    bestProb[i] = probs[i * k + b]!
  }
  return { best, bestProb, second }
}

/** Mean of the rows in each group, L2-normalised; null for an empty group. */
export function centroids(
  data: Float32Array,
  dim: number,
  groupOf: ArrayLike<number>,
  groups: number,
): (Float32Array | null)[] {
  const sums = Array.from({ length: groups }, () => new Float64Array(dim))
  const counts = new Int32Array(groups)
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i]!
    if (g < 0) continue
    counts[g]! += 1
    const sum = sums[g]!
    for (let d = 0; d < dim; d++) sum[d]! += data[i * dim + d]!
  }
  return sums.map((sum, g) => {
    if (counts[g] === 0) return null
    const norm = Math.hypot(...sum) || 1
    return Float32Array.from(sum, (v) => v / norm)
  })
}
