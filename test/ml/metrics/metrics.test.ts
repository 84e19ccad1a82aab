import { describe, expect, it } from 'vitest'
import {
  adjustedRandIndex,
  clusteringAccuracy,
  contingency,
  fixCost,
  normalizedMutualInfo,
  purity,
  scoreClustering,
  scoreGrouping,
} from '../../../src/core/ml/metrics'

const parse = (s: string): number[] => s.split(',').map(Number)

// Reference values computed with scipy.optimize.linear_sum_assignment (ACC) and NumPy
// implementations of scikit-learn's NMI (arithmetic normaliser) and ARI formulas.
const noisyTruth = parse(
  '4,3,3,4,2,3,4,1,0,1,1,4,4,0,2,4,0,3,0,2,4,1,1,1,3,1,4,2,2,2,2,2,2,4,4,3,3,3,1,4,2,1,4,0,4,3,0,0,2,0,0,2,4,2,4,4,4,3,2,2',
)
const noisyPred = parse(
  '0,5,5,0,3,5,0,3,2,3,3,4,0,0,4,2,2,5,2,0,0,3,3,3,5,3,0,4,2,4,4,2,0,0,0,5,5,5,5,0,3,3,4,5,0,0,2,5,4,2,2,4,0,4,3,0,0,5,4,4',
)

describe('clustering metrics', () => {
  it('scores a hand-computed case', () => {
    // class 0 -> {0,0,1}, class 1 -> {1,2,2}: best matching gets 4 of 6 right; ARI = 8/33.
    const s = scoreClustering([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])
    expect(s.acc).toBeCloseTo(4 / 6, 12)
    expect(s.ari).toBeCloseTo(8 / 33, 12)
    expect(s.nmi).toBeCloseTo(0.5158037429793888, 12)
  })

  it('matches SciPy/NumPy reference values on a noisy 5-class, 6-cluster case', () => {
    const s = scoreClustering(noisyTruth, noisyPred)
    expect(s.acc).toBeCloseTo(0.75, 12)
    expect(s.nmi).toBeCloseTo(0.5383974701022414, 10)
    expect(s.ari).toBeCloseTo(0.45154790034904224, 10)
  })

  it('is invariant to cluster ids and handles imbalanced sizes with more clusters than classes', () => {
    const truth = [...Array(100).keys()].map((i) => (i < 50 ? 0 : i < 60 ? 1 : i < 65 ? 2 : 3))
    const pred = truth.map((t) => (t * 7 + 3) % 11)
    pred[0] = pred[1] = pred[2] = 9
    const s = scoreClustering(truth, pred)
    expect(s.acc).toBeCloseTo(0.97, 12)
    expect(s.nmi).toBeCloseTo(0.9506934631565862, 10)
    expect(s.ari).toBeCloseTo(0.9385718246267178, 10)
  })

  it('gives 1 for a perfect relabelled clustering and about 0 for an unrelated one', () => {
    const truth = [0, 0, 1, 1, 2, 2, 2]
    expect(scoreClustering(truth, [5, 5, 3, 3, 9, 9, 9])).toEqual({ acc: 1, nmi: 1, ari: 1 })
    const table = contingency([0, 0, 1, 1], [0, 1, 0, 1])
    expect(table).toEqual([
      [1, 1],
      [1, 1],
    ])
    expect(normalizedMutualInfo(table)).toBeCloseTo(0, 12)
    expect(adjustedRandIndex(table)).toBeLessThan(0)
    expect(clusteringAccuracy(table)).toBe(0.5)
  })

  it('rejects label arrays of different lengths with a clear error', () => {
    expect(() => scoreClustering([0, 1], [0])).toThrow(/2 labels but pred has 1/)
  })
})

describe('purity and fix cost', () => {
  it('counts the moves and merges that turn the groups into the classes', () => {
    // class 0: 6 photos split over groups 0 and 1; class 1: 3 photos in group 2 with one
    // photo of class 0; class 2: 2 photos lost in group 0.
    const truth = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2]
    const pred = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 0]
    const table = contingency(truth, pred)
    expect(purity(table)).toBeCloseTo(9 / 12, 12)
    // group 0 {0,0,0,2,2}: 2 moves; group 1 {0,0,0}: pure but shares class 0: 1 merge;
    // group 2 {0,1,1,1}: 1 move. Class 2 leads no group: its 2 photos are among the moves.
    expect(fixCost(table)).toEqual({ moves: 3, merges: 1, per100: (100 * 4) / 12 })
  })

  it('is free for the true grouping and counts only merges for a pure over-split', () => {
    const truth = [0, 0, 0, 0, 1, 1, 2, 2]
    expect(scoreGrouping(truth, [7, 7, 7, 7, 3, 3, 1, 1])).toMatchObject({
      acc: 1,
      purity: 1,
      fixCost: { moves: 0, merges: 0, per100: 0 },
    })
    const split = scoreGrouping(truth, [0, 1, 2, 3, 4, 4, 5, 5])
    expect(split.purity).toBe(1)
    expect(split.fixCost).toEqual({ moves: 0, merges: 3, per100: (100 * 3) / 8 })
  })

  it('charges a single group for every photo outside its largest class', () => {
    const truth = [0, 0, 0, 1, 1, 2]
    const s = scoreGrouping(truth, [0, 0, 0, 0, 0, 0])
    expect(s.purity).toBeCloseTo(0.5, 12)
    expect(s.fixCost).toEqual({ moves: 3, merges: 0, per100: 50 })
  })

  it('matches the ACC/NMI/ARI of scoreClustering', () => {
    const a = scoreGrouping(noisyTruth, noisyPred)
    const b = scoreClustering(noisyTruth, noisyPred)
    expect({ acc: a.acc, nmi: a.nmi, ari: a.ari }).toEqual(b)
    expect(a.purity).toBeGreaterThanOrEqual(a.acc)
    expect(a.fixCost.moves).toBe(Math.round((1 - a.purity) * noisyTruth.length))
  })
})
