import * as tf from '@tensorflow/tfjs'

export interface ScanLossParts {
  /** Per head: weighted sum to minimise, consistency − λ·entropy (or + λ·KL to a prior). */
  total: tf.Tensor1D
  /** Per head: −mean log⟨p(x), p(n)⟩ over the batch. */
  consistency: tf.Tensor1D
  /** Per head: entropy of the batch-mean prediction. */
  entropy: tf.Tensor1D
}

const EPS = 1e-8

/**
 * SCAN loss (Van Gansbeke et al. 2020, eq. 2) for several heads at once. `anchor` and
 * `neighbour` are probabilities shaped [batch, heads, clusters]: a photo and one of its mined
 * neighbours. Returns one value per head so the best head can be chosen.
 */
export function scanLoss(
  anchor: tf.Tensor3D,
  neighbour: tf.Tensor3D,
  entropyWeight: number,
): ScanLossParts {
  return tf.tidy(() => {
    const dot = anchor.mul(neighbour).sum(2) // [batch, heads]
    const consistency = dot.add(EPS).log().mean(0).neg() as tf.Tensor1D
    const meanP = anchor.mean(0) // [heads, clusters]
    const entropy = meanP.mul(meanP.add(EPS).log()).sum(1).neg() as tf.Tensor1D
    const total = consistency.sub(entropy.mul(entropyWeight)) as tf.Tensor1D
    return { total, consistency, entropy }
  })
}

/** SCAN loss of one head on every photo and all its neighbours. */
export function fullScanLoss(
  p: Float32Array,
  n: number,
  c: number,
  neighbours: Int32Array,
  knn: number,
  lambda: number,
): number {
  let consistency = 0
  const mean = new Float64Array(c)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) mean[k]! += p[i * c + k]! / n
    for (let j = 0; j < knn; j++) {
      const m = neighbours[i * knn + j]!
      let dot = 0
      for (let k = 0; k < c; k++) dot += p[i * c + k]! * p[m * c + k]!
      consistency -= Math.log(dot + 1e-8)
    }
  }
  let entropy = 0
  for (const v of mean) if (v > 0) entropy -= v * Math.log(v)
  return consistency / (n * knn) - lambda * entropy
}
