import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { scoreGrouping } from '../../../src/core/ml/metrics'
import { topK } from '../../../src/core/ml/neighbours'
import { assignments, ClusterModel, trainScan } from '../../../src/core/ml/scan'
import {
  DOMINANT_SHARE,
  dominantSplit,
  joinedOutputLabels,
  joinModels,
  MIN_REST,
  MORE_OUTPUTS,
  worthTrainingAgain,
} from '../../../src/core/ml/scan/dominant'
import { blobs } from './blobs'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const repeat = (value: number, count: number) => new Array<number>(count).fill(value)

describe('which group dominates a library', () => {
  it('sets aside a group holding more than half of the photos, if enough others are left', () => {
    const groups = [...repeat(2, 60), ...repeat(0, 25), ...repeat(1, 15)]
    const split = dominantSplit(groups, 3)!
    expect(split.group).toBe(2)
    expect(split.share).toBeCloseTo(0.6)
    expect(Array.from(split.rest)).toEqual(Array.from({ length: 40 }, (_, j) => 60 + j))
  })

  it('leaves a library alone when no group holds more than half', () => {
    const half = [...repeat(0, 50), ...repeat(1, 30), ...repeat(2, 20)]
    expect(DOMINANT_SHARE).toBe(0.5)
    expect(dominantSplit(half, 3)).toBeNull()
  })

  it(`leaves it alone when fewer than ${MIN_REST} photos are outside the big group`, () => {
    const few = [...repeat(0, 200), ...repeat(1, MIN_REST - 1)]
    expect(dominantSplit(few, 2)).toBeNull()
    expect(dominantSplit([...few, 1], 2)).not.toBeNull()
  })
})

describe('whether the other photos are worth training again', () => {
  it('only when they get clearly more over-clusters than the first training left them', () => {
    expect(MORE_OUTPUTS).toBe(1.5)
    // The leopard library: the 100 photos beside the leopards held about 9 of 29 over-clusters.
    expect(worthTrainingAgain(10, 20)).toBe(true)
    expect(worthTrainingAgain(14, 20)).toBe(false)
    // 218 photos beside a kind of 800 hold as many as they would get alone.
    expect(worthTrainingAgain(21, 22)).toBe(false)
  })
})

describe('one model from the big group and the rest trained again', () => {
  const dim = 3
  /** A head of 3 outputs over 3 dimensions, scale 10, not centred. */
  const head = (k: number, weights: number[], groupOf: number[]) =>
    new ClusterModel(
      'scan',
      dim,
      k,
      10,
      new Float32Array(dim),
      Float32Array.from(weights),
      Int32Array.from(groupOf),
    )
  // Columns are outputs: first model 0,1 → group 1 (dominant), 2 → group 0.
  const first = head(2, [1, 0.9, 0, 0, 0.1, 1, 0, 0, 0], [1, 1, 0])
  // Rest model: outputs 0,1 → its group 0, output 2 → its group 1.
  const rest = head(2, [0, 0, 0, 1, 0.9, 0, 0, 0, 1], [0, 0, 1])

  it('keeps the big group’s columns and every column of the rest, groups renumbered', () => {
    const joined = joinModels(first, 1, rest)
    expect(joined.k).toBe(3)
    expect(Array.from(joined.groupOf)).toEqual([0, 0, 1, 1, 2])
    // Row d holds output columns: first's 0 and 1, then rest's 0, 1, 2.
    expect(Array.from(joined.weights)).toEqual(
      Array.from(Float32Array.from([1, 0.9, 0, 0, 0, 0, 0.1, 1, 0.9, 0, 0, 0, 0, 0, 1])),
    )
    const photos = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1])
    expect(Array.from(assignments(joined.predict(photos, 3), 3).labels)).toEqual([0, 1, 2])
  })

  it('renumbers each photo’s over-cluster the same way', () => {
    const split = { group: 1, share: 0.5, rest: Int32Array.from([1, 3]) }
    const labels = joinedOutputLabels(
      first,
      Int32Array.from([1, 2, 0, 2]),
      1,
      split,
      Int32Array.from([2, 0]),
    )
    expect(Array.from(labels)).toEqual([1, 4, 0, 2])
  })

  it('refuses heads that cannot share one softmax', () => {
    const other = new ClusterModel(
      'scan',
      dim,
      1,
      5,
      new Float32Array(dim),
      new Float32Array(dim),
      Int32Array.of(0),
    )
    expect(() => joinModels(first, 1, other)).toThrow(/differ in dim or scale/)
  })
})

describe('SCAN on a library one kind dominates', () => {
  // 200 photos of one kind beside six kinds of 10: the uniform prior leaves the small kinds
  // too few over-clusters, and they mix.
  const set = blobs([200, 10, 10, 10, 10, 10, 10], 24, 0.1, 2)
  const truth = Int32Array.from(set.labels)

  it(
    'trains the photos outside the big group again: small kinds get groups of their own',
    { timeout: 300_000 },
    async () => {
      const nb = (await topK(set.data, set.n, set.dim, 20)).index
      const common = { features: set.data, n: set.n, dim: set.dim, neighbours: nb, knn: 20 }
      const steps: [number, number][] = []
      const fixCost = async (setAsideDominant: boolean) => {
        steps.length = 0
        const run = await trainScan({
          ...common,
          clusters: 'auto',
          seed: 2,
          setAsideDominant,
          onProgress: (_stage, epoch, epochs) => steps.push([epoch, epochs]),
        })
        const groups = assignments(run.model.predict(set.data, set.n), set.n).labels
        return { run, fix: scoreGrouping(truth, groups).fixCost.per100 }
      }
      const before = await fixCost(false)
      const after = await fixCost(true)
      expect(before.run.dominant).toBeUndefined()
      expect(after.run.dominant!.share).toBeGreaterThan(DOMINANT_SHARE)
      expect(after.run.dominant!.photos).toBe(set.n - Math.round(after.run.dominant!.share * set.n))
      expect(after.run.dominant!.agreement).toBeGreaterThan(0.95)
      expect(after.run.model.k).toBe(after.run.dominant!.groups + 1)
      expect(after.run.outputLabels).toHaveLength(set.n)
      expect(after.fix).toBeLessThan(before.fix / 2)
      expect(after.fix).toBeLessThan(3)
      // Progress goes on from where the first training ended, to the end of both.
      const done = steps.map(([epoch]) => epoch)
      expect(done.every((e, i) => i === 0 || e > done[i - 1]!)).toBe(true)
      const [lastDone, total] = steps.at(-1)!
      expect(lastDone).toBe(total)
      expect(steps.some(([, t]) => t < total)).toBe(true)
    },
  )
})
