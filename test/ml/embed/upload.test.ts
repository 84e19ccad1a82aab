import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src/core/ml/backend'
import { packRgb, toInputTensor } from '../../../src/core/ml/worker/upload'

describe('pixel upload', () => {
  beforeAll(async () => {
    await initBackend('cpu')
  })

  it('packs each RGB pixel into one exact float', () => {
    expect(Array.from(packRgb(new Uint8Array([255, 255, 255, 1, 2, 3])))).toEqual([
      16777215,
      1 + 512 + 196608,
    ])
  })

  it('gives the same [-1, 1] input packed or plain, for every byte value', () => {
    const pixels = new Uint8Array(224 * 224 * 3).map((_, i) => (i * 31 + (i >> 8)) % 256)
    const before = tf.memory().numTensors
    const plain = toInputTensor(pixels, 1, false)
    const packed = toInputTensor(pixels, 1, true)
    expect(packed.shape).toEqual([1, 224, 224, 3])
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(plain, packed))).dataSync()[0])
    expect(diff).toBe(0)
    expect(plain.dataSync()[0]).toBeCloseTo(pixels[0]! / 127.5 - 1, 6)
    tf.dispose([plain, packed])
    expect(tf.memory().numTensors).toBe(before)
  })
})
