import { describe, expect, it } from 'vitest'
import { topK, topKAmong } from '../../../src/core/ml/neighbours'
import { seededRandom } from '../../../src/core/ml/random'
import {
  calibrateUnsorted,
  fitScores,
  judgeNewPhotos,
  lowQuantile,
} from '../../../src/core/ml/outliers'

/** Unit rows scattered around `centres[c]` (spread: noise per dimension). */
function blobs(centres: number[][], perCentre: number, spread: number, seed: number) {
  const random = seededRandom(seed)
  const dim = centres[0]!.length
  const rows: number[][] = []
  const labels: number[] = []
  centres.forEach((c, label) => {
    for (let i = 0; i < perCentre; i++) {
      const v = c.map((x) => x + spread * (random() * 2 - 1))
      const norm = Math.hypot(...v)
      rows.push(v.map((x) => x / norm))
      labels.push(label)
    }
  })
  return { data: Float32Array.from(rows.flat()), labels: Int32Array.from(labels), dim }
}

const axis = (d: number, dim = 8) => Array.from({ length: dim }, (_, i) => (i === d ? 1 : 0))

describe('Unsorted rule', () => {
  it('takes the rank-th neighbour of the same group, or the last neighbour as a bound', () => {
    const neighbours = { k: 3, index: Int32Array.of(1, 2, 3), sim: Float32Array.of(0.9, 0.8, 0.7) }
    const reference = [0, 0, 1, 0]
    expect(fitScores(neighbours, [0], reference, 2, () => 10)[0]).toBeCloseTo(0.7)
    expect(fitScores(neighbours, [1], reference, 2, () => 10)[0]).toBeCloseTo(0.7) // bound
    expect(fitScores(neighbours, [1], reference, 2, () => 1)[0]).toBeCloseTo(0.8) // 1 member
    expect(fitScores(neighbours, [2], reference, 2, () => 0)[0]).toBe(-Infinity) // no member
    expect(lowQuantile([5, 1, 4, 2, 3], 0.2)).toBeCloseTo(1.8)
    expect(lowQuantile([5, 1, 4, 2, 3], 0)).toBe(1)
    expect(lowQuantile([], 0.1)).toBe(-Infinity)
  })

  it('sends about the calibrated share of a group to Unsorted at training, and a new kind added later', async () => {
    const known = blobs([axis(0), axis(1), axis(2)], 150, 0.6, 1)
    const n = known.labels.length
    const nb = { k: 20, ...(await topK(known.data, n, known.dim, 20)) }
    const { rule, outlier } = calibrateUnsorted(nb, known.labels, 3, { quantile: 0.05 })
    const share = outlier.reduce((s, v) => s + v, 0) / n
    expect(share).toBeGreaterThan(0)
    expect(share).toBeLessThanOrEqual(0.06)
    expect(rule.thresholds).toHaveLength(3)

    // Later: more photos of the known kinds, and photos of a kind the library lacks (axis 5),
    // which the model has to put in some group (here group 0).
    const later = blobs([axis(0), axis(1), axis(2), axis(5)], 40, 0.6, 2)
    // The reference is the photos the rule was calibrated on, outliers included (with the group
    // the model chose): leaving them out makes the groups' edges thinner than calibrated.
    const among = await topKAmong(later.data, known.data, known.dim, 20)
    const modelGroup = later.labels.map((l) => (l === 3 ? 0 : l))
    const judged = judgeNewPhotos(rule, among, modelGroup, known.labels)
    const rate = (label: (l: number) => boolean) => {
      const rows = [...later.labels.keys()].filter((i) => label(later.labels[i]!))
      return rows.filter((i) => judged.outlier[i]).length / rows.length
    }
    expect(rate((l) => l === 3)).toBeGreaterThanOrEqual(0.9)
    expect(rate((l) => l !== 3)).toBeLessThanOrEqual(0.1)
  })

  it('judges against the group a model group is part of now (after a merge)', async () => {
    const known = blobs([axis(0), axis(1)], 30, 0.4, 3)
    const n = known.labels.length
    const nb = { k: 10, ...(await topK(known.data, n, known.dim, 10)) }
    const { rule } = calibrateUnsorted(nb, known.labels, 2)
    // A person merged group 1 into group 0: every reference photo is now in group 0.
    const reference = new Int32Array(n)
    const photo = blobs([axis(1)], 1, 0.1, 4)
    const among = await topKAmong(photo.data, known.data, known.dim, 10)
    expect(judgeNewPhotos(rule, among, [1], reference, () => 0).outlier[0]).toBe(0)
    expect(judgeNewPhotos(rule, among, [1], reference).outlier[0]).toBe(1) // group 1 has none
  })

  it('judges a group of fewer than 50 by the lower of the library-wide quantile and its own', async () => {
    // A tight group of 300 and a loose one of 30: the library-wide quantile, taken mostly from
    // the tight group, would send several of the loose group's own photos to Unsorted.
    const tight = blobs([axis(0)], 300, 0.3, 8)
    const loose = blobs([axis(1)], 30, 0.9, 9)
    const data = Float32Array.from([...tight.data, ...loose.data])
    const labels = Int32Array.from([...new Array(300).fill(0), ...new Array(30).fill(1)])
    const nb = { k: 10, ...(await topK(data, 330, tight.dim, 10)) }
    const { rule, fit, outlier } = calibrateUnsorted(nb, labels, 2)
    const fits = (g: number) => [...fit].filter((_, i) => labels[i] === g)
    const pooled = lowQuantile([...fit], 0.02)
    expect(rule.thresholds[0]).toBeCloseTo(lowQuantile(fits(0), 0.02), 6)
    expect(rule.thresholds[1]).toBeCloseTo(lowQuantile(fits(1), 0.02), 6)
    expect(fits(1).filter((f) => f < pooled).length).toBeGreaterThan(3)
    expect(outlier.subarray(300).reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(1)

    // A tight group of 30 beside a loose one of 300 keeps the library-wide quantile: its own
    // lowest fit is no reason to be stricter than the library.
    const wide = blobs([axis(0)], 300, 0.9, 10)
    const small = blobs([axis(1)], 30, 0.3, 11)
    const both = Float32Array.from([...wide.data, ...small.data])
    const nb2 = { k: 10, ...(await topK(both, 330, wide.dim, 10)) }
    const second = calibrateUnsorted(nb2, labels, 2)
    const smallFits = [...second.fit].filter((_, i) => labels[i] === 1)
    expect(second.rule.thresholds[1]).toBeCloseTo(lowQuantile([...second.fit], 0.02), 6)
    expect(second.rule.thresholds[1]).toBeLessThan(lowQuantile(smallFits, 0.02))
  })

  it('judges nothing in a library too small to calibrate on', async () => {
    const few = blobs([axis(0), axis(1)], 5, 0.6, 7)
    const nb = { k: 9, ...(await topK(few.data, 10, few.dim, 9)) }
    const { rule, outlier } = calibrateUnsorted(nb, few.labels, 2)
    expect([...outlier]).toEqual(new Array(10).fill(0))
    expect(rule.thresholds).toEqual([-Infinity, -Infinity])
    // Stored with the run as JSON (-Infinity becomes null), it still judges nothing.
    const stored = JSON.parse(JSON.stringify(rule)) as typeof rule
    const among = await topKAmong(few.data, few.data, few.dim, 9)
    expect([...judgeNewPhotos(stored, among, few.labels, few.labels).outlier]).toEqual(
      new Array(10).fill(0),
    )
  })

  it('topKAmong caps k at the reference rows and handles no query rows', async () => {
    const ref = blobs([axis(0)], 3, 0.1, 5)
    const q = blobs([axis(0)], 2, 0.1, 6)
    const out = await topKAmong(q.data, ref.data, ref.dim, 20)
    expect(out.k).toBe(3)
    expect(out.index).toHaveLength(6)
    expect([...out.sim.subarray(0, 3)]).toEqual([...out.sim.subarray(0, 3)].sort((a, b) => b - a))
    expect((await topKAmong(new Float32Array(0), ref.data, ref.dim, 20)).index).toHaveLength(0)
  })
})
