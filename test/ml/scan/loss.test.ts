import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { scanLoss } from '../../../src/core/ml/scan/loss'

const B = 3
const H = 2
const K = 4
// Fixed logits [batch, heads, clusters] for anchors and neighbours.
const za = [
  0.3, -1, 2, 0.5, 1, 1, -0.2, 0, -0.7, 0.1, 0.4, 1.5, 2, 0, 0, 0, 0.3, 0.3, -1, 1.2, 0, 0.5, 0.9,
  -0.4,
]
const zb = [
  0.1, -0.5, 1.4, 0.2, 0.9, 1.3, 0, -0.3, -0.2, 0.6, 0.1, 1, 1.1, 0.2, -0.3, 0, 0.8, -0.2, -0.6, 1,
  0.2, 0.1, 1.2, -0.1,
]

function loss(a: tf.Tensor, lambda: number): tf.Scalar {
  const pa = a.reshape([B, H, K]).softmax() as tf.Tensor3D
  const pb = tf.tensor3d(zb, [B, H, K]).softmax() as tf.Tensor3D
  return scanLoss(pa, pb, lambda).total.sum()
}

describe('scanLoss', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('computes consistency and entropy per head by their definitions', () => {
    const pa = tf.tensor3d(za, [B, H, K]).softmax().arraySync() as number[][][]
    const pb = tf.tensor3d(zb, [B, H, K]).softmax().arraySync() as number[][][]
    const parts = scanLoss(tf.tensor3d(pa), tf.tensor3d(pb), 5)
    const cons = parts.consistency.arraySync()
    const ent = parts.entropy.arraySync()
    const total = parts.total.arraySync()
    for (let h = 0; h < H; h++) {
      let c = 0
      const mean = new Array<number>(K).fill(0)
      for (let b = 0; b < B; b++) {
        let dot = 0
        for (let k = 0; k < K; k++) {
          dot += pa[b]![h]![k]! * pb[b]![h]![k]!
          mean[k]! += pa[b]![h]![k]! / B
        }
        c -= Math.log(dot) / B
      }
      const e = -mean.reduce((s, m) => s + m * Math.log(m), 0)
      expect(cons[h]).toBeCloseTo(c, 5)
      expect(ent[h]).toBeCloseTo(e, 5)
      expect(total[h]).toBeCloseTo(c - 5 * e, 5)
    }
  })

  it('has the hand-derived gradient dL/dz_a = (p_a − p_a⊙p_b/⟨p_a,p_b⟩)/B without entropy', () => {
    const g = tf
      .grad((a: tf.Tensor) => loss(a, 0))(tf.tensor1d(za))
      .arraySync() as number[]
    const pa = tf.tensor3d(za, [B, H, K]).softmax().arraySync() as number[][][]
    const pb = tf.tensor3d(zb, [B, H, K]).softmax().arraySync() as number[][][]
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const dot = pa[b]![h]!.reduce((s, v, k) => s + v * pb[b]![h]![k]!, 0)
        for (let k = 0; k < K; k++) {
          const expected = (pa[b]![h]![k]! - (pa[b]![h]![k]! * pb[b]![h]![k]!) / dot) / B
          expect(g[(b * H + h) * K + k]).toBeCloseTo(expected, 5)
        }
      }
    }
  })

  it('matches central finite differences with the entropy term', () => {
    const g = tf
      .grad((a: tf.Tensor) => loss(a, 5))(tf.tensor1d(za))
      .arraySync() as number[]
    const h = 1e-2
    for (let i = 0; i < za.length; i++) {
      const up = [...za]
      const down = [...za]
      up[i]! += h
      down[i]! -= h
      const fd =
        (loss(tf.tensor1d(up), 5).arraySync() - loss(tf.tensor1d(down), 5).arraySync()) / (2 * h)
      expect(g[i]!).toBeCloseTo(fd, 2)
    }
  })

  it('prefers agreeing confident pairs spread over clusters to a collapsed solution', () => {
    const agree = tf.tensor3d([[[0.97, 0.01, 0.01, 0.01]], [[0.01, 0.97, 0.01, 0.01]]])
    const collapsed = tf.tensor3d([[[0.97, 0.01, 0.01, 0.01]], [[0.97, 0.01, 0.01, 0.01]]])
    const spread = scanLoss(agree, agree, 5).total.arraySync()[0]!
    const single = scanLoss(collapsed, collapsed, 5).total.arraySync()[0]!
    expect(spread).toBeLessThan(single)
  })
})
