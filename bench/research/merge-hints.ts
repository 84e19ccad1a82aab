/**
 * "Looks like" hints on dumped 'auto' over-clusters (bench:quality --dump, first-import.ts
 * --dump): after the product's merge (SCAN stage), the pairs of groups a person would be shown
 * as maybe one kind, at several score bars: each group's closest group among those at least as
 * large (--any-size: among all). Prints how many of the merges the fix cost counts the hints
 * lead to, how many pairs are shown, and how many of those are one kind.
 * The pairs come from the product's rule (hintPairs); --any-size counts every group as the same
 * size, so each looks at all the others.
 * Usage: node bin/run-ts.js bench/research/merge-hints.ts --file a.json[,b.json] [--bars .4,.5]
 *          [--any-size]
 */
import { parseArgs } from 'node:util'
import { mergeClusters } from '../../src/core/ml/scan/merge'
import { lookalikeScores } from '../../src/core/ml/scan/merge-lookalike'
import { hintPairs } from '../../src/core/clusters/lookalikes'
import { autoReplays, majorityClass } from '../quality/cluster'

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    bars: { type: 'string', default: '0.4,0.5,0.55,0.6' },
    // Each group looks at every other group, not only at those at least as large as itself.
    'any-size': { type: 'boolean', default: false },
  },
})
if (!values.file) throw new Error('--file is required')

/** Merges that following same-class hints reaches: groups minus components, per class. */
function mergesReached(classOf: number[], pairs: [number, number][]): number {
  const parent = classOf.map((_, i) => i)
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)))
  let reached = 0
  for (const [a, b] of pairs) {
    if (classOf[a] !== classOf[b] || root(a) === root(b)) continue
    parent[root(a)] = root(b)
    reached++
  }
  return reached
}

interface Tally {
  libraries: number
  merges: number
  reached: number[]
  shown: number[]
  oneKind: number[]
}

const bars = values.bars.split(',').map(Number)
const tallies: Record<string, Tally> = {}
for (const { dump: d, dim, features, labels, knn, neighbours } of autoReplays(values.file)) {
  const merged = mergeClusters(labels, d.outputs, neighbours, knn, 'auto', { features, dim })
  const group = labels.map((l) => merged.groupOf[l]!)
  const classOf = majorityClass(group, merged.k, d.truth)
  const score = lookalikeScores(group, merged.k, features, dim)
  const size = new Array<number>(merged.k).fill(0)
  for (const g of group) size[g]!++
  const t = (tallies[d.set] ??= {
    libraries: 0,
    merges: 0,
    reached: bars.map(() => 0),
    shown: bars.map(() => 0),
    oneKind: bars.map(() => 0),
  })
  t.libraries++
  t.merges += merged.k - new Set(classOf).size
  bars.forEach((bar, j) => {
    const pairs = hintPairs(values['any-size'] ? size.map(() => 1) : size, score, bar).map(
      (p): [number, number] => [p.a, p.b],
    )
    t.shown[j]! += pairs.length
    t.oneKind[j]! += pairs.filter(([a, b]) => classOf[a] === classOf[b]).length
    t.reached[j]! += mergesReached(classOf, pairs)
  })
}
for (const [name, t] of Object.entries(tallies)) {
  console.log(`${name}: ${t.libraries} libraries, ${t.merges} merges needed`)
  bars.forEach((bar, j) =>
    console.log(
      `  bar ${bar.toFixed(2)}: hints lead to ${t.reached[j]} of ${t.merges} merges; ` +
        `${t.shown[j]} pairs shown (${(t.shown[j]! / t.libraries).toFixed(2)} per library), ` +
        `${t.oneKind[j]} of them one kind`,
    ),
  )
}
