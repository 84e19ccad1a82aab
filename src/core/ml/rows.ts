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
