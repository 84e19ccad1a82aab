/**
 * Neighbours mined on centred features: each library of the bench:quality sweep with its
 * neighbours found on the features as they are (cosine) and on the features minus `--centre`
 * times the library's mean, L2-normalised again. Prints each library's kNN purity (the share of
 * the 20 neighbours of the photo's own class) and, with --cluster, the final model's fix per
 * 100 at the true K and in 'auto' for both.
 * Usage: node bin/run-ts.js bench/research/centred-neighbours.ts [--set caltech20] [--seeds 3]
 *          [--centre 1] [--cluster] [--scenarios balanced,imbalanced,...]
 */
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { clusterLibrary, prepareLibrary, type PreparedLibrary } from '../quality/cluster'
import { loadSet } from '../quality/dataset'
import { SCENARIOS } from '../quality/scenarios'
import { scoreRun } from '../quality/scoring'

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'caltech20' },
    seeds: { type: 'string', default: '3' },
    centre: { type: 'string', default: '1' },
    cluster: { type: 'boolean', default: false },
    scenarios: { type: 'string', default: SCENARIOS.map((s) => s.name).join(',') },
  },
})
await initBackend()
const set = loadSet(values.set, 3000)

/** Share of the neighbours of each photo that are of its own class. */
function knnPurity(p: PreparedLibrary): number {
  let same = 0
  for (let i = 0; i < p.n; i++)
    for (let j = 0; j < p.knn; j++)
      if (p.lib.labels[p.neighbours[i * p.knn + j]!] === p.lib.labels[i]) same++
  return same / (p.n * p.knn)
}

/** Final model's fix per 100 at the true K and in 'auto'. */
async function fixes(p: PreparedLibrary, seed: number): Promise<[number, number]> {
  const k = await clusterLibrary(p, 'k', seed)
  const auto = await clusterLibrary(p, 'auto', seed)
  return [
    scoreRun(p.lib, 'k', 'final', k.labels.final).fix,
    scoreRun(p.lib, 'auto', 'final', auto.labels.final).fix,
  ]
}

const rows: number[][] = []
for (const scenario of SCENARIOS.filter((s) => values.scenarios.split(',').includes(s.name)))
  for (let seed = 0; seed < Number(values.seeds); seed++) {
    const lib = scenario.draw(set, seed)
    const plain = await prepareLibrary(set, lib)
    const centred = await prepareLibrary(set, lib, Number(values.centre))
    const row = [knnPurity(plain), knnPurity(centred)]
    if (values.cluster) row.push(...(await fixes(plain, seed)), ...(await fixes(centred, seed)))
    rows.push(row)
    const f = row.map((v, j) => (j < 2 ? v.toFixed(3) : v.toFixed(1)))
    const fix = values.cluster ? `  K fix ${f[2]} → ${f[4]}, auto fix ${f[3]} → ${f[5]}` : ''
    console.log(`${scenario.name} ${seed} n=${lib.rows.length}: kNN purity ${f[0]} → ${f[1]}${fix}`)
  }
const stat = (j: number, digits: number) => {
  const col = rows.map((r) => r[j]!)
  const mean = col.reduce((a, b) => a + b, 0) / col.length
  const worst = j < 2 ? Math.min(...col) : Math.max(...col)
  return `${mean.toFixed(digits)} (${worst.toFixed(digits)})`
}
console.log(`mean (worst) over ${rows.length}: kNN purity ${stat(0, 3)} → ${stat(1, 3)}`)
if (values.cluster)
  console.log(`  K fix ${stat(2, 2)} → ${stat(4, 2)}; auto fix ${stat(3, 2)} → ${stat(5, 2)}`)
