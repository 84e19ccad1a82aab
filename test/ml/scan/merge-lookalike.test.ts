import { describe, expect, it } from 'vitest'
import { mergeClusters } from '../../../src/core/ml/scan'
import {
  joinLookalikes,
  lookalikePairs,
  lookalikeScores,
  type GroupedPhotos,
} from '../../../src/core/ml/scan/merge-lookalike'
import { seededRandom } from '../../../src/core/ml/random'

const DIM = 16
const SIZE = 8
const KNN = 5

/** Orthogonal kinds: kind k points along axis 8 + k. */
const distinct = (kind: number, d: number): number => (d === 8 + kind ? 1 : 0)

/**
 * Kinds made of pieces of SIZE photos (one group each; `sizes` gives each piece its own). A
 * photo's features are its kind's centre, its piece's offset (0.3 along the piece's own axis,
 * or `offsets` gives each piece its own) and noise; its KNN neighbours
 * are the nearest photos of its piece (a ring), except that the first `bridges` photos of
 * the two pieces in `pair` point at each other (mutually), in their last slot.
 */
function library(
  pieces: number[],
  bridges: number,
  {
    centre = distinct,
    offset = 0.3,
    offsets = [] as number[],
    pair = [0, 1],
    sizes = [] as number[],
  } = {},
): GroupedPhotos {
  const random = seededRandom(7)
  const gauss = () =>
    Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random())
  const kindOf = pieces.flatMap((count, kind) => Array.from({ length: count }, () => kind))
  const m = kindOf.length
  const sizeOf = (p: number) => sizes[p] ?? SIZE
  const start = kindOf.map((_, p) => kindOf.slice(0, p).reduce((a, _k, q) => a + sizeOf(q), 0))
  const n = start[m - 1]! + sizeOf(m - 1)
  const features = new Float32Array(n * DIM)
  const group = new Int32Array(n)
  const neighbours = new Int32Array(n * KNN)
  for (let p = 0; p < m; p++)
    for (let j = 0; j < sizeOf(p); j++) {
      const i = start[p]! + j
      group[i] = p
      for (let d = 0; d < DIM; d++)
        features[i * DIM + d] =
          centre(kindOf[p]!, d) + (d === p % DIM ? (offsets[p] ?? offset) : 0) + 0.05 * gauss()
      const row: number[] = []
      for (let t = 1; row.length < KNN; t++) row.push(start[p]! + ((j + t) % sizeOf(p)))
      const other = p === pair[0] ? pair[1]! : p === pair[1] ? pair[0]! : -1
      if (j < bridges && other >= 0 && other < m) row[KNN - 1] = start[other]! + j
      neighbours.set(row, i * KNN)
    }
  return { group, groups: m, features, dim: DIM, neighbours, knn: KNN }
}

describe('joining look-alike groups', () => {
  it('joins two pieces of a kind that share too few neighbours for share linkage', () => {
    // Kind 0 in two pieces with 2 of 8 photos bridging (share 0.1); kinds 1–3 one piece each.
    const lib = library([2, 1, 1, 1], 2)
    const merge = (features?: Float32Array) =>
      mergeClusters(lib.group, lib.groups, lib.neighbours, KNN, 'auto', { features, dim: DIM })
    const plain = merge()
    expect(plain.k).toBe(5)
    expect(plain.lookalikeJoins).toBe(0)
    const joined = merge(lib.features)
    expect(joined.k).toBe(4)
    expect(joined.lookalikeJoins).toBe(1)
    expect(joined.groupOf[0]).toBe(joined.groupOf[1])
    expect(new Set(joined.groupOf).size).toBe(4)
  })

  it('keeps apart linked kinds that look no more alike than the library’s typical pair', () => {
    // Every kind shares one large common component (as in a set whose kinds all look alike);
    // kinds 0 and 1 are linked like the pieces above but are distinct kinds.
    const alike = (kind: number, d: number) => (d === 15 ? 3 : d === 8 + kind ? 0.3 : 0)
    const out = joinLookalikes(library([1, 1, 1, 1, 1], 2, { centre: alike, offset: 0 }))
    expect(out.joined).toBe(0)
    expect(out.k).toBe(5)
  })

  it('joins a piece that has no mutual link to its kind, unless links are required', () => {
    const lib = library([2, 1, 1, 1], 0)
    expect(joinLookalikes(lib).k).toBe(4)
    expect(joinLookalikes(lib, { minShare: 0.05 }).k).toBe(5)
  })

  it('takes the typical pair over photos, so a kind cut in many pieces is still joined', () => {
    // Kind 0 in 8 pieces of 5 photos: 28 of the 45 pairs of groups are its own pieces, but
    // most pairs of photos in different groups are of different kinds (kinds 1 and 2, 24 each).
    const lib = library([8, 1, 1], 0, { sizes: [5, 5, 5, 5, 5, 5, 5, 5, 24, 24] })
    const photos = joinLookalikes(lib)
    expect(photos.k).toBe(3)
    expect(new Set(Array.from(photos.groupOf).slice(0, 8)).size).toBe(1)
    expect(joinLookalikes(lib, { typical: 'groups' }).k).toBeGreaterThan(3)
  })

  it('joins the pieces of a kind that holds most of the library', () => {
    // 40 photos of kind 0 in pieces of 20, 10, 6 and 4 beside 10 of kind 1: 524 of the 924
    // pairs of photos in different groups are kind 0's own pieces, so the median pair is one.
    const lib = library([4, 1], 0, { sizes: [20, 10, 6, 4, 10] })
    const out = joinLookalikes(lib)
    expect(out.k).toBe(2)
    expect(new Set(Array.from(out.groupOf).slice(0, 4)).size).toBe(1)
    expect(out.groupOf[4]).not.toBe(out.groupOf[0])
    expect(joinLookalikes(lib, { quantile: 0.5 }).k).toBeGreaterThan(2)
  })

  it('joins a piece of a few photos at a lower bar, and leaves a small kind of its own apart', () => {
    // Kind 0: 20 photos and a 2-photo piece set further from them (offset 1.2 against 0.1);
    // kinds 1 and 2: 20 photos each. The piece scores between the two bars against its kind.
    const offsets = [0.1, 1.2, 0.1, 0.1]
    const lib = library([2, 1, 1], 0, { sizes: [20, 2, 20, 20], offsets })
    const out = joinLookalikes(lib)
    expect(out.k).toBe(3)
    expect(out.groupOf[1]).toBe(out.groupOf[0])
    expect(joinLookalikes(lib, { tiny: false }).k).toBe(4)
    // The same 2 photos as a kind of their own look like no group: they stay apart.
    const own = library([1, 1, 1, 1], 0, { sizes: [20, 20, 20, 2], offsets: [0.1, 0.1, 0.1, 0.1] })
    expect(joinLookalikes(own).k).toBe(4)
  })

  it('leaves a library of two groups as it is: one pair has nothing to be typical against', () => {
    expect(joinLookalikes(library([2], 2)).k).toBe(2)
  })

  it('scores groups as they stand with the join’s own score, highest for pieces of one kind', () => {
    const lib = library([2, 1, 1, 1], 2)
    const score = lookalikeScores(lib.group, lib.groups, lib.features, lib.dim)
    const pairs = lookalikePairs(lib)
    expect(pairs).toHaveLength(10)
    for (const p of pairs) expect(score(p.a, p.b)).toBeCloseTo(p.score, 12)
    const best = pairs.reduce((a, b) => (b.score > a.score ? b : a))
    expect([best.a, best.b]).toEqual([0, 1])
    expect(score(0, 1)).toBeGreaterThan(0.7)
    expect(Math.max(...pairs.filter((p) => p.a > 0).map((p) => score(p.a, p.b)))).toBeLessThan(0.3)
  })

  it('numbers groups largest first', () => {
    // Kind 0 is piece 0, kind 1 pieces 1 and 2 (joined), kind 2 piece 3.
    const out = joinLookalikes(library([1, 2, 1], 2, { pair: [1, 2] }))
    expect(Array.from(out.groupOf)).toEqual([1, 0, 0, 2])
  })
})
