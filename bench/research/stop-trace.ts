/**
 * Where 'auto' should stop merging: for every library of a merge-sweep dump, the share
 * linkage's merge scores around the group count with the lowest fix cost (the best stop a
 * rule could make on these over-clusters), next to where the product stops.
 * Usage: node bin/run-ts.js bench/research/stop-trace.ts [--file dump.json] [--norm min|both]
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { scoreGrouping } from '../../src/core/ml/metrics'
import { mergeClusters } from '../../src/core/ml/scan/merge'
import { mergeView, readDumps } from '../quality/cluster'
import { cacheDir } from '../quality/dataset'

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: path.join(cacheDir, 'overclusters.json') },
    norm: { type: 'string', default: 'min' },
  },
})
const norm = values.norm as 'min' | 'both'
const dumped = readDumps(values.file).filter((d) => d.mode === 'auto')

for (const d of dumped) {
  const n = d.truth.length
  const { knn, neighbours: nb } = mergeView(d)
  const labels = Int32Array.from(d.labels)
  const fixAt = (target: number | 'auto', threshold = 0.2) => {
    const m = mergeClusters(labels, d.outputs, nb, knn, target, { rule: 'share', norm, threshold })
    const s = scoreGrouping(
      d.truth,
      labels.map((l) => m.groupOf[l]!),
    )
    return { fix: s.fixCost.per100, purity: s.purity, k: m.k, trace: m.trace }
  }
  const all = fixAt(1)
  const scoreAt = new Map(all.trace.map((t) => [t.groups, t.score]))
  const now = fixAt('auto')
  let best = { g: 0, fix: Infinity }
  const start = all.trace[0]?.groups ?? 1
  for (let g = start; g >= 1; g--) {
    const f = fixAt(g).fix
    if (f < best.fix) best = { g, fix: f }
  }
  const f = (x: number | undefined) => (x === undefined ? '  -  ' : x.toFixed(3))
  console.log(
    `${d.set.padEnd(12)} ${d.scenario.padEnd(10)} s${d.seed} n=${String(n).padStart(4)} K=${String(d.k).padStart(2)} m=${String(start).padStart(3)} knn=${knn}` +
      `  best g=${String(best.g).padStart(3)} fix ${best.fix.toFixed(1).padStart(4)}` +
      `  last good ${f(scoreAt.get(best.g + 1))} first bad ${f(scoreAt.get(best.g))}` +
      `  | now g=${String(now.k).padStart(3)} fix ${now.fix.toFixed(1).padStart(4)} pur ${now.purity.toFixed(3)}`,
  )
}
