/**
 * "Looks like" hints on dumped 'auto' over-clusters (bench:quality --dump, first-import.ts
 * --dump): after the product's merge (SCAN stage), the pairs of groups a person would be shown
 * as maybe one kind, at several score bars: each group's closest group among those at least as
 * large (--any-size: among all). Prints how many of the merges the fix cost counts the hints
 * lead to, how many pairs are shown, and how many of those are one kind.
 * Usage: node bin/run-ts.js bench/research/merge-hints.ts --file a.json[,b.json] [--bars .4,.5]
 *          [--top N] [--any-size]
 */
import { parseArgs } from 'node:util'
import { mergeClusters } from '../../src/core/ml/scan/merge'
import { lookalikeScores } from '../../src/core/ml/scan/merge-lookalike'
import { autoReplays, majorityClass } from '../quality/cluster'

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    bars: { type: 'string', default: '0.4,0.5,0.55,0.6' },
    // Pairs shown per group: its best-scoring ones.
    top: { type: 'string', default: '1' },
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

/**
 * Each group's `top` best-scoring other groups at `bar` or above (of those at least as large,
 * when `size` is given), as pairs a < b.
 */
function hintedPairs(
  groups: number,
  score: (a: number, b: number) => number,
  bar: number,
  top: number,
  size?: number[],
): [number, number][] {
  const keys = new Set<string>()
  for (let a = 0; a < groups; a++) {
    const best = Array.from({ length: groups }, (_, b) => b)
      .filter((b) => b !== a && score(a, b) >= bar && (!size || size[b]! >= size[a]!))
      .sort((x, y) => score(a, y) - score(a, x))
      .slice(0, top)
    for (const b of best) keys.add(a < b ? `${a},${b}` : `${b},${a}`)
  }
  return [...keys].map((k) => k.split(',').map(Number) as [number, number])
}

const bars = values.bars.split(',').map(Number)
const top = Number(values.top)
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
    const pairs = hintedPairs(merged.k, score, bar, top, values['any-size'] ? undefined : size)
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
