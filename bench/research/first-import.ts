/**
 * First imports of a few folders, one kind each, in fixed shapes (20+20, 30+30, 40+10, …):
 * `auto` on each, with the groups it finds, the extra groups and the fix cost per 100 photos.
 * The classes of every library are drawn at random; each folder is its class's first photos.
 * Usage: node bin/run-ts.js bench/research/first-import.ts [--set caltech20] [--seed 99]
 *          [--shapes "20,20 30,30 40,10 15,15,15 10,10,10,10 25,15,10"] [--tries 8]
 *          [--verbose] [--dump out.json]   (over-clusters, for lookalike-pairs.ts --file)
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { scoreGrouping } from '../../src/core/ml/metrics'
import { seededRandom } from '../../src/core/ml/random'
import {
  clusterLibrary,
  overclusterDump,
  prepareLibrary,
  type OverclusterDump,
} from '../quality/cluster'
import { loadSet, type LabelledSet } from '../quality/dataset'
import type { Library } from '../quality/scenarios'

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'caltech20' },
    shapes: { type: 'string', default: '20,20 30,30 40,10 15,15,15 10,10,10,10 25,15,10' },
    tries: { type: 'string', default: '8' },
    // Seed of the class draws: another seed gives libraries no rule was chosen on.
    seed: { type: 'string', default: '99' },
    verbose: { type: 'boolean', default: false },
    dump: { type: 'string' },
  },
})

/** `sizes[j]` first photos of each of `classes`, labelled 0..k-1. */
function folders(set: LabelledSet, classes: number[], sizes: number[], seed: number): Library {
  const rows: number[] = []
  const labels: number[] = []
  classes.forEach((c, j) => {
    let taken = 0
    for (let r = 0; r < set.n && taken < sizes[j]!; r++)
      if (set.labels[r] === c) {
        rows.push(r)
        labels.push(j)
        taken++
      }
  })
  return {
    set: set.name,
    scenario: sizes.join(','),
    seed,
    rows: Int32Array.from(rows),
    labels: Int32Array.from(labels),
    k: classes.length,
    classes: classes.map((c) => set.classes[c]!),
  }
}

await initBackend()
const set = loadSet(values.set, 3000)
const random = seededRandom(Number(values.seed))
const tries = Number(values.tries)
const dumps: OverclusterDump[] = []
const every: number[] = []
for (const shape of values.shapes.split(' ').filter(Boolean)) {
  const sizes = shape.split(',').map(Number)
  const fixes: number[] = []
  let extra = 0
  for (let t = 0; t < tries; t++) {
    const classes: number[] = []
    while (classes.length < sizes.length) {
      const c = Math.floor(random() * set.classes.length)
      if (!classes.includes(c)) classes.push(c)
    }
    const lib = folders(set, classes, sizes, t)
    const p = await prepareLibrary(set, lib)
    const run = await clusterLibrary(p, 'auto', t)
    if (values.dump) dumps.push(overclusterDump(p, 'auto', run))
    const score = scoreGrouping(lib.labels, run.labels.final)
    const counts = new Map<number, number>()
    for (const g of run.labels.final) counts.set(g, (counts.get(g) ?? 0) + 1)
    fixes.push(score.fixCost.per100)
    extra += counts.size - sizes.length
    if (values.verbose) {
      const groups = [...counts.values()].sort((a, b) => b - a).join('/')
      const fix = score.fixCost.per100.toFixed(1)
      console.log(`  ${lib.classes.join(' + ')}: ${counts.size} groups (${groups}), fix ${fix}`)
    }
  }
  every.push(...fixes)
  const mean = fixes.reduce((a, f) => a + f, 0) / fixes.length
  console.log(
    `${shape.padEnd(12)} fix ${mean.toFixed(2)} (${Math.max(...fixes).toFixed(1)}), extra groups ${(extra / tries).toFixed(2)}`,
  )
}
const mean = every.reduce((a, f) => a + f, 0) / every.length
console.log(`all          fix ${mean.toFixed(2)} (${Math.max(...every).toFixed(1)})`)
if (values.dump) fs.writeFileSync(values.dump, JSON.stringify(dumps))
