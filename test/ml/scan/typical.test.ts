import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { adjustedRandIndex, contingency, scoreGrouping } from '../../../src/core/ml/metrics'
import { topK } from '../../../src/core/ml/neighbours'
import { assignments, trainScan } from '../../../src/core/ml/scan'
import { MAX_RUNS, RUN_BUDGET, trainingRuns } from '../../../src/core/ml/scan/sizing'
import { allAgree, mostTypical } from '../../../src/core/ml/scan/typical'
import { blobs } from './blobs'

describe('the most typical of several training runs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('keeps the grouping the others agree with, whatever its group numbers', () => {
    const majority = [0, 0, 0, 1, 1, 1, 2, 2, 2]
    const renumbered = [5, 5, 5, 3, 3, 3, 9, 9, 9]
    const mixed = [0, 0, 1, 1, 0, 0, 1, 1, 1] // two kinds joined, two split
    const close = [0, 0, 0, 1, 1, 1, 2, 2, 1] // one photo off
    expect(mostTypical([mixed, majority, renumbered]).index).toBe(1)
    // Its agreement: the mean of its ARI with each other grouping (1 with its renumbering).
    const withMixed = adjustedRandIndex(contingency(majority, mixed))
    expect(withMixed).toBeLessThan(0.5)
    expect(mostTypical([mixed, majority, renumbered]).agreement).toBeCloseTo(
      (withMixed + 1) / 2,
      12,
    )
    expect(mostTypical([mixed, close, majority]).index).toBe(2)
    // All the same: the first is kept, in full agreement.
    expect(mostTypical([majority, renumbered, majority])).toEqual({ index: 0, agreement: 1 })
    expect(mostTypical([mixed])).toEqual({ index: 0, agreement: 1 })
    expect(() => mostTypical([])).toThrow(/no groupings/)
    // Agreement of every pair: one photo off is an ARI under .98 on 9 photos.
    expect(allAgree([majority, renumbered, majority], 0.98)).toBe(true)
    expect(allAgree([majority, renumbered, close], 0.98)).toBe(false)
    expect(allAgree([mixed], 0.98)).toBe(true)
  })

  it('gives small libraries an odd number of runs within the budget, large ones one', () => {
    for (const n of [1, 2, 10, 40, 300, 428, 429, 600, 1000, 1500, 2530, 10_000]) {
      const runs = trainingRuns(n)
      expect(runs % 2).toBe(1)
      expect(runs).toBeGreaterThanOrEqual(1)
      expect(runs).toBeLessThanOrEqual(MAX_RUNS)
      if (runs > 1) expect(runs * n).toBeLessThanOrEqual(RUN_BUDGET)
    }
    expect(trainingRuns(40)).toBe(MAX_RUNS)
    expect(trainingRuns(585)).toBe(5)
    expect(trainingRuns(1000)).toBe(3)
    expect(trainingRuns(2530)).toBe(1)
  })

  it('trains each run from its own start and keeps the one most like the others', async () => {
    // Five kinds, two of them small and close: one start out of three joins them.
    const set = blobs([60, 30, 12, 8, 8], 16, 0.2, 8)
    const knn = 8
    const nb = (await topK(set.data, set.n, set.dim, knn)).index
    const common = {
      features: set.data,
      n: set.n,
      dim: set.dim,
      neighbours: nb,
      knn,
      clusters: 'auto' as const,
      epochs: 30,
      heads: 2,
      // The runs alone: the 60 photos of one kind would otherwise have the rest trained again.
      setAsideDominant: false,
    }
    const groups = (r: Awaited<ReturnType<typeof trainScan>>) =>
      assignments(r.model.predict(set.data, set.n), set.n).labels
    const single = await Promise.all(
      [0, 100, 200].map(async (seed) => groups(await trainScan({ ...common, seed, runs: 1 }))),
    )
    const fix = (g: Int32Array) => scoreGrouping(set.labels, g).fixCost.per100
    const before = tf.memory().numTensors
    const steps: number[][] = []
    const three = await trainScan({
      ...common,
      seed: 0,
      runs: 3,
      onProgress: (_stage, epoch, epochs) => steps.push([epoch, epochs]),
    })
    expect(tf.memory().numTensors).toBe(before)
    const typical = mostTypical(single)
    expect(three.runs).toEqual({ count: 3, kept: typical.index, agreement: typical.agreement })
    expect(Array.from(groups(three))).toEqual(Array.from(single[typical.index]!))
    // The first start joins two kinds; the two others agree, and what they found is kept.
    expect(new Set(single[0]).size).toBe(4)
    expect(three.runs.kept).not.toBe(0)
    expect(new Set(groups(three)).size).toBe(5)
    expect(fix(groups(three))).toBeLessThan(fix(single[0]!) / 2)
    // Progress runs once from 1 to the epochs of all runs together.
    expect(steps.map(([e]) => e)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1))
    expect(new Set(steps.map(([, total]) => total))).toEqual(new Set([90]))
  })

  it('stops after three runs that found the same groups, and progress still ends at its total', async () => {
    // Three kinds far apart: every start finds them.
    const set = blobs([40, 30, 20], 16, 0.05, 3)
    const knn = 8
    const nb = (await topK(set.data, set.n, set.dim, knn)).index
    const steps: number[][] = []
    const result = await trainScan({
      features: set.data,
      n: set.n,
      dim: set.dim,
      neighbours: nb,
      knn,
      clusters: 'auto',
      epochs: 20,
      heads: 2,
      runs: 7,
      onProgress: (_stage, epoch, epochs) => steps.push([epoch, epochs]),
    })
    expect(result.runs.count).toBe(3)
    expect(result.runs.agreement).toBeGreaterThanOrEqual(0.98)
    const groups = assignments(result.model.predict(set.data, set.n), set.n).labels
    expect(scoreGrouping(set.labels, groups).fixCost.per100).toBe(0)
    // 3 runs of 20 epochs reported out of 7 × 20, then one step to the end.
    expect(steps.length).toBe(61)
    expect(steps[59]).toEqual([60, 140])
    expect(steps[60]).toEqual([140, 140])
  })
})
