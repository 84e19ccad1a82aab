import * as tf from '@tensorflow/tfjs'
import { centreRows, cosineLogits } from './head'

/** JSON-able checkpoint of a trained clustering head. */
export interface ClusterModelJSON {
  kind: 'scan' | 'selflabel'
  version: 1
  /** Number of groups the model assigns photos to. */
  k: number
  dim: number
  /** Head outputs (over-clusters for 'scan'); each belongs to the group `groupOf[i]`. */
  outputs: number
  scale: number
  /** Base64 of little-endian float32 arrays. */
  mean: string
  weights: string
  groupOf: number[]
}

export interface Prediction {
  /** Row-major n*k group probabilities. */
  probs: Float32Array
  k: number
}

const PREDICT_ROWS = 4096

/**
 * A trained head on frozen features: centre, L2-normalise, cosine logits, softmax over its
 * outputs, then summed into groups (a SCAN over-clustering merged on neighbour agreement, or
 * the one-to-one self-labeling head). Assigns photos imported later without retraining.
 */
export class ClusterModel {
  constructor(
    readonly kind: ClusterModelJSON['kind'],
    readonly dim: number,
    readonly k: number,
    readonly scale: number,
    readonly mean: Float32Array,
    /** Row-major dim*outputs. */
    readonly weights: Float32Array,
    readonly groupOf: Int32Array,
  ) {
    const outputs = groupOf.length
    if (mean.length !== dim)
      throw new Error(`ClusterModel: mean has ${mean.length} values, dim is ${dim}`)
    if (weights.length !== dim * outputs) {
      throw new Error(
        `ClusterModel: weights have ${weights.length} values, expected ${dim * outputs}`,
      )
    }
    if (groupOf.some((g) => g < 0 || g >= k))
      throw new Error(`ClusterModel: a group index is outside 0..${k - 1}`)
  }

  get outputs(): number {
    return this.groupOf.length
  }

  /** Group probabilities for n feature rows (L2-normalised embeddings, as stored). */
  predict(features: Float32Array, n: number): Prediction {
    if (features.length !== n * this.dim) {
      throw new Error(`predict: got ${features.length} values, expected n*dim = ${n * this.dim}`)
    }
    const probs = new Float32Array(n * this.k)
    const w = tf.tensor2d(this.weights, [this.dim, this.outputs])
    // tf.oneHot needs depth ≥ 2; a one-group model (near-identical photos) sums every output.
    const merge = tf.tidy(() =>
      this.k === 1
        ? tf.ones([this.outputs, 1])
        : tf.oneHot(tf.tensor1d(this.groupOf, 'int32'), this.k).toFloat(),
    )
    try {
      for (let start = 0; start < n; start += PREDICT_ROWS) {
        const rows = Math.min(PREDICT_ROWS, n - start)
        const slice = features.subarray(start * this.dim, (start + rows) * this.dim)
        const x = centreRows(slice, rows, this.dim, this.mean)
        const out = tf.tidy(() =>
          cosineLogits(tf.tensor2d(x, [rows, this.dim]), w, this.scale)
            .softmax()
            .matMul(merge),
        )
        probs.set(out.dataSync(), start * this.k)
        out.dispose()
      }
    } finally {
      w.dispose()
      merge.dispose()
    }
    return { probs, k: this.k }
  }

  toJSON(): ClusterModelJSON {
    return {
      kind: this.kind,
      version: 1,
      k: this.k,
      dim: this.dim,
      outputs: this.outputs,
      scale: this.scale,
      mean: toBase64(this.mean),
      weights: toBase64(this.weights),
      groupOf: Array.from(this.groupOf),
    }
  }

  static fromJSON(json: ClusterModelJSON): ClusterModel {
    if (json.version !== 1 || (json.kind !== 'scan' && json.kind !== 'selflabel')) {
      throw new Error(
        `Unsupported cluster model checkpoint (kind ${json.kind}, version ${json.version})`,
      )
    }
    if (json.groupOf.length !== json.outputs)
      throw new Error(
        'Cluster model checkpoint is inconsistent: groupOf length differs from outputs',
      )
    return new ClusterModel(
      json.kind,
      json.dim,
      json.k,
      json.scale,
      fromBase64(json.mean),
      fromBase64(json.weights),
      Int32Array.from(json.groupOf),
    )
  }
}

/** Hard assignment, confidence and group sizes from a prediction. */
export function assignments(
  pred: Prediction,
  n: number,
): { labels: Int32Array; confidence: Float32Array; sizes: number[] } {
  const labels = new Int32Array(n)
  const confidence = new Float32Array(n)
  const sizes = new Array<number>(pred.k).fill(0)
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let c = 1; c < pred.k; c++)
      if (pred.probs[i * pred.k + c]! > pred.probs[i * pred.k + best]!) best = c
    labels[i] = best
    confidence[i] = pred.probs[i * pred.k + best]!
    sizes[best]!++
  }
  return { labels, confidence, sizes }
}

function toBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')
}

function fromBase64(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64')
  const copy = new Uint8Array(bytes) // aligned copy
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4)
}
