import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { recallAtK, topK } from '../../../src/core/ml/neighbours'

/** Deterministic pseudo-random unit rows (a simple LCG keeps the test reproducible). */
function unitRows(n: number, dim: number, seed = 1): Float32Array {
  const data = new Float32Array(n * dim)
  let s = seed
  for (let i = 0; i < data.length; i++) {
    s = (s * 16807) % 2147483647
    data[i] = s / 2147483647 - 0.3
  }
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * dim, (i + 1) * dim)
    const norm = Math.hypot(...row)
    for (let j = 0; j < dim; j++) row[j]! /= norm
  }
  return data
}

function bruteForce(data: Float32Array, n: number, dim: number, k: number): Int32Array[] {
  const out: Int32Array[] = []
  for (let i = 0; i < n; i++) {
    const sims: [number, number][] = []
    for (let j = 0; j < n; j++) {
      if (j === i) continue
      let dot = 0
      for (let d = 0; d < dim; d++) dot += data[i * dim + d]! * data[j * dim + d]!
      sims.push([dot, j])
    }
    sims.sort((a, b) => b[0] - a[0])
    out.push(Int32Array.from(sims.slice(0, k).map((s) => s[1])))
  }
  return out
}

describe('topK', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('finds the same neighbours as brute force, self excluded, across several blocks', async () => {
    const n = 150
    const dim = 24
    const k = 7
    const data = unitRows(n, dim)
    const before = tf.memory().numTensors
    const { index, sim } = await topK(data, n, dim, k, { blockRows: 64 })
    expect(tf.memory().numTensors).toBe(before)
    const expected = bruteForce(data, n, dim, k)
    for (let i = 0; i < n; i++) {
      const row = index.subarray(i * k, (i + 1) * k)
      expect(row).not.toContain(i)
      expect(Array.from(row)).toEqual(Array.from(expected[i]!))
      for (let j = 1; j < k; j++) expect(sim[i * k + j]!).toBeLessThanOrEqual(sim[i * k + j - 1]!)
    }
    expect(recallAtK(index, Int32Array.from(expected.flatMap((r) => Array.from(r))), n, k)).toBe(1)
  })

  it('drops self even when an exact duplicate ties with it', async () => {
    const dim = 4
    const data = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0])
    const { index } = await topK(data, 4, dim, 1)
    expect(index[0]).toBe(1)
    expect(index[1]).toBe(0)
  })

  it('rejects inconsistent sizes with a clear message', async () => {
    await expect(topK(new Float32Array(10), 3, 4, 1)).rejects.toThrow(/expected n\*dim = 12/)
    await expect(topK(new Float32Array(12), 3, 4, 3)).rejects.toThrow(/k must be between 1 and/)
  })
})
