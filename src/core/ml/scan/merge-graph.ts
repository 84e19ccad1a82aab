// The kNN graph between over-clusters that the merge works on, and the label-free measures of
// a grouping on it (modularity, cohesion).

export interface LinkGraph {
  m: number
  /** Symmetric m×m counts of kNN edge ends between clusters (diagonal: within). */
  links: Float64Array
  /** The same over every kNN pair, mutual or not. */
  anyLinks: Float64Array
  size: Float64Array
}

/** Whether j is among i's `knn` neighbours: with it, i→j is a mutual link when j→i is too. */
export function neighbourTest(
  neighbours: Int32Array,
  knn: number,
): (i: number, j: number) => boolean {
  return (i, j) => {
    for (let t = 0; t < knn; t++) if (neighbours[i * knn + t] === j) return true
    return false
  }
}

export function linkGraph(
  labels: Int32Array,
  m: number,
  neighbours: Int32Array,
  knn: number,
  mutual: boolean,
): LinkGraph {
  const size = new Float64Array(m)
  const links = new Float64Array(m * m)
  const anyLinks = new Float64Array(m * m)
  const isNeighbour = neighbourTest(neighbours, knn)
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i]!
    size[a]!++
    for (let j = 0; j < knn; j++) {
      const other = neighbours[i * knn + j]!
      const b = labels[other]!
      anyLinks[a * m + b]!++
      anyLinks[b * m + a]!++
      if (mutual && !isNeighbour(other, i)) continue
      links[a * m + b]!++
      links[b * m + a]!++
    }
  }
  return { m, links, anyLinks, size }
}

/** Cluster-level link counts as clusters merge (rows and columns of merged ones are zeroed). */
export class Clusters {
  readonly links: Float64Array
  readonly anyLinks: Float64Array
  readonly size: Float64Array
  readonly degree: Float64Array
  readonly parent: Int32Array
  readonly active: number[] = []
  total = 0

  constructor(
    readonly m: number,
    g: LinkGraph,
  ) {
    this.links = g.links.slice()
    this.anyLinks = g.anyLinks.slice()
    this.size = g.size.slice()
    this.degree = new Float64Array(m)
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) this.degree[a]! += this.links[a * m + b]!
      this.total += this.degree[a]!
    }
    this.parent = Int32Array.from({ length: m }, (_, i) => i)
    for (let c = 0; c < m; c++) if (this.size[c]! > 0) this.active.push(c)
  }

  /** Share of a cluster's link ends that stay inside it (1 when it has no links at all). */
  inside(c: number): number {
    return this.degree[c]! > 0 ? this.links[c * this.m + c]! / this.degree[c]! : 1
  }

  /** Merges the clusters at positions x < y of `active` into the first. */
  join(x: number, y: number): void {
    const { m, links, anyLinks } = this
    const a = this.active[x]!
    const b = this.active[y]!
    const within = links[a * m + a]! + links[b * m + b]! + 2 * links[a * m + b]!
    const anyWithin = anyLinks[a * m + a]! + anyLinks[b * m + b]! + 2 * anyLinks[a * m + b]!
    for (const l of [links, anyLinks]) {
      for (let c = 0; c < m; c++) {
        l[a * m + c]! += l[b * m + c]!
        l[c * m + a]! += l[c * m + b]!
      }
      for (let c = 0; c < m; c++) l[b * m + c] = l[c * m + b] = 0
    }
    links[a * m + a] = within
    anyLinks[a * m + a] = anyWithin
    this.degree[a]! += this.degree[b]!
    this.size[a]! += this.size[b]!
    this.degree[b] = this.size[b] = 0
    this.parent[b] = a
    this.active.splice(y, 1)
  }
}

/** Newman modularity of the kNN graph for the partition given by `parent` links. */
export function modularity(g: LinkGraph, parent: Int32Array): number {
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
export function restCohesion(g: LinkGraph, parent: Int32Array): number {
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

export function rootOf(parent: Int32Array): (c: number) => number {
  return (c) => {
    while (parent[c] !== c) c = parent[c]!
    return c
  }
}

/**
 * Each node's group after joins (`parent` links), groups numbered largest first by the summed
 * `size` of their nodes; -1 for a node in a group of no photos.
 */
export function numberGroups(
  parent: Int32Array,
  size: Float64Array,
  m: number,
): { groupOf: Int32Array; k: number } {
  const root = rootOf(parent)
  const total = new Float64Array(m)
  for (let c = 0; c < m; c++) total[root(c)]! += size[c]!
  const roots = [...new Set(Array.from({ length: m }, (_, c) => root(c)))]
    .filter((r) => total[r]! > 0)
    .sort((a, b) => total[b]! - total[a]! || a - b)
  const groupIndex = new Map(roots.map((r, i) => [r, i]))
  const groupOf = Int32Array.from({ length: m }, (_, c) => groupIndex.get(root(c)) ?? -1)
  return { groupOf, k: roots.length }
}
