/**
 * Which label-free criterion should decide between SCAN's model and the self-labeled one:
 * trains both on every library of the bench:quality sweep, scores each with several criteria
 * on the kNN graph and with the labels, then prints, per criterion, the final ACC and fix cost
 * (mean and worst) that choosing by it gives.
 * Usage: node bin/run-ts.js bench/research/selflabel-choice.ts [--seeds 3] [--json out.json]
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { scoreGrouping } from '../../src/core/ml/metrics'
import { linkEnds } from '../../src/core/ml/scan/agreement'
import { SETS } from '../quality/dataset'
import { clusterLibrary, type Mode } from '../quality/cluster'
import { sweepLibraries } from '../quality/sweep'

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    json: { type: 'string' },
    from: { type: 'string' },
  },
})

interface Row {
  set: string
  mode: Mode
  acc: { scan: number; selflabel: number }
  fix: { scan: number; selflabel: number }
  crit: Record<string, { scan: number; selflabel: number }>
}

/** Criteria of a hard grouping on a kNN table (all links, not only mutual ones). */
function criteria(labels: Int32Array, neighbours: Int32Array, knn: number): Record<string, number> {
  const n = labels.length
  const k = Math.max(...labels) + 1
  const { inside, ends, within } = linkEnds(labels, k, neighbours, knn, 'criteria')
  const edges = n * knn
  let expected = 0
  let cohesion = 0
  let groups = 0
  let minCohesion = 1
  for (let c = 0; c < k; c++) {
    if (ends[c] === 0) continue
    expected += (ends[c]! / (2 * edges)) ** 2
    cohesion += inside[c]! / ends[c]!
    minCohesion = Math.min(minCohesion, inside[c]! / ends[c]!)
    groups++
  }
  const agreement = within / edges
  return {
    modularity: agreement - expected,
    agreement,
    cohesion: cohesion / groups,
    minCohesion,
    normalised: (agreement - expected) / (1 - expected),
  }
}

async function sweep(): Promise<Row[]> {
  await initBackend()
  const rows: Row[] = []
  for await (const { set: setName, scenario, seed, p } of sweepLibraries(Number(values.seeds))) {
    const lib = p.lib
    for (const mode of ['k', 'auto'] as Mode[]) {
      const run = await clusterLibrary(p, mode, seed)
      const s = scoreGrouping(lib.labels, run.labels.scan)
      const l = scoreGrouping(lib.labels, run.labels.selflabel)
      const cs = criteria(run.labels.scan, p.neighbours, p.knn)
      const cl = criteria(run.labels.selflabel, p.neighbours, p.knn)
      rows.push({
        set: setName,
        mode,
        acc: { scan: s.acc, selflabel: l.acc },
        fix: { scan: s.fixCost.per100, selflabel: l.fixCost.per100 },
        crit: Object.fromEntries(
          Object.keys(cs).map((key) => [key, { scan: cs[key]!, selflabel: cl[key]! }]),
        ),
      })
      process.stderr.write(
        `${setName} ${scenario} ${seed} ${mode}: scan ${s.acc.toFixed(3)} selflabel ${l.acc.toFixed(3)}\n`,
      )
    }
  }
  return rows
}

const rows: Row[] = values.from
  ? (JSON.parse(fs.readFileSync(values.from, 'utf8')) as Row[])
  : await sweep()
if (values.json) fs.writeFileSync(values.json, JSON.stringify(rows))
const choices: Record<string, (r: Row) => 'scan' | 'selflabel'> = {
  'always SCAN': () => 'scan',
  'always self-label': () => 'selflabel',
  oracle: (r) => (r.acc.selflabel > r.acc.scan ? 'selflabel' : 'scan'),
}
for (const key of Object.keys(rows[0]!.crit))
  for (const margin of [0, 0.005, 0.01])
    choices[`${key} −${margin}`] = (r) =>
      r.crit[key]!.selflabel >= r.crit[key]!.scan + margin ? 'selflabel' : 'scan'
for (const [name, choose] of Object.entries(choices)) {
  const parts: string[] = []
  for (const set of SETS)
    for (const mode of ['k', 'auto'] as Mode[]) {
      const r = rows.filter((x) => x.set === set && x.mode === mode)
      const acc = r.map((x) => x.acc[choose(x)])
      const fix = r.map((x) => x.fix[choose(x)])
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
      parts.push(
        `${set.slice(0, 7)} ${mode}: ${mean(acc).toFixed(3)} (${Math.min(...acc).toFixed(3)}) fix ${mean(fix).toFixed(1)} (${Math.max(...fix).toFixed(1)})`,
      )
    }
  console.log(`${name.padEnd(22)} ${parts.join(' | ')}`)
}
