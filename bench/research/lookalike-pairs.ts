/**
 * The look-alike join on dumped 'auto' over-clusters (bench:quality --dump): how the look-alike
 * score of the pairs share linkage leaves apart splits pieces of one class from distinct
 * classes, and the fix cost for several score bars.
 * Usage: node bin/run-ts.js bench/research/lookalike-pairs.ts --file a.json[,b.json]
 */
import { parseArgs } from 'node:util'
import { scoreGrouping } from '../../src/core/ml/metrics'
import { mergeClusters } from '../../src/core/ml/scan/merge'
import { LOOKALIKE_MIN_SHARE, lookalikePairs } from '../../src/core/ml/scan/merge-lookalike'
import { autoReplays, majorityClass } from '../quality/cluster'

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    bars: { type: 'string', default: '0.6,0.65,0.7,0.75,0.8,0.9' },
    // Mutual-link share a pair needs to be compared (LOOKALIKE_MIN_SHARE otherwise).
    'min-share': { type: 'string' },
  },
})
if (!values.file) throw new Error('--file is required')

const bars = values.bars.split(',').map(Number)
const minShare = values['min-share'] ? Number(values['min-share']) : LOOKALIKE_MIN_SHARE
const scores: Record<string, { same: number[]; different: number[] }> = {}
const fixes: Record<string, number[][]> = {}
for (const { dump: d, dim, features, labels, knn, neighbours } of autoReplays(values.file)) {
  const plain = mergeClusters(labels, d.outputs, neighbours, knn, 'auto', { lookalike: false })
  const group = labels.map((l) => plain.groupOf[l]!)
  const classOf = majorityClass(group, plain.k, d.truth)
  const seen = (scores[d.set] ??= { same: [], different: [] })
  const photos = { group, groups: plain.k, features, dim, neighbours, knn }
  for (const p of lookalikePairs(photos)) {
    if (p.share < minShare) continue
    seen[classOf[p.a] === classOf[p.b] ? 'same' : 'different'].push(p.score)
  }
  const row = [
    plain,
    ...bars.map((score) =>
      mergeClusters(labels, d.outputs, neighbours, knn, 'auto', {
        features,
        dim,
        lookalike: { score, minShare },
      }),
    ),
  ].map(
    (m) =>
      scoreGrouping(
        d.truth,
        labels.map((l) => m.groupOf[l]!),
      ).fixCost.per100,
  )
  ;(fixes[d.set] ??= []).push(row)
}

const f2 = (v: number) => v.toFixed(2)
for (const [set, s] of Object.entries(scores)) {
  const q = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]
  console.log(`\n${set}: linked pairs share linkage leaves apart`)
  for (const kind of ['same', 'different'] as const) {
    const xs = s[kind]
    if (xs.length === 0) continue
    console.log(
      `  ${kind.padEnd(9)} ${String(xs.length).padStart(4)} pairs  score min ${f2(Math.min(...xs))}` +
        `  p10 ${f2(q(xs, 0.1)!)}  median ${f2(q(xs, 0.5)!)}  p90 ${f2(q(xs, 0.9)!)}  max ${f2(Math.max(...xs))}`,
    )
  }
  const rows = fixes[set]!
  console.log('  bar        fix /100 mean (worst)')
  ;['none', ...bars.map(String)].forEach((name, j) => {
    const col = rows.map((r) => r[j]!)
    const mean = col.reduce((a, v) => a + v, 0) / col.length
    console.log(`  ${name.padEnd(10)} ${mean.toFixed(2)} (${Math.max(...col).toFixed(1)})`)
  })
}
