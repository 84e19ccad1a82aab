import { describe, expect, it } from 'vitest'
import { mergeClusters } from '../../../src/core/ml/scan'
import { joinLookalikes } from '../../../src/core/ml/scan/merge-lookalike'
import { seededRandom } from '../../../src/core/ml/random'

const DIM = 16

/**
 * Kinds made of pieces of `size` photos (one over-cluster each). A photo's features are its
 * kind's centre, its piece's offset and noise; its neighbours are the nearest photos of its
 * piece (a ring), except that the first `bridges` photos of a piece also point at the photo in
 * the same place of the next piece in `linked` (mutually), in their last slot.
 */
function library(opts: {
  pieces: number[]
  size: number
  knn: number
  bridges: number
  linked: (piece: number) => number | undefined
  centre: (kind: number, d: number) => number
  offset: number
}) {
  const random = seededRandom(7)
  const gauss = () =>
    Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random())
  const kindOf = opts.pieces.flatMap((count, kind) => Array.from({ length: count }, () => kind))
  const m = kindOf.length
  const { size, knn } = opts
  const n = m * size
  const features = new Float32Array(n * DIM)
  const labels = new Int32Array(n)
  const neighbours = new Int32Array(n * knn)
  const partner = new Int32Array(m).fill(-1)
  for (let p = 0; p < m; p++) {
    const q = opts.linked(p)
    if (q !== undefined) [partner[p], partner[q]] = [q, p]
  }
  for (let p = 0; p < m; p++)
    for (let j = 0; j < size; j++) {
      const i = p * size + j
      labels[i] = p
      for (let d = 0; d < DIM; d++)
        features[i * DIM + d] =
          opts.centre(kindOf[p]!, d) + (d === p % DIM ? opts.offset : 0) + 0.05 * gauss()
      const row: number[] = []
      for (let t = 1; row.length < knn; t++) row.push(p * size + ((j + t) % size))
      if (j < opts.bridges && partner[p]! >= 0) row[knn - 1] = partner[p]! * size + j
      neighbours.set(row, i * knn)
    }
  return { features, labels, neighbours, m, kindOf }
}

/** Orthogonal kinds: kind k points along axis 8 + k. */
const distinct = (kind: number, d: number) => (d === 8 + kind ? 1 : 0)

describe('joining look-alike groups', () => {
  it('joins two pieces of a kind that share too few neighbours for share linkage', () => {
    // Kind 0 in two pieces with 2 of 8 photos bridging (share 0.1); kinds 1–3 one piece each.
    const lib = library({
      pieces: [2, 1, 1, 1],
      size: 8,
      knn: 5,
      bridges: 2,
      linked: (p) => (p === 0 ? 1 : undefined),
      centre: distinct,
      offset: 0.3,
    })
    const plain = mergeClusters(lib.labels, lib.m, lib.neighbours, 5, 'auto')
    expect(plain.k).toBe(5)
    const joined = mergeClusters(lib.labels, lib.m, lib.neighbours, 5, 'auto', {
      features: lib.features,
      dim: DIM,
    })
    expect(joined.k).toBe(4)
    expect(joined.lookalikeJoins).toBe(1)
    expect(plain.lookalikeJoins).toBe(0)
    expect(joined.groupOf[0]).toBe(joined.groupOf[1])
    expect(new Set(joined.groupOf).size).toBe(4)
  })

  it('keeps apart linked kinds that look no more alike than the library’s typical pair', () => {
    // Every kind shares one large common component (as in a set whose kinds all look alike);
    // kinds 0 and 1 are linked like the pieces above but are distinct kinds.
    const lib = library({
      pieces: [1, 1, 1, 1, 1],
      size: 8,
      knn: 5,
      bridges: 2,
      linked: (p) => (p === 0 ? 1 : undefined),
      centre: (kind, d) => (d === 15 ? 3 : d === 8 + kind ? 0.3 : 0),
      offset: 0,
    })
    const group = lib.labels
    const out = joinLookalikes(group, lib.m, lib.features, DIM, lib.neighbours, 5)
    expect(out.joined).toBe(0)
    expect(out.k).toBe(5)
  })

  it('joins a piece that has no mutual link to its kind, unless links are required', () => {
    const lib = library({
      pieces: [2, 1, 1, 1],
      size: 8,
      knn: 5,
      bridges: 0,
      linked: () => undefined,
      centre: distinct,
      offset: 0.3,
    })
    const join = (minShare?: number) =>
      joinLookalikes(lib.labels, lib.m, lib.features, DIM, lib.neighbours, 5, { minShare })
    expect(join().k).toBe(4)
    expect(join(0.05).k).toBe(5)
  })

  it('leaves a library of two groups as it is: one pair has nothing to be typical against', () => {
    const lib = library({
      pieces: [2],
      size: 8,
      knn: 5,
      bridges: 2,
      linked: (p) => (p === 0 ? 1 : undefined),
      centre: distinct,
      offset: 0.3,
    })
    expect(joinLookalikes(lib.labels, lib.m, lib.features, DIM, lib.neighbours, 5).k).toBe(2)
  })

  it('numbers groups largest first', () => {
    const lib = library({
      pieces: [1, 2, 1],
      size: 8,
      knn: 5,
      bridges: 2,
      linked: (p) => (p === 1 ? 2 : undefined),
      centre: distinct,
      offset: 0.3,
    })
    const out = joinLookalikes(lib.labels, lib.m, lib.features, DIM, lib.neighbours, 5)
    expect(Array.from(out.groupOf)).toEqual([1, 0, 0, 2])
  })
})
