import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { scoreClustering } from '../../../src/core/ml/metrics'
import { topK } from '../../../src/core/ml/neighbours'
import {
  assignments,
  neighbourCohesion,
  normalisedModularity,
  trainScan,
} from '../../../src/core/ml/scan'
import { chooseModel, pseudoLabelled, selfLabel } from '../../../src/core/ml/selflabel'
import { blobs } from '../scan/blobs'

describe('pseudoLabelled', () => {
  it('keeps photos above the threshold and at least the top share of every group', () => {
    const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1])
    const confidence = Float32Array.from([0.995, 0.999, 0.5, 0.4, 0.6, 0.7, 0.2, 0.1])
    const { chosen, aboveThreshold } = pseudoLabelled(labels, confidence, 2, 0.99, 0.5)
    expect(aboveThreshold).toBe(2)
    // Group 1 has nothing above 0.99 but keeps its two most confident members.
    expect(Array.from(chosen)).toEqual([0, 1, 4, 5])
  })
})

describe('chooseModel', () => {
  /**
   * A dominant kind of 103 photos and kinds of 25, 20 and 14, in 4 groups: the last two kinds
   * share one, and the fourth group is a piece of the dominant kind, its `size` photos nearest
   * to photo 0.
   */
  async function withPiece(size: number) {
    const set = blobs([103, 25, 20, 14], 16, 0.1, 1)
    const { index } = await topK(set.data, set.n, set.dim, 8)
    const cosine = (i: number, j: number) => {
      let s = 0
      for (let d = 0; d < set.dim; d++) s += set.data[i * set.dim + d]! * set.data[j * set.dim + d]!
      return s
    }
    const nearest = Array.from({ length: 103 }, (_, i) => i).sort(
      (a, b) => cosine(0, b) - cosine(0, a),
    )
    const labels = set.labels.map((c) => Math.min(c, 2))
    for (const i of nearest.slice(0, size)) labels[i] = 3
    return { labels, index, truth: set.labels }
  }

  it('keeps SCAN when self-labeling grows a small piece of the dominant kind', async () => {
    const scan = await withPiece(3)
    const grown = await withPiece(15)
    const choice = chooseModel(scan.labels, grown.labels, 4, scan.index, 8)
    expect(choice.kept).toBe('scan')
    expect(choice.selflabel).toBeLessThan(choice.scan)
    // The mean cohesion of groups rewards the grown piece, which is why it is not the rule.
    expect(neighbourCohesion(grown.labels, 4, scan.index, 8)).toBeGreaterThan(
      neighbourCohesion(scan.labels, 4, scan.index, 8),
    )
  })

  it('keeps self-labeling when it puts the piece back and parts the two kinds', async () => {
    const scan = await withPiece(3)
    const choice = chooseModel(scan.labels, scan.truth, 4, scan.index, 8)
    expect(choice.kept).toBe('selflabel')
    expect(choice.selflabel).toBeGreaterThan(choice.scan)
  })
})

describe('selfLabel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('keeps every group and its quality on imbalanced groups', async () => {
    const set = blobs([120, 30, 15, 10], 16, 0.1, 5)
    const { index } = await topK(set.data, set.n, set.dim, 8)
    const common = { features: set.data, n: set.n, dim: set.dim }
    const scan = await trainScan({
      ...common,
      neighbours: index,
      knn: 8,
      clusters: 4,
      epochs: 30,
      heads: 2,
      batchSize: 64,
      seed: 1,
    })
    const result = await selfLabel(scan.model, { ...common, epochs: 15, seed: 1 })
    const after = assignments(result.model.predict(set.data, set.n), set.n)
    expect(result.model.kind).toBe('selflabel')
    expect(result.warnings).toEqual([])
    expect(after.sizes.every((s) => s > 0)).toBe(true)
    expect(result.sizes).toEqual(after.sizes)
    expect(result.pseudoLabels.every((c) => c > 0)).toBe(true)
    expect(scoreClustering(set.labels, after.labels).acc).toBeGreaterThanOrEqual(0.97)
  })

  it('keeps the SCAN model when self-labeling agrees less with the neighbourhoods', async () => {
    const set = blobs([120, 30, 15, 10], 16, 0.1, 5)
    const { index } = await topK(set.data, set.n, set.dim, 8)
    const common = { features: set.data, n: set.n, dim: set.dim }
    const scan = await trainScan({
      ...common,
      neighbours: index,
      knn: 8,
      clusters: 4,
      epochs: 30,
      heads: 2,
      batchSize: 64,
      seed: 1,
    })
    const scanAcc = scoreClustering(
      set.labels,
      assignments(scan.model.predict(set.data, set.n), set.n).labels,
    ).acc
    // A destructive refinement: huge steps on 90% feature dropout scramble the groups.
    const wild = { epochs: 3, learningRate: 5, dropout: 0.9, seed: 1 }
    const unchecked = await selfLabel(scan.model, { ...common, ...wild })
    const checked = await selfLabel(scan.model, { ...common, ...wild, neighbours: index, knn: 8 })
    const uncheckedAcc = scoreClustering(
      set.labels,
      assignments(unchecked.model.predict(set.data, set.n), set.n).labels,
    ).acc
    expect(uncheckedAcc).toBeLessThan(scanAcc - 0.05)
    expect(checked.choice!.selflabel).toBeLessThan(checked.choice!.scan)
    expect(checked.choice!.kept).toBe('scan')
    expect(checked.model).toBe(scan.model)
    expect(checked.trained!.kind).toBe('selflabel')
  })

  it('returns the model whose groups agree more with the neighbourhoods', async () => {
    const set = blobs([120, 30, 15, 10], 16, 0.1, 5)
    const { index } = await topK(set.data, set.n, set.dim, 8)
    const common = { features: set.data, n: set.n, dim: set.dim }
    const scan = await trainScan({
      ...common,
      neighbours: index,
      knn: 8,
      clusters: 4,
      epochs: 30,
      heads: 2,
      batchSize: 64,
      seed: 1,
    })
    const result = await selfLabel(scan.model, {
      ...common,
      epochs: 15,
      seed: 1,
      neighbours: index,
      knn: 8,
    })
    const { choice } = result
    const better = choice!.selflabel >= choice!.scan ? 'selflabel' : 'scan'
    expect(choice!.kept).toBe(better)
    expect(result.model).toBe(better === 'scan' ? scan.model : result.trained)
    const labels = assignments(result.model.predict(set.data, set.n), set.n)
    expect(result.sizes).toEqual(labels.sizes)
    expect(normalisedModularity(labels.labels, 4, index, 8)).toBeCloseTo(
      Math.max(choice!.scan, choice!.selflabel),
      9,
    )
    expect(scoreClustering(set.labels, labels.labels).acc).toBeGreaterThanOrEqual(0.97)
  })

  it('explains a dimension mismatch', async () => {
    const set = blobs([10, 10], 4, 0.05, 2)
    const { index } = await topK(set.data, set.n, set.dim, 3)
    const scan = await trainScan({
      features: set.data,
      n: set.n,
      dim: set.dim,
      neighbours: index,
      knn: 3,
      clusters: 2,
      epochs: 2,
      heads: 1,
    })
    await expect(
      selfLabel(scan.model, { features: new Float32Array(20 * 5), n: 20, dim: 5 }),
    ).rejects.toThrow(/dim 5 but the model expects 4/)
  })
})
