/**
 * Named libraries from the cached sets, through the bench:quality harness: the imbalanced
 * 4-class library that first showed the problem (all photos of Motorbikes, chandelier,
 * sunflower, dalmatian) and the whole of caltech20. Prints k-means, SCAN, self-label and final at the true K and 'auto'.
 * Usage: node bin/run-ts.js bench/research/spot-check.ts [--seed S]
 */
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { seededRandom } from '../../src/core/ml/random'
import { loadSet } from '../quality/dataset'
import { clusterLibrary, kmeansLabels, prepareLibrary } from '../quality/cluster'
import { buildLibrary } from '../quality/scenarios'
import { scoreRun } from '../quality/scoring'

const { values } = parseArgs({ options: { seed: { type: 'string', default: '0' } } })
const seed = Number(values.seed)
await initBackend()
const set = loadSet('caltech20')
const classOf = (name: string) => set.classes.indexOf(name)
const all = (names: string[]) => names.map(classOf)
const four = all(['Motorbikes', 'chandelier', 'sunflower', 'dalmatian'])
const libraries = [
  buildLibrary(
    set,
    'motorbikes+3',
    seed,
    four,
    four.map(() => 10_000),
    seededRandom(seed),
  ),
  buildLibrary(
    set,
    'caltech20',
    seed,
    set.classes.map((_, i) => i),
    set.classes.map(() => 10_000),
    seededRandom(seed),
  ),
]
for (const lib of libraries) {
  const p = await prepareLibrary(set, lib)
  const rows = [scoreRun(lib, 'k', 'kmeans', await kmeansLabels(p, seed))]
  for (const mode of ['k', 'auto'] as const) {
    const run = await clusterLibrary(p, mode, seed)
    for (const stage of ['scan', 'selflabel', 'final'] as const)
      rows.push(scoreRun(lib, mode, stage, run.labels[stage]))
  }
  console.log(`${lib.scenario} (n=${lib.rows.length}, K=${lib.k}, seed ${seed})`)
  for (const r of rows)
    console.log(
      `  ${r.mode.padEnd(4)} ${r.stage.padEnd(9)} ACC ${r.acc.toFixed(3)} NMI ${r.nmi.toFixed(3)} ARI ${r.ari.toFixed(3)} purity ${r.purity.toFixed(3)} fix ${r.fix.toFixed(1)}/100 (${r.moves} moves, ${r.merges} merges) groups ${r.groups}`,
    )
}
