import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { scoreClustering } from '../../../src/core/ml/metrics'
import { topK } from '../../../src/core/ml/neighbours'
import {
  assignments,
  clusterPhotos,
  ClusterModel,
  mergeClusters,
  trainScan,
} from '../../../src/core/ml/scan'
import {
  mergeNeighbours,
  overclusterCount,
  usableNeighbours,
} from '../../../src/core/ml/scan/sizing'
import { seededRandom } from '../../../src/core/ml/random'
import { blobs } from './blobs'

// Imbalanced like a photo library: one class holds more than half of the photos.
const SIZES = [150, 40, 20, 14, 10]
const set = blobs(SIZES, 24, 0.09, 11)
const K = SIZES.length
const KNN = 10

async function neighbours(): Promise<Int32Array> {
  return (await topK(set.data, set.n, set.dim, KNN)).index
}

const fast = { epochs: 40, heads: 2, batchSize: 64, seed: 3 }

describe('SCAN clustering on imbalanced groups', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('plain SCAN with a uniform prior splits the big group; over-clustering + merge does not', async () => {
    const nb = await neighbours()
    const common = { features: set.data, n: set.n, dim: set.dim, neighbours: nb, knn: KNN }
    const plain = await trainScan({
      ...common,
      clusters: K,
      outputs: K,
      splitMixed: false,
      ...fast,
    })
    const plainScore = scoreClustering(
      set.labels,
      assignments(plain.model.predict(set.data, set.n), set.n).labels,
    )
    // Over-clustering alone: training the small kinds again is tested in dominant.test.ts.
    const ours = await trainScan({ ...common, clusters: K, setAsideDominant: false, ...fast })
    const pred = assignments(ours.model.predict(set.data, set.n), set.n)
    const score = scoreClustering(set.labels, pred.labels)
    expect(plainScore.acc).toBeLessThan(0.9)
    expect(score.acc).toBeGreaterThanOrEqual(0.97)
    expect(ours.model.k).toBe(K)
    expect(ours.outputs).toBe(overclusterCount(K, 3, set.n))
    expect(ours.outputs).toBeGreaterThanOrEqual(3 * K)
    expect(pred.sizes.every((s) => s > 0)).toBe(true)
  })

  it('splits an output that holds two kinds, so that the merge can place each', async () => {
    // With one output per group, the uniform prior makes outputs hold photos of two kinds.
    const nb = await neighbours()
    const common = { features: set.data, n: set.n, dim: set.dim, neighbours: nb, knn: KNN }
    const score = async (splitMixed: boolean) => {
      const run = await trainScan({ ...common, clusters: K, outputs: K, splitMixed, ...fast })
      const pred = assignments(run.model.predict(set.data, set.n), set.n)
      return { acc: scoreClustering(set.labels, pred.labels).acc, outputs: run.outputs }
    }
    const mixed = await score(false)
    const split = await score(true)
    expect(mixed.outputs).toBe(K)
    expect(split.outputs).toBeGreaterThan(K) // a head column per part split off
    expect(split.acc).toBeGreaterThan(mixed.acc + 0.05)
  })

  it('clusterPhotos self-labels, reports sizes, and its checkpoint predicts identically', async () => {
    const nb = await neighbours()
    const before = tf.memory().numTensors
    const stages = new Set<string>()
    const model = await clusterPhotos({
      features: set.data,
      n: set.n,
      dim: set.dim,
      neighbours: nb,
      knn: KNN,
      clusters: K,
      seed: 3,
      onProgress: (stage) => stages.add(stage),
    })
    expect(tf.memory().numTensors).toBe(before)
    expect([...stages]).toEqual(['scan', 'selflabel'])
    const pred = model.predict(set.data, set.n)
    const { labels, sizes } = assignments(pred, set.n)
    expect(scoreClustering(set.labels, labels).acc).toBeGreaterThanOrEqual(0.97)
    expect(model.report.selflabel.sizes).toEqual(sizes)
    expect(model.report.selflabel.warnings).toEqual([])

    const restored = ClusterModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())))
    expect(Array.from(restored.predict(set.data, set.n).probs)).toEqual(Array.from(pred.probs))
    // A photo imported later is assigned by the stored model without retraining.
    const one = restored.predict(set.data.slice(0, set.dim), 1)
    expect(one.k).toBe(K)
    expect(one.probs.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5)
  })

  it("'auto' finds the number of groups from neighbour agreement", async () => {
    const nb = await neighbours()
    const auto = await trainScan({
      features: set.data,
      n: set.n,
      dim: set.dim,
      neighbours: nb,
      knn: KNN,
      clusters: 'auto',
      ...fast,
    })
    expect(auto.model.k).toBe(K)
  })

  it('merges a split group back on kNN links', () => {
    // Photos 0-5 form one group split into clusters 0 and 1; photos 6-8 are cluster 2.
    const labels = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2])
    const nb = Int32Array.from([1, 3, 0, 4, 0, 5, 0, 4, 1, 3, 2, 3, 7, 8, 6, 8, 6, 7])
    const merged = mergeClusters(labels, 3, nb, 2, 2)
    expect(merged.k).toBe(2)
    expect(merged.groupOf[0]).toBe(merged.groupOf[1])
    expect(merged.groupOf[2]).not.toBe(merged.groupOf[0])
    expect(merged.trace[0]!.score).toBeGreaterThan(0.5)
    expect(merged.linkage).toBe('share')
  })

  it('keeps small distinct classes apart while it joins the pieces of a big one', () => {
    // Cluster 0-2: pieces of one class of 30 (mutual neighbours across pieces); clusters 3
    // and 4: classes of 4 photos whose outer neighbours point into the big class, which does
    // not point back (it has enough neighbours of its own).
    const knn = 6
    const big = 30
    const n = big + 8
    const labels = Int32Array.from({ length: n }, (_, i) => (i < big ? i % 3 : i < big + 4 ? 3 : 4))
    const nb = new Int32Array(n * knn)
    for (let i = 0; i < n; i++)
      for (let t = 0; t < knn; t++) {
        if (i < big) nb[i * knn + t] = (i + t + 1) % big
        else {
          const first = i < big + 4 ? big : big + 4
          // 3 neighbours in its own class, then photos of the big class.
          nb[i * knn + t] = t < 3 ? first + ((i - first + t + 1) % 4) : (i * 7 + t) % big
        }
      }
    const merged = mergeClusters(labels, 5, nb, knn, 3)
    const group = (c: number) => merged.groupOf[c]!
    expect(group(0)).toBe(group(1))
    expect(group(1)).toBe(group(2))
    expect(new Set([group(0), group(3), group(4)]).size).toBe(3)
  })

  it('uses fewer neighbours in small libraries and finer over-clusters in large ones', () => {
    expect(usableNeighbours(20, 62)).toBe(5)
    expect(usableNeighbours(20, 180)).toBe(12)
    expect(usableNeighbours(20, 5000)).toBe(20)
    expect(usableNeighbours(3, 62)).toBe(3)
    // Merging to a given K looks at 10 or more, 'auto' at the neighbours SCAN used.
    expect(mergeNeighbours(4, 5, 20)).toBe(10)
    expect(mergeNeighbours(4, 5, 7)).toBe(7)
    expect(mergeNeighbours(4, 15, 20)).toBe(15)
    expect(mergeNeighbours('auto', 5, 20)).toBe(5)
    expect(overclusterCount(4, 3, 120)).toBe(20)
    expect(overclusterCount(20, 3, 2500)).toBe(150)
    expect(overclusterCount(60, 3, 2500)).toBe(180)
    expect(overclusterCount('auto', 3, 600)).toBe(60)
    expect(overclusterCount('auto', 3, 40)).toBe(10)
  })

  it('falls back to modularity merging when neighbourhoods are impure (no chaining)', () => {
    // 400 photos in 20 clusters whose neighbours are mostly random: share linkage chains.
    const random = seededRandom(9)
    const n = 400
    const knn = 10
    const labels = Int32Array.from({ length: n }, (_, i) => i % 20)
    const nb = Int32Array.from({ length: n * knn }, (_, e) => {
      const i = Math.floor(e / knn)
      // One link in ten stays in the photo's pair of clusters {2c, 2c+1}; the rest are random.
      if (random() < 0.1)
        return (Math.floor(random() * 20) * 20 + ((i % 20) ^ (random() < 0.5 ? 1 : 0))) % n
      return Math.floor(random() * n)
    })
    const largest = (groupOf: Int32Array, k: number) => {
      const sizes = new Array<number>(k).fill(0)
      labels.forEach((l) => sizes[groupOf[l]!]!++)
      return Math.max(...sizes)
    }
    // The fallback itself, on all links (no mutual filter).
    const merged = mergeClusters(labels, 20, nb, knn, 10, { mutual: false })
    expect(merged.linkage).toBe('modularity')
    expect(merged.modularity.modularity).toBeGreaterThan(merged.modularity.share / 0.7)
    expect(largest(merged.groupOf, merged.k)).toBeLessThan(n / 2)
    // The default rule (mutual links) does not chain either.
    const byDefault = mergeClusters(labels, 20, nb, knn, 10)
    expect(largest(byDefault.groupOf, byDefault.k)).toBeLessThan(n / 2)
  })

  it('gives the same groups twice with the default seed 0', async () => {
    const nb = await neighbours()
    const common = { features: set.data, n: set.n, dim: set.dim, neighbours: nb, knn: KNN }
    const run = () => trainScan({ ...common, clusters: K, epochs: 5, heads: 2, batchSize: 64 })
    const [a, b] = [await run(), await run()]
    expect(b.headLosses).toEqual(a.headLosses)
    expect(b.outputLabels).toEqual(a.outputLabels)
    expect(b.model.weights).toEqual(a.model.weights)
  })

  it('stops when cancelled and frees its tensors', async () => {
    const nb = await neighbours()
    const before = tf.memory().numTensors
    const controller = new AbortController()
    const run = clusterPhotos({
      features: set.data,
      n: set.n,
      dim: set.dim,
      neighbours: nb,
      knn: KNN,
      clusters: K,
      signal: controller.signal,
      onProgress: (_stage, epoch) => epoch === 2 && controller.abort(),
    })
    await expect(run).rejects.toThrow(/abort/i)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('rejects a checkpoint that does not fit', () => {
    expect(() =>
      ClusterModel.fromJSON({
        kind: 'scan',
        version: 1,
        k: 2,
        dim: 2,
        outputs: 2,
        scale: 10,
        mean: Buffer.from(new Float32Array(2).buffer).toString('base64'),
        weights: Buffer.from(new Float32Array(3).buffer).toString('base64'),
        groupOf: [0, 1],
      }),
    ).toThrow(/weights have 3 values, expected 4/)
  })
})
