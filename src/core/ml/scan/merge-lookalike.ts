// 'auto' after share linkage: groups that are pieces of one kind but share few neighbours.
import { Clusters, linkGraph, numberGroups } from './merge-graph'

/**
 * A pair of groups joins when its look-alike score reaches this. The score compares how alike
 * the two groups' photos are (mean cosine between them, over the geometric mean of the mean
 * cosine within each) with the library's typical pair (see LookalikeOptions.typical): 0 is a
 * typical pair, 1 photos as alike as photos within a group. On the bench:quality
 * over-clusters that share linkage left apart (48 caltech20 libraries), pairs of pieces of one
 * class scored −.26–.96 (median .70) and 5,072 pairs of distinct classes at most .74; on
 * CIFAR-10, where every pair looks alike, a bar of .65 or lower joined distinct classes
 * (libraries of a few folders: fix 35.0 → 36.6 per 100). See research/RESULTS.md.
 */
export const LOOKALIKE_SCORE = 0.7

/**
 * Mutual links a pair must share (of the smaller group's neighbour slots) to be compared: none.
 * A piece of 2–4 photos of a kind often has no mutual link at all (its neighbours point into
 * the kind's main group, whose photos point elsewhere). Requiring 5% left caltech20 'auto' fix
 * at 2.1 per 100 instead of 1.9; CIFAR-10 was the same either way.
 */
export const LOOKALIKE_MIN_SHARE = 0

/**
 * Where the typical pair sits among the pairs of photos in different groups, by weight. When one
 * kind holds most of a library and is cut into pieces (40 photos of one kind in 4–6 groups beside
 * 10 of another), most such pairs are its own pieces, and the median pair is one of them. Replayed
 * on the 'auto' over-clusters, .5 → .4 took first imports from 3.37 to 2.86 fix per 100 (draws
 * of another seed 4.66 → 4.19), folders 1.23 → .82 and libraries of later seeds 2.29 → 2.19, with
 * CIFAR-10 unchanged; at .35 CIFAR-10 distinct classes joined (42.60 → 43.12). See
 * research/RESULTS.md.
 */
export const LOOKALIKE_TYPICAL_QUANTILE = 0.4

/**
 * After the joins at LOOKALIKE_SCORE, a group of at most `size` photos joins the group it looks
 * most alike at this lower bar. Its mean cosine within comes from 0–3 pairs (1 for a single
 * photo), often a near-duplicate pair, so the score of a piece of 2–3 photos is low against its
 * own kind. Left apart it costs a merge; joined wrongly, at most 3 moves. Replayed on the 'auto'
 * over-clusters (SCAN stage, fix per 100): first imports 2.86 → 2.63 (draws of another seed
 * 4.19 → 3.60), later seeds 2.19 → 2.10, the sweep 1.67 → 1.64; CIFAR-10 the same or lower.
 * Bars from .40 to .60 all gained; groups of up to 4 photos made one library worse (14 → 20).
 */
export const LOOKALIKE_TINY = { size: 3, score: 0.5 }

export interface LookalikeOptions {
  score?: number
  minShare?: number
  /**
   * The typical pair: taken over pairs of photos in different groups (default), or over
   * pairs of groups. A kind cut into many small pieces makes most pairs of groups
   * pieces of itself, so the median pair of groups is then no typical pair of kinds; most
   * pairs of photos still are (a library of 2–4 folders: fix 2.2 → 1.2 per 100).
   */
  typical?: 'groups' | 'photos'
  /** Where the typical pair sits among the pairs, by weight (LOOKALIKE_TYPICAL_QUANTILE). */
  quantile?: number
  /** Groups of a few photos and the lower bar they join at (LOOKALIKE_TINY); false: none. */
  tiny?: { size: number; score: number } | false
}

/**
 * Joins groups whose photos look alike beyond what the library's typical pair does, best pair
 * first. With few neighbours (a small library) the
 * share between two pieces of a kind moves in coarse steps and can fall short of the merge
 * threshold; in a large library a kind cut into many pieces leaves pieces with few links to
 * any one other. The typical pair calibrates the score to the library's own features: where
 * every kind looks alike (impure neighbourhoods) nothing stands out and nothing joins. Groups
 * of a few photos then join at a lower bar (LOOKALIKE_TINY).
 * Returns, for each group, the group it now belongs to (0..k-1, largest first).
 */
export function joinLookalikes(
  photos: GroupedPhotos,
  options: LookalikeOptions = {},
): { groupOf: Int32Array; k: number; joined: number } {
  const minShare = options.minShare ?? LOOKALIKE_MIN_SHARE
  const tiny = options.tiny ?? LOOKALIKE_TINY
  const state = lookalikeState(photos, options.typical, options.quantile)
  const { clusters, share } = state
  let joined = joinBest(state, options.score ?? LOOKALIKE_SCORE, (a, b) => share(a, b) >= minShare)
  if (tiny) {
    const few = (a: number, b: number) =>
      Math.min(clusters.size[a]!, clusters.size[b]!) <= tiny.size && share(a, b) >= minShare
    joined += joinBest(state, tiny.score, few)
  }
  return { ...numberGroups(clusters.parent, clusters.size, photos.groups), joined }
}

/** Joins the best-scoring pair `eligible` allows while one reaches `bar`; returns the joins. */
function joinBest(
  { clusters, scores }: ReturnType<typeof lookalikeState>,
  bar: number,
  eligible: (a: number, b: number) => boolean,
): number {
  const { active } = clusters
  let joined = 0
  for (;;) {
    let best = { x: -1, y: -1, score: bar }
    for (let x = 0; x < active.length; x++)
      for (let y = x + 1; y < active.length; y++) {
        const [a, b] = [active[x]!, active[y]!]
        if (!eligible(a, b)) continue
        const score = scores.of(a, b)
        if (score >= best.score) best = { x, y, score }
      }
    if (best.x < 0) return joined
    scores.join(active[best.x]!, active[best.y]!)
    clusters.join(best.x, best.y)
    joined++
  }
}

/**
 * Look-alike scores of every pair of groups before any join, with the share of mutual links
 * (of the smaller group's neighbour slots) that decides whether the pair is compared.
 */
export function lookalikePairs(
  photos: GroupedPhotos,
): { a: number; b: number; score: number; share: number }[] {
  const { clusters, scores, share } = lookalikeState(photos)
  const { active } = clusters
  return active.flatMap((a, x) =>
    active.slice(x + 1).map((b) => ({ a, b, score: scores.of(a, b), share: share(a, b) })),
  )
}

/**
 * The look-alike score of any two of the groups as they stand, with no joins: the first pass's
 * score (the library's typical pair included), for telling a person which groups may be one kind.
 */
export function lookalikeScores(
  group: Int32Array,
  groups: number,
  features: Float32Array,
  dim: number,
): (a: number, b: number) => number {
  const size = new Float64Array(groups)
  for (const g of group) size[g]!++
  const active = Array.from({ length: groups }, (_, c) => c).filter((c) => size[c]! > 0)
  const sizes = { size, active }
  const quantile = LOOKALIKE_TYPICAL_QUANTILE
  const scores = new LookalikeScores(group, groups, features, dim, sizes, 'photos', quantile)
  return (a, b) => scores.of(a, b)
}

/** Photos' groups (0..groups-1), their feature rows and kNN table: what the join reads. */
export interface GroupedPhotos {
  group: Int32Array
  groups: number
  features: Float32Array
  dim: number
  neighbours: Int32Array
  knn: number
}

/** The groups' mutual-link graph, their look-alike scores, and a pair's link share. */
function lookalikeState(
  photos: GroupedPhotos,
  typical: 'groups' | 'photos' = 'photos',
  quantile = LOOKALIKE_TYPICAL_QUANTILE,
) {
  const { group, groups, features, dim, neighbours, knn } = photos
  const clusters = new Clusters(groups, linkGraph(group, groups, neighbours, knn, true))
  const scores = new LookalikeScores(group, groups, features, dim, clusters, typical, quantile)
  const { links, size } = clusters
  const share = (a: number, b: number) =>
    links[a * groups + b]! / (knn * Math.min(size[a]!, size[b]!))
  return { clusters, scores, share }
}

/** Groups' sizes and those in play, read live: a Clusters that the caller joins, or fixed groups. */
type GroupSizes = Pick<Clusters, 'size' | 'active'>

/** Scores between groups as they join; `clusters` holds their sizes and is joined by the caller. */
class LookalikeScores {
  private readonly gram: Float64Array
  private readonly typical: number

  constructor(
    group: Int32Array,
    private readonly m: number,
    features: Float32Array,
    dim: number,
    private readonly clusters: GroupSizes,
    pairsOf: 'groups' | 'photos',
    quantile: number,
  ) {
    this.gram = groupGram(group, m, features, dim)
    const { active, size } = clusters
    const pairs = active.flatMap((a, x) =>
      active.slice(x + 1).map((b) => ({
        value: this.alike(a, b),
        weight: pairsOf === 'photos' ? size[a]! * size[b]! : 1,
      })),
    )
    this.typical = weightedQuantile(pairs, quantile)
  }

  /** 0 for the library's typical pair, 1 for photos as alike as photos within a group. */
  of(a: number, b: number): number {
    return (this.alike(a, b) - this.typical) / Math.max(1e-9, 1 - this.typical)
  }

  /** Group b's photos join group a (call before `clusters.join`). */
  join(a: number, b: number): void {
    const { gram, m } = this
    const self = gram[a * m + a]! + gram[b * m + b]! + 2 * gram[a * m + b]!
    for (let c = 0; c < m; c++) {
      gram[a * m + c]! += gram[b * m + c]!
      gram[c * m + a] = gram[a * m + c]!
    }
    gram[a * m + a] = self
  }

  /** Mean cosine between the groups over the geometric mean of the mean cosine within each. */
  private alike(a: number, b: number): number {
    const size = this.clusters.size
    return (
      this.gram[a * this.m + b]! /
      (size[a]! * size[b]!) /
      Math.sqrt(Math.max(1e-9, this.within(a) * this.within(b)))
    )
  }

  /** Mean cosine between distinct photos of a group (1 for a single photo). */
  private within(c: number): number {
    const s = this.clusters.size[c]!
    return s > 1 ? (this.gram[c * this.m + c]! - s) / (s * (s - 1)) : 1
  }
}

/** Gram matrix of each group's sum of unit-length feature rows. */
function groupGram(
  group: Int32Array,
  groups: number,
  features: Float32Array,
  dim: number,
): Float64Array {
  const sums = new Float64Array(groups * dim)
  for (let i = 0; i < group.length; i++) {
    const row = features.subarray(i * dim, (i + 1) * dim)
    let norm = 0
    for (let d = 0; d < dim; d++) norm += row[d]! * row[d]!
    const inv = 1 / Math.sqrt(norm || 1)
    const at = group[i]! * dim
    for (let d = 0; d < dim; d++) sums[at + d]! += row[d]! * inv
  }
  const gram = new Float64Array(groups * groups)
  for (let a = 0; a < groups; a++)
    for (let b = a; b < groups; b++) {
      let dot = 0
      for (let d = 0; d < dim; d++) dot += sums[a * dim + d]! * sums[b * dim + d]!
      gram[a * groups + b] = gram[b * groups + a] = dot
    }
  return gram
}

/** The value at `q` of the total weight (q = .5: the upper median of equal weights); 0 for none. */
function weightedQuantile(values: { value: number; weight: number }[], q: number): number {
  const sorted = [...values].sort((p, r) => p.value - r.value)
  const total = sorted.reduce((sum, v) => sum + v.weight, 0)
  let below = 0
  for (const v of sorted) {
    if (below + v.weight > total * q) return v.value
    below += v.weight
  }
  return sorted.at(-1)?.value ?? 0
}
