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
  /** 'best': share unless its modularity is too low (MODULARITY_TOLERANCE); else one rule. */
  rule?: 'best' | 'share' | 'modularity' | 'centroid'
  /** Share linkage is kept unless its modularity is below tolerance × the greedy one's. */
  tolerance?: number
  /** Rows (n*dim) for the centroid rule. */
  features?: Float32Array
  dim?: number
}

export interface MergeResult {
  /** For each over-cluster, its group 0..k-1 (groups ordered largest first); -1 if empty. */
  groupOf: Int32Array
  k: number
  /** Which rule produced the groups, and the kNN-graph modularity of each candidate. */
  linkage: Linkage
  modularity: Record<Linkage, number>
  trace: MergeStep[]
}

/**
 * Share-linkage merging is kept unless its modularity falls below this share of greedy
 * modularity's. Replayed on the bench:quality over-clusters: 0.95/0.9 let the fallback win on
 * imbalanced Caltech libraries, where greedy modularity (resolution limit) joins small distinct
 * classes and keeps pieces of the big one apart (known K ACC .90, worst .38); 0.7 keeps the
 * share linkage there (.96, worst .80) and still falls back when impure neighbourhoods chain.
 */
export const MODULARITY_TOLERANCE = 0.7

/**
 * Merges SCAN over-clusters into groups on kNN agreement. Links are mutual kNN pairs by default:
 * a small class's outer neighbours land in a big class whose photos do not point back, so the
 * small class is not absorbed. Two candidates:
 * - share linkage: links(a,b) / (knn · min(|a|,|b|)), the share of the smaller cluster's
 *   neighbour links that land in the other. With pure neighbourhoods (caltech20) pieces of one
 *   class score .25–.9 and different classes below .12, so it rebuilds even very unequal
 *   classes (ACC .98). With impure ones (CIFAR-10, 48% neighbour purity) it chains everything
 *   into one giant group, which shows as a large drop in modularity;
 * - greedy modularity (Clauset–Newman–Moore), which resists chaining but under-merges big
 *   classes.
 * Share linkage is used unless its modularity is below MODULARITY_TOLERANCE × the other's.
 * `target` groups, or 'auto': share linkage stops below `threshold`, modularity when no merge
 * raises it.
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
      trace: c.trace,
    }
  }
  const share = agglomerate(graph, 'share', target, threshold, knn, options.norm ?? 'min')
  const modular = agglomerate(graph, 'modularity', target, 0, knn, 'min')
  const q = {
    share: modularity(graph, share.parent),
    modularity: modularity(graph, modular.parent),
  }
  const useShare =
    options.rule === 'share' ||
    (options.rule !== 'modularity' &&
      q.share >= (options.tolerance ?? MODULARITY_TOLERANCE) * q.modularity)
  const chosen = useShare ? share : modular
  return {
    ...compact(chosen.parent, graph.size, outputs),
    linkage: useShare ? 'share' : 'modularity',
    modularity: q,
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
        if (score > best.score) best = { x, y, score }
      }
    }
    if (target === 'auto' && best.score < threshold) break
    const a = active[best.x]!
    const b = active[best.y]!
    trace.push({ groups: active.length, score: best.score })
    for (let c = 0; c < m; c++) {
      links[a * m + c]! += links[b * m + c]!
      links[c * m + a]! += links[c * m + b]!
    }
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
  let q = 0
  for (let c = 0; c < m; c++) q += within[c]! / total - (degree[c]! / total) ** 2
  return q
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
