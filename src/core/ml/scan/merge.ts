import { agglomerateCentroids } from './merge-centroid'

/** One agglomeration step: `groups` existed before merging the pair with this `score`. */
export interface MergeStep {
  groups: number
  score: number
}

export type Linkage = 'share' | 'modularity'

export interface MergeOptions {
  /** Score below which 'auto' stops merging (share linkage). */
  threshold?: number
  /** Count only mutual kNN pairs as links (i among j's neighbours and j among i's). */
  mutual?: boolean
  /** Share of the smaller cluster's links ('min'), or the mean of both clusters' shares. */
  norm?: 'min' | 'both'
  /** 'best': share unless it looks chained (see `compare`); else one rule. */
  rule?: 'best' | 'share' | 'modularity' | 'centroid'
  /**
   * How 'best' tells chaining: 'cohesion' (default at a given K) or 'modularity' (default for
   * 'auto'), each with its own tolerance below.
   */
  compare?: 'cohesion' | 'modularity'
  /** Share linkage is kept unless its modularity is below tolerance × the greedy one's. */
  tolerance?: number
  /** 'auto': a cluster keeping less than this share of its links inside keeps merging. */
  cohesion?: number
  /** Rows (n*dim) for the centroid rule. */
  features?: Float32Array
  dim?: number
}

export interface MergeResult {
  /** For each over-cluster, its group 0..k-1 (groups ordered largest first); -1 if empty. */
  groupOf: Int32Array
  k: number
  /** Which rule produced the groups, and each candidate's kNN-graph modularity and cohesion. */
  linkage: Linkage
  modularity: Record<Linkage, number>
  cohesion: Record<Linkage, number>
  trace: MergeStep[]
}

/**
 * 'auto': share linkage is kept unless its modularity falls below this share of greedy
 * modularity's (greedy modularity joins small distinct classes, so only a large drop counts).
 */
export const MODULARITY_TOLERANCE = 0.7

/**
 * At a given K, share linkage is kept when the mean cohesion of its groups other than the
 * largest is at least this, or at least greedy modularity's. Chained groups are fragments
 * whose links run into one giant group (CIFAR-10 libraries: .39–.65); a dominant class leaves
 * self-contained small groups (Caltech libraries: .78–1.00). See research/RESULTS.md.
 */
export const COHESION_FLOOR = 0.7

/**
 * 'auto': a cluster that keeps less than this share of its mutual links inside is a piece of
 * something larger and keeps merging with its best partner even below `threshold`. On the
 * bench:quality sweep, 95 of 132 merges of pieces of one class that the threshold refused had
 * a cluster under .7, while 122 of 125 merges of two classes had both above .8.
 */
export const AUTO_COHESION = 0.8

/**
 * Merges SCAN over-clusters into groups on kNN agreement. Links are mutual kNN pairs by default:
 * a small class's outer neighbours land in a big class whose photos do not point back, so the
 * small class is not absorbed. Two candidates:
 * - share linkage: links(a,b) / (knn · min(|a|,|b|)), the share of the smaller cluster's
 *   neighbour links that land in the other. With pure neighbourhoods (caltech20) it rebuilds
 *   even very unequal classes (ACC .98). With impure ones (CIFAR-10, 48% neighbour purity) it
 *   chains most photos into one giant group;
 * - greedy modularity (Clauset–Newman–Moore), which resists chaining but under-merges big
 *   classes and joins small distinct ones (its resolution limit).
 * `target` groups: share linkage unless its groups look chained (COHESION_FLOOR). 'auto': share
 * linkage stops when no pair scores `threshold` and every cluster is cohesive (AUTO_COHESION);
 * modularity stops when no merge raises it; share is kept unless MODULARITY_TOLERANCE says
 * it chained. Mean cohesion favours fewer groups, so it only compares candidates of one size.
 */
export function mergeClusters(
  labels: Int32Array,
  outputs: number,
  neighbours: Int32Array,
  knn: number,
  target: number | 'auto',
  options: MergeOptions = {},
): MergeResult {
  const threshold = options.threshold ?? 0.2
  const n = labels.length
  if (neighbours.length !== n * knn) {
    throw new Error(
      `mergeClusters: expected ${n * knn} neighbour indices, got ${neighbours.length}`,
    )
  }
  const graph = linkGraph(labels, outputs, neighbours, knn, options.mutual ?? true)
  if (options.rule === 'centroid') {
    const c = agglomerateCentroids(
      labels,
      outputs,
      options.features!,
      options.dim!,
      target,
      threshold,
    )
    return {
      ...compact(c.parent, graph.size, outputs),
      linkage: 'share',
      modularity: { share: modularity(graph, c.parent), modularity: 0 },
      cohesion: { share: restCohesion(graph, c.parent), modularity: 0 },
      trace: c.trace,
    }
  }
  const looseBelow = target === 'auto' ? (options.cohesion ?? AUTO_COHESION) : 0
  const share = agglomerate(
    graph,
    'share',
    target,
    threshold,
    knn,
    options.norm ?? 'min',
    looseBelow,
  )
  const modular = agglomerate(graph, 'modularity', target, 0, knn, 'min', 0)
  const q = {
    share: modularity(graph, share.parent),
    modularity: modularity(graph, modular.parent),
  }
  const c = {
    share: restCohesion(graph, share.parent),
    modularity: restCohesion(graph, modular.parent),
  }
  const compare = options.compare ?? (target === 'auto' ? 'modularity' : 'cohesion')
  const chained =
    compare === 'cohesion'
      ? c.share < COHESION_FLOOR && c.share < (options.tolerance ?? 1) * c.modularity
      : q.share < (options.tolerance ?? MODULARITY_TOLERANCE) * q.modularity
  const useShare = options.rule === 'share' || (options.rule !== 'modularity' && !chained)
  const chosen = useShare ? share : modular
  return {
    ...compact(chosen.parent, graph.size, outputs),
    linkage: useShare ? 'share' : 'modularity',
    modularity: q,
    cohesion: c,
    trace: chosen.trace,
  }
}

interface LinkGraph {
  m: number
  /** Symmetric m×m counts of kNN edge ends between clusters (diagonal: within). */
  links: Float64Array
  size: Float64Array
}

function linkGraph(
  labels: Int32Array,
  m: number,
  neighbours: Int32Array,
  knn: number,
  mutual: boolean,
): LinkGraph {
  const size = new Float64Array(m)
  const links = new Float64Array(m * m)
  const isNeighbour = (i: number, j: number) => {
    for (let t = 0; t < knn; t++) if (neighbours[i * knn + t] === j) return true
    return false
  }
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i]!
    size[a]!++
    for (let j = 0; j < knn; j++) {
      const other = neighbours[i * knn + j]!
      if (mutual && !isNeighbour(other, i)) continue
      const b = labels[other]!
      links[a * m + b]!++
      links[b * m + a]!++
    }
  }
  return { m, links, size }
}

function agglomerate(
  g: LinkGraph,
  linkage: Linkage,
  target: number | 'auto',
  threshold: number,
  knn: number,
  norm: 'min' | 'both',
  looseBelow: number,
): { parent: Int32Array; trace: MergeStep[] } {
  const { m } = g
  const links = g.links.slice()
  const size = g.size.slice()
  const degree = new Float64Array(m)
  let total = 0
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) degree[a]! += links[a * m + b]!
    total += degree[a]!
  }
  const parent = Int32Array.from({ length: m }, (_, i) => i)
  const active: number[] = []
  for (let c = 0; c < m; c++) if (size[c]! > 0) active.push(c)
  const trace: MergeStep[] = []
  const stopAt = target === 'auto' ? 1 : Math.max(1, target)
  // Share of a cluster's link ends that stay inside it (1 when it has no links at all).
  const inside = (c: number) => (degree[c]! > 0 ? links[c * m + c]! / degree[c]! : 1)
  while (active.length > stopAt) {
    let best = { x: -1, y: -1, score: -Infinity }
    for (let x = 0; x < active.length; x++) {
      for (let y = x + 1; y < active.length; y++) {
        const a = active[x]!
        const b = active[y]!
        const score =
          linkage === 'share'
            ? norm === 'min'
              ? links[a * m + b]! / (knn * Math.min(size[a]!, size[b]!))
              : (links[a * m + b]! * (1 / size[a]! + 1 / size[b]!)) / (2 * knn)
            : (2 * links[a * m + b]!) / total - (2 * degree[a]! * degree[b]!) / (total * total)
        if (score <= best.score) continue
        const loose = Math.min(inside(a), inside(b)) < looseBelow
        if (target === 'auto' && score < threshold && !loose) continue
        best = { x, y, score }
      }
    }
    if (best.x < 0) break
    const a = active[best.x]!
    const b = active[best.y]!
    trace.push({ groups: active.length, score: best.score })
    const within = links[a * m + a]! + links[b * m + b]! + 2 * links[a * m + b]!
    for (let c = 0; c < m; c++) {
      links[a * m + c]! += links[b * m + c]!
      links[c * m + a]! += links[c * m + b]!
    }
    links[a * m + a] = within
    degree[a]! += degree[b]!
    size[a]! += size[b]!
    for (let c = 0; c < m; c++) links[b * m + c] = links[c * m + b] = 0
    degree[b] = size[b] = 0
    parent[b] = a
    active.splice(best.y, 1)
  }
  return { parent, trace }
}

/** Newman modularity of the kNN graph for the partition given by `parent` links. */
function modularity(g: LinkGraph, parent: Int32Array): number {
  const { within, degree, total } = groupLinks(g, parent)
  let q = 0
  for (let c = 0; c < g.m; c++) q += within[c]! / total - (degree[c]! / total) ** 2
  return q
}

/**
 * Mean over groups, the largest left out, of the share of a group's link ends that stay inside
 * it. Chaining (impure neighbourhoods) leaves one giant group and fragments that link into it;
 * a dominant class leaves one giant group and self-contained small ones.
 */
function restCohesion(g: LinkGraph, parent: Int32Array): number {
  const { within, degree } = groupLinks(g, parent)
  const groups = [...degree.keys()].filter((c) => degree[c]! > 0)
  groups.sort((a, b) => degree[b]! - degree[a]!)
  const rest = groups.slice(1)
  if (rest.length === 0) return 1
  return rest.reduce((sum, c) => sum + within[c]! / degree[c]!, 0) / rest.length
}

function groupLinks(
  g: LinkGraph,
  parent: Int32Array,
): { within: Float64Array; degree: Float64Array; total: number } {
  const { m, links } = g
  const root = rootOf(parent)
  const within = new Float64Array(m)
  const degree = new Float64Array(m)
  let total = 0
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const v = links[a * m + b]!
      total += v
      degree[root(a)]! += v
      if (root(a) === root(b)) within[root(a)]! += v
    }
  }
  return { within, degree, total }
}

function rootOf(parent: Int32Array): (c: number) => number {
  return (c) => {
    while (parent[c] !== c) c = parent[c]!
    return c
  }
}

function compact(
  parent: Int32Array,
  size: Float64Array,
  outputs: number,
): { groupOf: Int32Array; k: number } {
  const root = rootOf(parent)
  const total = new Float64Array(outputs)
  for (let c = 0; c < outputs; c++) total[root(c)]! += size[c]!
  const roots = [...new Set(Array.from({ length: outputs }, (_, c) => root(c)))]
    .filter((r) => total[r]! > 0)
    .sort((a, b) => total[b]! - total[a]! || a - b)
  const groupIndex = new Map(roots.map((r, i) => [r, i]))
  // Outputs that received no photo are mapped later by the caller (see attachEmptyOutputs).
  const groupOf = Int32Array.from({ length: outputs }, (_, c) => groupIndex.get(root(c)) ?? -1)
  return { groupOf, k: roots.length }
}

/**
 * Over-clusters that won no photo still carry probability mass: attach each to the group of
 * the photo that gives it the highest probability.
 */
export function attachEmptyOutputs(
  groupOf: Int32Array,
  probs: Float32Array,
  labels: Int32Array,
  outputs: number,
): void {
  const n = labels.length
  for (let c = 0; c < outputs; c++) {
    if (groupOf[c]! >= 0) continue
    let best = 0
    for (let i = 1; i < n; i++) if (probs[i * outputs + c]! > probs[best * outputs + c]!) best = i
    groupOf[c] = groupOf[labels[best]!]!
  }
}
