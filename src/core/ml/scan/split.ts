/**
 * Over-clusters that hold two kinds: SCAN's uniform prior fills every output about equally, so
 * a class of 5 photos borrows photos from another. Such an output's photos fall apart into
 * separate components of the mutual kNN graph; each part after the largest becomes an output
 * of its own (a head column at the part's mean), and the merge then places it on its links.
 */
import * as tf from '@tensorflow/tfjs'
import { argmaxRows } from '../rows'
import { cosineLogits } from './head'
import { neighbourTest } from './merge-graph'

/**
 * Parts smaller than this stay with their output. Replayed on the bench:quality sweep's
 * over-clusters (research/RESULTS.md): 3 lowered caltech20 'auto' fix from 2.5 (6.1) to 2.3
 * (4.8) per 100 and known K from 2.2 to 2.0; parts of 2 photos made known K worse (worst 8.8).
 */
export const SPLIT_MIN_PART = 3

/**
 * A part is split off only when at least this share of its photos' mutual links stay inside it:
 * a small kind keeps to itself, while a chance gap in one big kind's output links onwards to
 * the kind's other outputs. Replayed on the sweep, it halves the parts split off (1.8 → 0.7 a
 * caltech20 library) at the same worst case.
 */
export const SPLIT_MIN_INSIDE = 0.5

/**
 * The photos of each part to split off: for every output, the components of the mutual kNN
 * graph among its photos with at least `minPart` photos, all but the largest.
 */
export function splitParts(
  labels: Int32Array,
  outputs: number,
  neighbours: Int32Array,
  knn: number,
  minPart = SPLIT_MIN_PART,
): number[][] {
  const n = labels.length
  const isNeighbour = neighbourTest(neighbours, knn)
  // Share of a part's mutual links that stay inside it.
  const keepsInside = (part: number[]) => {
    const inPart = new Set(part)
    let inside = 0
    let all = 0
    for (const i of part)
      for (let t = 0; t < knn; t++) {
        const j = neighbours[i * knn + t]!
        if (!isNeighbour(j, i)) continue
        all++
        if (inPart.has(j)) inside++
      }
    return all > 0 ? inside / all : 0
  }
  const members = Array.from({ length: outputs }, () => [] as number[])
  for (let i = 0; i < n; i++) members[labels[i]!]!.push(i)
  const seen = new Uint8Array(n)
  const parts: number[][] = []
  for (const photos of members) {
    if (photos.length < 2 * minPart) continue
    const components: number[][] = []
    for (const start of photos) {
      if (seen[start]) continue
      seen[start] = 1
      const component: number[] = []
      const stack = [start]
      while (stack.length > 0) {
        const i = stack.pop()!
        component.push(i)
        for (let t = 0; t < knn; t++) {
          const j = neighbours[i * knn + t]!
          if (labels[j] !== labels[i] || seen[j] || !isNeighbour(j, i)) continue
          seen[j] = 1
          stack.push(j)
        }
      }
      components.push(component)
    }
    const large = components.filter((c) => c.length >= minPart).sort((a, b) => b.length - a.length)
    parts.push(...large.slice(1).filter((part) => keepsInside(part) >= SPLIT_MIN_INSIDE))
  }
  return parts
}

/**
 * Head weights (dim × outputs, row-major) with one more column per part: the mean of the part's
 * centred, unit-length features, which the cosine head compares photos with.
 */
export function withPartColumns(
  weights: Float32Array,
  dim: number,
  outputs: number,
  parts: number[][],
  centred: Float32Array,
): Float32Array {
  const total = outputs + parts.length
  const out = new Float32Array(dim * total)
  for (let d = 0; d < dim; d++) out.set(weights.subarray(d * outputs, (d + 1) * outputs), d * total)
  parts.forEach((part, p) => {
    for (const i of part)
      for (let d = 0; d < dim; d++) out[d * total + outputs + p]! += centred[i * dim + d]!
  })
  return out
}

/**
 * Splits the over-clusters that hold two kinds: the head gets a column per part split off,
 * and the photos' probabilities are those of the extended head.
 */
export function splitMixedOutputs(
  probs: Float32Array,
  weights: Float32Array,
  head: {
    n: number
    dim: number
    outputs: number
    scale: number
    /** The centred features, as rows and as the tensor training used. */
    centred: Float32Array
    x: tf.Tensor2D
  },
  neighbours: Int32Array,
  knn: number,
  enabled: boolean,
): { weights: Float32Array; outputs: number; probs: Float32Array } {
  const { n, dim, outputs, scale, centred, x } = head
  const parts = enabled ? splitParts(argmaxRows(probs, n, outputs), outputs, neighbours, knn) : []
  if (parts.length === 0) return { weights, outputs, probs }
  const extended = withPartColumns(weights, dim, outputs, parts, centred)
  const total = outputs + parts.length
  const out = tf.tidy(() => cosineLogits(x, tf.tensor2d(extended, [dim, total]), scale).softmax())
  const extendedProbs = out.dataSync() as Float32Array
  out.dispose()
  return { weights: extended, outputs: total, probs: extendedProbs }
}
