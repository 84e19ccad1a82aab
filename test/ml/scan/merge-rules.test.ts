import { describe, expect, it } from 'vitest'
import { mergeClusters } from '../../../src/core/ml/scan'
import { LOOSE_FLOOR } from '../../../src/core/ml/scan/merge'

/**
 * A kNN table for classes laid out as rings: each photo's neighbours are the `knn` photos
 * nearest to it on its own ring (mutual, as in a class with a smooth look), cut into pieces
 * of `piece` photos (the over-clusters).
 */
function rings(sizes: number[], piece: number, knn: number) {
  const labels: number[] = []
  const nb: number[] = []
  const classOf: number[] = []
  let start = 0
  let cluster = 0
  sizes.forEach((size, c) => {
    for (let i = 0; i < size; i++) {
      labels.push(cluster + Math.floor(i / piece))
      classOf.push(c)
      for (let t = 1; t <= knn / 2; t++)
        nb.push(start + ((i + t) % size), start + ((i - t + size) % size))
    }
    cluster += Math.ceil(size / piece)
    start += size
  })
  return {
    labels: Int32Array.from(labels),
    neighbours: Int32Array.from(nb),
    outputs: cluster,
    classOf,
  }
}

/**
 * Classes of `counts[c]` pieces of `size` photos. A photo's neighbours: the `own` nearest in its
 * piece (a ring), the photo at the same place in every other piece of its class (mutual), then
 * farther photos of its piece up to the table's width.
 */
function pieces(counts: number[], size: number, own: number) {
  const knn = own + Math.max(...counts) - 1
  const labels: number[] = []
  const nb: number[] = []
  const classOf: number[] = []
  let start = 0
  let cluster = 0
  counts.forEach((count, c) => {
    for (let p = 0; p < count; p++)
      for (let j = 0; j < size; j++) {
        labels.push(cluster + p)
        classOf.push(c)
        const at = (q: number, k: number) => start + q * size + ((k + size) % size)
        const row: number[] = []
        for (let t = 1; t <= own / 2; t++) row.push(at(p, j + t), at(p, j - t))
        for (let q = 0; q < count; q++) if (q !== p) row.push(at(q, j))
        for (let t = own / 2 + 1; row.length < knn; t++) row.push(at(p, j + t))
        nb.push(...row)
      }
    cluster += count
    start += count * size
  })
  return {
    labels: Int32Array.from(labels),
    neighbours: Int32Array.from(nb),
    outputs: cluster,
    classOf,
    knn,
  }
}

/** The number of groups each class is spread over, and the classes each group holds. */
function spread(r: { labels: Int32Array; classOf: number[] }, groupOf: Int32Array) {
  const groupsOfClass = new Map<number, Set<number>>()
  const classesOfGroup = new Map<number, Set<number>>()
  r.labels.forEach((l, i) => {
    const g = groupOf[l]!
    const c = r.classOf[i]!
    groupsOfClass.set(c, (groupsOfClass.get(c) ?? new Set()).add(g))
    classesOfGroup.set(g, (classesOfGroup.get(g) ?? new Set()).add(c))
  })
  return {
    maxGroupsPerClass: Math.max(...[...groupsOfClass.values()].map((s) => s.size)),
    maxClassesPerGroup: Math.max(...[...classesOfGroup.values()].map((s) => s.size)),
  }
}

describe('merging over-clusters', () => {
  it('at a given K joins a piece its neighbours all point into before two kinds with one link', () => {
    // knn 4. Over-cluster 0: a ring of 10 photos. 1: 2 photos whose other 3 neighbours are in
    // over-cluster 0, which does not point back. 2 and 3: rings of 8 of two other kinds, with
    // one mutual pair between them (a share of 2 / (4 · 8), above .05 and under .2).
    const ring = (start: number, size: number, i: number) =>
      [1, -1, 2, -2].map((d) => start + ((i + d + size) % size))
    const rows: number[][] = []
    for (let i = 0; i < 10; i++) rows.push(ring(0, 10, i))
    rows.push([11, 0, 1, 2], [10, 3, 4, 5])
    for (let i = 0; i < 8; i++) rows.push(ring(12, 8, i))
    for (let i = 0; i < 8; i++) rows.push(ring(20, 8, i))
    rows[12]![3] = 20
    rows[20]![3] = 12
    const labels = Int32Array.from(rows.map((_, i) => (i < 10 ? 0 : i < 12 ? 1 : i < 20 ? 2 : 3)))
    const neighbours = Int32Array.from(rows.flat())
    const merged = mergeClusters(labels, 4, neighbours, 4, 3)
    expect(merged.groupOf[1]).toBe(merged.groupOf[0])
    expect(merged.groupOf[2]).not.toBe(merged.groupOf[3])
    // Forced only below .05 (the rule before), the stray mutual pair joined the two kinds.
    const before = mergeClusters(labels, 4, neighbours, 4, 3, { forcedBelow: 0.05 })
    expect(before.groupOf[2]).toBe(before.groupOf[3])
    expect(before.groupOf[1]).not.toBe(before.groupOf[0])
  })

  it('at a given K keeps a dominant class whole and small distinct classes apart', () => {
    // 400 photos of one kind in 8 pieces next to three kinds of 12 photos each.
    const r = rings([400, 12, 12, 12], 50, 10)
    const merged = mergeClusters(r.labels, r.outputs, r.neighbours, 10, 4)
    expect(merged.linkage).toBe('share')
    expect(merged.cohesion.share).toBeGreaterThanOrEqual(0.7)
    expect(spread(r, merged.groupOf)).toEqual({ maxGroupsPerClass: 1, maxClassesPerGroup: 1 })
    // Judged on modularity instead, a dominant group's low ceiling made the fallback join the
    // small kinds and cut the big one.
    const byModularity = mergeClusters(r.labels, r.outputs, r.neighbours, 10, 4, {
      compare: 'modularity',
    })
    expect(byModularity.linkage).toBe('modularity')
    expect(spread(r, byModularity.groupOf).maxClassesPerGroup).toBeGreaterThan(1)
  })

  it("'auto' keeps merging pieces whose links mostly leave them", () => {
    // One kind of 240 photos cut into 12 pieces next to three kinds of 20. A piece keeps about
    // a third of its links inside and shares under 0.2 with each other piece, as pieces of a
    // large class do; the small kinds link only to themselves.
    const r = pieces([12, 1, 1, 1], 20, 6)
    const merged = mergeClusters(r.labels, r.outputs, r.neighbours, r.knn, 'auto')
    expect(merged.k).toBe(4)
    expect(merged.linkage).toBe('share')
    expect(spread(r, merged.groupOf)).toEqual({ maxGroupsPerClass: 1, maxClassesPerGroup: 1 })
    // On the share threshold alone every piece stays a group of its own.
    const thresholdOnly = mergeClusters(r.labels, r.outputs, r.neighbours, r.knn, 'auto', {
      cohesion: 0,
    })
    expect(thresholdOnly.k).toBe(15)
  })

  it("'auto' does not take a class of 4 photos for a loose piece", () => {
    // 8 kinds of 4 photos, 5 neighbours each: 3 classmates, one mutual neighbour in another
    // kind (a different kind for each photo), one that does not point back. A kind can keep
    // at most 3 of 5 links inside; it keeps 75% of its mutual links, under the .8 bar.
    const knn = 5
    const labels = Int32Array.from({ length: 32 }, (_, i) => Math.floor(i / 4))
    const at = (c: number, i: number) => c * 4 + (i % 4)
    const nb = Int32Array.from(
      [...labels].flatMap((c, p) => {
        const i = p % 4
        const mates = [1, 2, 3].map((d) => at(c, i + d))
        return [...mates, at(c ^ (i + 1), i), at(c ^ 6, i + 1)]
      }),
    )
    const merged = mergeClusters(labels, 8, nb, knn, 'auto', { rule: 'share' })
    expect(merged.k).toBe(8)
    // Held to the bar of a large cluster, the kinds merge with one another (with no floor on
    // a loose cluster's partner, which their thin links also stay under).
    const sizeBlind = mergeClusters(labels, 8, nb, knn, 'auto', {
      rule: 'share',
      sizeAware: 'off',
      looseFloor: 0,
    })
    expect(sizeBlind.k).toBeLessThan(8)
  })

  it("'auto' keeps a loose kind apart from kinds it links to only thinly", () => {
    // Kind 0 and 8 other kinds of 20 photos, 10 neighbours each, classmates on a ring. A photo
    // of kind 0 has 6 classmates and 4 mutual neighbours, one in each of 4 other kinds (a
    // different 4 for each photo). It keeps 60% of its links inside: loose. But no kind gets
    // more than a sliver of its links, so it is no piece of any of them.
    const knn = 10
    const size = 20
    const at = (c: number, j: number) => c * size + ((j + size) % size)
    const partners = (j: number) => [0, 1, 2, 3].map((q) => 1 + ((j * 4 + q) % 8))
    const ring = (c: number, j: number, t: number) => [at(c, j + t), at(c, j - t)]
    const nb: number[] = []
    for (let c = 0; c < 9; c++)
      for (let j = 0; j < size; j++) {
        if (c === 0) {
          nb.push(...[1, 2, 3].flatMap((t) => ring(0, j, t)), ...partners(j).map((x) => at(x, j)))
        } else {
          const row = [1, 2, 3, 4].flatMap((t) => ring(c, j, t))
          row.push(at(c, j + 5), partners(j).includes(c) ? at(0, j) : at(c, j - 5))
          nb.push(...row)
        }
      }
    const labels = Int32Array.from({ length: 9 * size }, (_, i) => Math.floor(i / size))
    const merged = mergeClusters(labels, 9, Int32Array.from(nb), knn, 'auto', { rule: 'share' })
    expect(merged.k).toBe(9)
    // Without the floor, being loose was enough: kind 0 joined one of the others.
    const floorless = mergeClusters(labels, 9, Int32Array.from(nb), knn, 'auto', {
      rule: 'share',
      looseFloor: 0,
    })
    expect(floorless.k).toBe(8)
    expect(floorless.trace[0]!.score).toBeLessThanOrEqual(LOOSE_FLOOR)
  })

  it("'auto' does not merge two kinds whose share only equals the threshold", () => {
    // Two kinds of 6 photos, 5 neighbours each. Photos 0–2 of each kind have 4 classmates and
    // their counterpart in the other kind (mutual); photos 3–5 have all 5 classmates. The kinds
    // share 6 of 30 neighbour slots: exactly 0.2. With few neighbours a share moves in steps
    // of 1/(k·size), so ties are common in small libraries; a tie is not agreement.
    const knn = 5
    const labels = Int32Array.from({ length: 12 }, (_, i) => Math.floor(i / 6))
    const nb = Int32Array.from(
      [...labels].flatMap((c, p) => {
        const i = p % 6
        const mates = [1, 2, 3, 4, 5].map((d) => c * 6 + ((i + d) % 6))
        return i < 3 ? [...mates.filter((j) => j !== c * 6 + i + 3), (1 - c) * 6 + i] : mates
      }),
    )
    const merged = mergeClusters(labels, 2, nb, knn, 'auto', { rule: 'share' })
    expect(merged.k).toBe(2)
    // Just above the tie, they are one group.
    const below = mergeClusters(labels, 2, nb, knn, 'auto', { rule: 'share', threshold: 0.19 })
    expect(below.k).toBe(1)
    expect(below.trace).toEqual([{ groups: 2, score: 0.2 }])
  })

  it("'auto' leaves self-contained groups apart however small the share between them", () => {
    // Three kinds of 30 photos, each one piece: nothing links them, nothing is loose.
    const r = rings([30, 30, 30], 30, 6)
    const merged = mergeClusters(r.labels, r.outputs, r.neighbours, 6, 'auto')
    expect(merged.k).toBe(3)
    expect(merged.trace).toEqual([])
  })
})
