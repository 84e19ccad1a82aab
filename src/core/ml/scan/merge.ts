/** One agglomeration step: `groups` existed before merging the pair with this `affinity`. */
export interface MergeStep {
  groups: number
  affinity: number
}

export interface MergeResult {
  /** For each over-cluster, its group 0..k-1 (groups ordered largest first). */
  groupOf: Int32Array
  k: number
  trace: MergeStep[]
}

/**
 * Merges over-clusters whose members are each other's neighbours. Affinity of clusters a, b:
 * kNN edges between them (both directions) / (knn · min(|a|, |b|)) — the share of the smaller
 * cluster's neighbour links that land in the other one. A class split by SCAN's uniform prior
 * has pieces with affinity about .3–.8; different classes stay below about .15 (caltech20).
 * Stops at `target` groups, or for 'auto' when no pair reaches `threshold`.
 */
export function mergeClusters(
  labels: Int32Array,
  outputs: number,
  neighbours: Int32Array,
  knn: number,
  target: number | 'auto',
  threshold = 0.2,
): MergeResult {
  const n = labels.length
  if (neighbours.length !== n * knn) {
    throw new Error(
      `mergeClusters: expected ${n * knn} neighbour indices, got ${neighbours.length}`,
    )
  }
  const size = new Float64Array(outputs)
  for (let i = 0; i < n; i++) size[labels[i]!]!++
  const links = new Float64Array(outputs * outputs)
  for (let i = 0; i < n; i++) {
    const a = labels[i]!
    for (let j = 0; j < knn; j++) {
      const b = labels[neighbours[i * knn + j]!]!
      if (a !== b) {
        links[a * outputs + b]!++
        links[b * outputs + a]!++
      }
    }
  }
  const parent = Int32Array.from({ length: outputs }, (_, i) => i)
  const active = new Set<number>()
  for (let c = 0; c < outputs; c++) if (size[c]! > 0) active.add(c)
  const trace: MergeStep[] = []
  const stopAt = target === 'auto' ? 1 : Math.max(1, target)
  while (active.size > stopAt) {
    const best = bestPair(active, links, size, outputs, knn)
    if (target === 'auto' && best.affinity < threshold) break
    trace.push({ groups: active.size, affinity: best.affinity })
    absorb(best.a, best.b, links, size, outputs)
    parent[best.b] = best.a
    active.delete(best.b)
  }
  return { ...compact(parent, active, size, outputs), trace }
}

function bestPair(
  active: Set<number>,
  links: Float64Array,
  size: Float64Array,
  outputs: number,
  knn: number,
): { a: number; b: number; affinity: number } {
  let best = { a: -1, b: -1, affinity: -1 }
  const ids = [...active]
  for (let x = 0; x < ids.length; x++) {
    for (let y = x + 1; y < ids.length; y++) {
      const a = ids[x]!
      const b = ids[y]!
      const affinity = links[a * outputs + b]! / (knn * Math.min(size[a]!, size[b]!))
      if (affinity > best.affinity) best = { a, b, affinity }
    }
  }
  return best
}

function absorb(a: number, b: number, links: Float64Array, size: Float64Array, m: number): void {
  for (let c = 0; c < m; c++) {
    links[a * m + c]! += links[b * m + c]!
    links[c * m + a]! += links[c * m + b]!
    links[b * m + c] = 0
    links[c * m + b] = 0
  }
  links[a * m + a] = 0
  size[a]! += size[b]!
  size[b] = 0
}

function compact(
  parent: Int32Array,
  active: Set<number>,
  size: Float64Array,
  outputs: number,
): { groupOf: Int32Array; k: number } {
  const root = (c: number): number => {
    while (parent[c] !== c) c = parent[c]!
    return c
  }
  const roots = [...active].sort((a, b) => size[b]! - size[a]! || a - b)
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
