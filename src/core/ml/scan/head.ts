import * as tf from '@tensorflow/tfjs'

/**
 * The features are all non-negative (ReLU6 then pooling; mean pairwise cosine about 0.5), so
 * a linear head moves every photo's score for a group at once. Centring on the library mean
 * and re-normalising spreads them over the sphere (20-NN purity on caltech20 .960 → .972).
 */
export function featureMean(data: Float32Array, n: number, dim: number): Float32Array {
  const mean = new Float64Array(dim)
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += data[i * dim + d]!
  return Float32Array.from(mean, (v) => v / Math.max(1, n))
}

/** Rows minus `mean`, L2-normalised (in a new array). */
export function centreRows(
  data: Float32Array,
  n: number,
  dim: number,
  mean: Float32Array,
): Float32Array {
  const out = new Float32Array(n * dim)
  for (let i = 0; i < n; i++) {
    let norm = 0
    for (let d = 0; d < dim; d++) {
      const v = data[i * dim + d]! - mean[d]!
      out[i * dim + d] = v
      norm += v * v
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let d = 0; d < dim; d++) out[i * dim + d]! *= inv
  }
  return out
}

/**
 * Cosine head: scale · ⟨x, w_c⟩ / |w_c| on unit-length x. With unit inputs a plain linear head
 * gives tiny logits (median top probability .08 at lr 1e-4); the fixed scale (inverse
 * temperature) lets the head become confident without huge weights.
 */
export function cosineLogits(x: tf.Tensor2D, weights: tf.Tensor2D, scale: number): tf.Tensor2D {
  return tf.tidy(() => {
    // The epsilon goes inside the root: sqrt's gradient at 0 is infinite, and a group column
    // that is all zeros (a group without members) would turn the whole head into NaN.
    const norms = weights.square().sum(0, true).add(1e-12).sqrt()
    return matMulExplicitT(x, weights.div(norms)).mul(scale) as tf.Tensor2D
  })
}

/**
 * a·b whose gradient transposes explicitly: TF.js's matMul gradient multiplies by transposed
 * operands, which the WASM backend runs 10–20× slower than a transpose plus a plain product
 * (measured 216 ms vs 17 ms for 1024×1280 by 1024×90).
 */
export const matMulExplicitT = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D
  const y = b as tf.Tensor2D
  ;(save as tf.GradSaveFunc)([x, y])
  return {
    value: tf.matMul(x, y),
    gradFunc: (dy, saved) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D]
      return [
        tf.matMul(dy as tf.Tensor2D, sb.transpose()),
        tf.matMul(sa.transpose(), dy as tf.Tensor2D),
      ]
    },
  }
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D
