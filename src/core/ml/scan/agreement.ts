/**
 * Label-free quality of a hard grouping on the kNN graph: Newman modularity, i.e. the share of
 * neighbour links that stay inside a group minus the share expected for groups of the same
 * sizes (Σ (degree share)²). Plain agreement would favour lumping everything together; the
 * expectation term removes that, so a model that collapses or mixes groups scores lower.
 */
export function neighbourModularity(
  labels: ArrayLike<number>,
  k: number,
  neighbours: Int32Array,
  knn: number,
): number {
  const { agreement, expected } = agreementParts(labels, k, neighbours, knn, 'neighbourModularity')
  return agreement - expected
}

/**
 * Share of kNN links inside groups, and the share expected for groups of the same sizes
 * (Σ (degree share)²); both 0 for an empty table.
 */
function agreementParts(
  labels: ArrayLike<number>,
  k: number,
  neighbours: Int32Array,
  knn: number,
  name: string,
): { agreement: number; expected: number } {
  const { ends, within } = linkEnds(labels, k, neighbours, knn, name)
  const edges = labels.length * knn
  if (edges === 0) return { agreement: 0, expected: 0 }
  let expected = 0
  for (const e of ends) expected += (e / (2 * edges)) ** 2
  return { agreement: within / edges, expected }
}

/**
 * Modularity over the most a grouping of these sizes could reach: (agreement − expected) /
 * (1 − expected), 1 for groups that keep every link inside whatever their sizes, 0 for one
 * group. Plain modularity is highest for groups of equal size, so it rewards a model that
 * evens a dominant kind out; this one does not, and unlike the mean cohesion of groups it
 * weighs every link alike rather than every group.
 */
export function normalisedModularity(
  labels: ArrayLike<number>,
  k: number,
  neighbours: Int32Array,
  knn: number,
): number {
  const { agreement, expected } = agreementParts(labels, k, neighbours, knn, 'normalisedModularity')
  return expected < 1 ? (agreement - expected) / (1 - expected) : 0
}

/**
 * Label-free quality of a hard grouping of k groups on the kNN graph: the mean over groups of
 * the share of a group's neighbour-link ends that stay inside it (a group left empty counts 0).
 * Unlike modularity it does not reward groups of equal size, so a dominant class kept whole
 * is not judged worse than one cut in pieces and spread over the small groups.
 */
export function neighbourCohesion(
  labels: ArrayLike<number>,
  k: number,
  neighbours: Int32Array,
  knn: number,
): number {
  const { inside, ends } = linkEnds(labels, k, neighbours, knn, 'neighbourCohesion')
  if (k === 0) return 0
  let sum = 0
  for (let c = 0; c < k; c++) if (ends[c]! > 0) sum += inside[c]! / ends[c]!
  return sum / k
}

/** Per group: link ends that stay inside it and all its link ends; and the links inside. */
export function linkEnds(
  labels: ArrayLike<number>,
  k: number,
  neighbours: Int32Array,
  knn: number,
  name: string,
): { inside: Float64Array; ends: Float64Array; within: number } {
  const n = labels.length
  if (neighbours.length !== n * knn)
    throw new Error(`${name}: expected ${n * knn} neighbour indices`)
  const inside = new Float64Array(k)
  // Every edge i→j adds one end to group(i) and one to group(j).
  const ends = new Float64Array(k)
  let within = 0
  for (let i = 0; i < n; i++) {
    const a = labels[i]!
    for (let t = 0; t < knn; t++) {
      const b = labels[neighbours[i * knn + t]!]!
      ends[a]!++
      ends[b]!++
      if (a === b) {
        within++
        inside[a]! += 2
      }
    }
  }
  return { inside, ends, within }
}
