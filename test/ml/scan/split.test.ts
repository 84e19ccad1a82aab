import { describe, expect, it } from 'vitest'
import { splitParts, withPartColumns } from '../../../src/core/ml/scan/split'

/**
 * Photos in cliques: every photo's neighbours are the other photos of its clique (mutual), then
 * photos of the next clique (not pointing back, so no mutual link), up to `knn`.
 */
function cliques(sizes: number[], knn: number) {
  const starts = sizes.map((_, c) => sizes.slice(0, c).reduce((a, s) => a + s, 0))
  const nb: number[] = []
  sizes.forEach((size, c) => {
    for (let i = 0; i < size; i++) {
      const own = Array.from({ length: size }, (_, j) => starts[c]! + j).filter(
        (j) => j !== starts[c]! + i,
      )
      const next = (c + 1) % sizes.length
      const other = Array.from({ length: sizes[next]! }, (_, j) => starts[next]! + j)
      nb.push(...[...own, ...other].slice(0, knn))
    }
  })
  return Int32Array.from(nb)
}

describe('splitting over-clusters that hold two kinds', () => {
  it('splits off every mutual-kNN part of 3 or more photos but the largest', () => {
    // Cliques of 6, 4, 2 and 5 photos. Output 0 holds the first three, output 1 the last.
    const knn = 5
    const neighbours = cliques([6, 4, 2, 5], knn)
    const labels = Int32Array.from([...new Array(12).fill(0), ...new Array(5).fill(1)])
    const parts = splitParts(labels, 2, neighbours, knn)
    // The 4-photo clique becomes a part; the 2-photo one is too small and stays.
    expect(parts).toEqual([[6, 9, 8, 7]])
    // One kind per output: nothing to split.
    const byKind = Int32Array.from([6, 4, 2, 5].flatMap((size, c) => new Array(size).fill(c)))
    expect(splitParts(byKind, 4, neighbours, knn)).toEqual([])
  })

  it('gives each part a head column at the mean of its photos, keeping the others', () => {
    const dim = 2
    const weights = Float32Array.of(1, 2, 3, 4) // dim × 2 outputs, row-major
    const centred = Float32Array.of(1, 0, 0, 1, 0.6, 0.8)
    const out = withPartColumns(weights, dim, 2, [[1, 2]], centred)
    expect([...out]).toEqual([1, 2, 0.6, 3, 4, 1.8].map((v) => Math.fround(v)))
  })
})
