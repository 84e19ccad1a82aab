/**
 * How far 'auto' moves when a few photos of a library are left out: each library of the
 * bench:quality sweep, as drawn and with `--drop` random photos left out (`--variants` draws),
 * final model, fix per 100. A person who adds or deletes a few photos should not see a kind
 * joined to another.
 * Usage: node bin/run-ts.js bench/research/leave-out.ts [--set caltech20] [--seeds 3]
 *          [--drop 3] [--variants 3] [--scenarios balanced,imbalanced,...]
 *          [--dump out.json]   (over-clusters of the libraries with photos left out)
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { seededRandom } from '../../src/core/ml/random'
import {
  clusterLibrary,
  overclusterDump,
  prepareLibrary,
  type OverclusterDump,
} from '../quality/cluster'
import { loadSet } from '../quality/dataset'
import { SCENARIOS, subLibrary, type Library } from '../quality/scenarios'
import { scoreRun } from '../quality/scoring'

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'caltech20' },
    seeds: { type: 'string', default: '3' },
    drop: { type: 'string', default: '3' },
    variants: { type: 'string', default: '3' },
    scenarios: { type: 'string', default: SCENARIOS.map((s) => s.name).join(',') },
    dump: { type: 'string' },
  },
})
await initBackend()
const set = loadSet(values.set, 3000)

/** The library without `drop` photos drawn at random. */
function without(lib: Library, drop: number, seed: number): Library {
  const random = seededRandom(seed)
  const gone = new Set<number>()
  while (gone.size < Math.min(drop, lib.rows.length - 2))
    gone.add(Math.floor(random() * lib.rows.length))
  return subLibrary(
    lib,
    [...lib.rows.keys()].filter((i) => !gone.has(i)),
  )
}

const dumps: OverclusterDump[] = []
const drawn: number[] = []
const left: number[] = []
for (const scenario of SCENARIOS.filter((s) => values.scenarios.split(',').includes(s.name)))
  for (let seed = 0; seed < Number(values.seeds); seed++) {
    const lib = scenario.draw(set, seed)
    const fixes: string[] = []
    for (let v = -1; v < Number(values.variants); v++) {
      const variant = v < 0 ? lib : without(lib, Number(values.drop), 100 + v)
      const prepared = await prepareLibrary(set, variant)
      const run = await clusterLibrary(prepared, 'auto', seed)
      if (values.dump && v >= 0) dumps.push(overclusterDump(prepared, 'auto', run))
      const r = scoreRun(variant, 'auto', 'final', run.labels.final)
      ;(v < 0 ? drawn : left).push(r.fix)
      fixes.push(`${r.fix.toFixed(1)} (${r.groups})`)
    }
    console.log(`${scenario.name} ${seed} n=${lib.rows.length} K=${lib.k}: ${fixes.join(', ')}`)
  }
const stat = (v: number[]) =>
  `${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2)} (${Math.max(...v).toFixed(1)})`
if (values.dump) fs.writeFileSync(values.dump, JSON.stringify(dumps))
console.log(`fix mean (worst): as drawn ${stat(drawn)}; ${values.drop} left out ${stat(left)}`)
