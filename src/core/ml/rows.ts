/** Row-wise helpers over n×k matrices stored row by row in one typed array. */

/** Index of the largest value in each row (the first one on ties). */
export function argmaxRows(probs: Float32Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let j = 1; j < k; j++) if (probs[i * k + j]! > probs[i * k + best]!) best = j
    out[i] = best
  }
  return out
}

/** Scales each row of `features` (count × dim) to unit length, in place. */
export function normaliseRows(features: Float32Array, dim: number): Float32Array {
  for (let row = 0; row < features.length; row += dim) {
    let sum = 0
    for (let i = row; i < row + dim; i++) sum += (features[i] as number) ** 2
    const scale = 1 / Math.max(Math.sqrt(sum), 1e-12)
    for (let i = row; i < row + dim; i++) features[i] = (features[i] as number) * scale
  }
  return features
}
