import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  centreRows,
  cosineLogits,
  featureMean,
  matMulExplicitT,
} from '../../../src/core/ml/scan/head'

describe('cosine head', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('matMulExplicitT has the same value and gradients as tf.matMul', () => {
    const a = tf.tensor2d([0.3, -1, 2, 0.5, 1, 1.5], [2, 3])
    const b = tf.tensor2d([1, 2, -0.5, 0.1, 0.7, -1.2], [3, 2])
    const weight = tf.tensor2d([1, -2, 0.5, 3], [2, 2])
    const f = (g: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        g(x as tf.Tensor2D, y as tf.Tensor2D)
          .mul(weight)
          .sum(),
      )([a, b])
    const [ga, gb] = f(matMulExplicitT)
    const [ea, eb] = f((x, y) => tf.matMul(x, y))
    expect(matMulExplicitT(a, b).arraySync()).toEqual(tf.matMul(a, b).arraySync())
    expect(ga!.arraySync()).toEqual(ea!.arraySync())
    expect(gb!.arraySync()).toEqual(eb!.arraySync())
  })

  it('keeps gradients finite for a group column of zeros (a group without members)', () => {
    const x = tf.tensor2d([1, 0, 0.6, 0.8], [2, 2])
    const w = tf.tensor2d([2, 0, 0, 0], [2, 2]) // column 1 is all zeros
    const [gw] = tf.grads((weights: tf.Tensor) =>
      tf.logSoftmax(cosineLogits(x, weights as tf.Tensor2D, 10)).sum(),
    )([w])
    expect(Array.from(gw!.dataSync()).every(Number.isFinite)).toBe(true)
  })

  it('gives scale × cosine similarity to each weight column', () => {
    const x = tf.tensor2d([1, 0, 0.6, 0.8], [2, 2])
    const w = tf.tensor2d([2, 0, 0, 5], [2, 2])
    const logits = cosineLogits(x, w, 10).arraySync()
    expect(logits[0]![0]).toBeCloseTo(10, 5)
    expect(logits[0]![1]).toBeCloseTo(0, 5)
    expect(logits[1]![0]).toBeCloseTo(6, 5)
    expect(logits[1]![1]).toBeCloseTo(8, 5)
  })

  it('centres on the mean and re-normalises rows', () => {
    const data = new Float32Array([1, 0, 0, 1, 1, 1])
    const mean = featureMean(data, 3, 2)
    expect(Array.from(mean)).toEqual([2 / 3, 2 / 3].map(Math.fround))
    const c = centreRows(data, 3, 2, mean)
    expect(Math.hypot(c[0]!, c[1]!)).toBeCloseTo(1, 6)
    expect(c[0]).toBeCloseTo(1 / Math.sqrt(5), 6)
    expect(c[1]).toBeCloseTo(-2 / Math.sqrt(5), 6)
  })
})
