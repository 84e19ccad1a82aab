import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { kmeans } from '../../../src/core/ml/kmeans'
import { scoreClustering } from '../../../src/core/ml/metrics'
import { blobs } from '../scan/blobs'

describe('kmeans', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('recovers well-separated blobs of unequal size, repeatably for a seed', async () => {
    const { data, labels, n, dim } = blobs([60, 25, 10], 16, 0.05, 3)
    const before = tf.memory().numTensors
    const a = await kmeans(data, n, dim, 3, 7, { nInit: 3 })
    expect(tf.memory().numTensors).toBe(before)
    expect(scoreClustering(labels, Array.from(a.labels)).acc).toBe(1)
    const b = await kmeans(data, n, dim, 3, 7, { nInit: 3 })
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels))
    expect(b.inertia).toBeCloseTo(a.inertia, 6)
    expect(a.centroids.length).toBe(3 * dim)
  })

  it('explains bad arguments', async () => {
    await expect(kmeans(new Float32Array(8), 4, 2, 5)).rejects.toThrow(
      /k must be between 1 and n = 4/,
    )
    await expect(kmeans(new Float32Array(7), 4, 2, 2)).rejects.toThrow(/expected 8/)
  })
})
