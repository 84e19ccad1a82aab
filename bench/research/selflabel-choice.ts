/**
 * Which label-free criterion should decide between SCAN's model and the self-labeled one:
 * trains both on every library of the bench:quality sweep, scores each with several criteria
 * on the kNN graph and with the labels, then prints, per criterion, the final ACC and fix cost
 * (mean and worst) that choosing by it gives. --json keeps both models' groups of every run, so
 * that --from replays new criteria without training again.
 * Usage: node bin/run-ts.js bench/research/selflabel-choice.ts [--seeds 3] [--json out.json]
 *        node bin/run-ts.js bench/research/selflabel-choice.ts --from out.json
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { scoreGrouping } from '../../src/core/ml/metrics'
import {
  linkEnds,
  neighbourCohesion,
  neighbourModularity,
  normalisedModularity,
} from '../../src/core/ml/scan/agreement'
import { topK } from '../../src/core/ml/neighbours'
import { nearestColumns, usableNeighbours } from '../../src/core/ml/scan/sizing'
import { loadSet, SETS, type LabelledSet } from '../quality/dataset'
import { clusterLibrary, libraryFeatures, type Mode } from '../quality/cluster'
import { sweepLibraries } from '../quality/sweep'

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    json: { type: 'string' },
    from: { type: 'string' },
    // Two criteria (comma-separated): list the runs where they keep different models.
    diff: { type: 'string' },
  },
})

interface Row {
  set: string
  scenario: string
  seed: number
  mode: Mode
  /** The library's rows of the set's cache, true classes, and both models' groups. */
  rows: number[]
  truth: number[]
  labels: { scan: number[]; selflabel: number[] }
}

interface Scored {
  set: string
  scenario: string
  seed: number
  mode: Mode
  acc: { scan: number; selflabel: number }
  fix: { scan: number; selflabel: number }
  crit: Record<string, { scan: number; selflabel: number }>
}

/**
 * Criteria of a hard grouping on a kNN table (all links, not only mutual ones): the engine's
 * three, and three more tried here.
 */
function criteria(labels: Int32Array, neighbours: Int32Array, knn: number): Record<string, number> {
  const k = Math.max(...labels) + 1
  const { inside, ends, within } = linkEnds(labels, k, neighbours, knn, 'criteria')
  let groups = 0
  let minCohesion = 1
  let capped = 0
  const size = new Float64Array(k)
  for (const l of labels) size[l]!++
  for (let c = 0; c < k; c++) {
    if (ends[c] === 0) continue
    // A group of s photos can keep at most s − 1 of each photo's knn neighbours inside.
    const cap = Math.min(1, Math.max(1, size[c]! - 1) / knn)
    capped += Math.min(1, inside[c]! / ends[c]! / cap)
    minCohesion = Math.min(minCohesion, inside[c]! / ends[c]!)
    groups++
  }
  return {
    modularity: neighbourModularity(labels, k, neighbours, knn),
    agreement: within / (labels.length * knn),
    cohesion: neighbourCohesion(labels, k, neighbours, knn),
    sizeCohesion: capped / groups,
    minCohesion,
    normalised: normalisedModularity(labels, k, neighbours, knn),
  }
}

async function sweep(): Promise<Row[]> {
  await initBackend()
  const rows: Row[] = []
  for await (const { set: setName, scenario, seed, p } of sweepLibraries(Number(values.seeds))) {
    const lib = p.lib
    for (const mode of ['k', 'auto'] as Mode[]) {
      const run = await clusterLibrary(p, mode, seed)
      rows.push({
        set: setName,
        scenario,
        seed,
        mode,
        rows: [...lib.rows],
        truth: [...lib.labels],
        labels: { scan: [...run.labels.scan], selflabel: [...run.labels.selflabel] },
      })
      process.stderr.write(`${setName} ${scenario} ${seed} ${mode}\n`)
    }
  }
  return rows
}

/** Each run's ACC and fix cost for both models, and every criterion on the product's table
 * (all 20 neighbours) and on the neighbours SCAN used for the library's size (`…@used`). */
async function score(rows: Row[]): Promise<Scored[]> {
  const sets = new Map<string, LabelledSet>()
  const out: Scored[] = []
  for (const r of rows) {
    if (!sets.has(r.set)) sets.set(r.set, loadSet(r.set, 3000))
    const set = sets.get(r.set)!
    const n = r.truth.length
    const features = libraryFeatures(set, Int32Array.from(r.rows))
    const knn = Math.min(20, n - 1)
    const table = (await topK(features, n, set.dim, knn)).index
    const used = usableNeighbours(knn, n)
    const near = nearestColumns(table, n, knn, used)
    const truth = Int32Array.from(r.truth)
    const scan = Int32Array.from(r.labels.scan)
    const self = Int32Array.from(r.labels.selflabel)
    const s = scoreGrouping(truth, scan)
    const l = scoreGrouping(truth, self)
    const crit: Scored['crit'] = {}
    for (const [suffix, nb, k] of [
      ['', table, knn],
      ['@used', near, used],
    ] as const) {
      const cs = criteria(scan, nb, k)
      const cl = criteria(self, nb, k)
      for (const key of Object.keys(cs))
        crit[key + suffix] = { scan: cs[key]!, selflabel: cl[key]! }
    }
    out.push({
      set: r.set,
      scenario: r.scenario,
      seed: r.seed,
      mode: r.mode,
      acc: { scan: s.acc, selflabel: l.acc },
      fix: { scan: s.fixCost.per100, selflabel: l.fixCost.per100 },
      crit,
    })
  }
  return out
}

const runs: Row[] = values.from
  ? (JSON.parse(fs.readFileSync(values.from, 'utf8')) as Row[])
  : await sweep()
if (values.json) fs.writeFileSync(values.json, JSON.stringify(runs))
const rows = await score(runs)
const choices: Record<string, (r: Scored) => 'scan' | 'selflabel'> = {
  'always SCAN': () => 'scan',
  'always self-label': () => 'selflabel',
  oracle: (r) => (r.acc.selflabel > r.acc.scan ? 'selflabel' : 'scan'),
}
for (const key of Object.keys(rows[0]!.crit))
  for (const margin of [0, 0.005, 0.01])
    choices[`${key} −${margin}`] = (r) =>
      r.crit[key]!.selflabel >= r.crit[key]!.scan + margin ? 'selflabel' : 'scan'
// Self-labeling kept only when no criterion of a pair drops.
const holds = (r: Scored, key: string) => r.crit[key]!.selflabel >= r.crit[key]!.scan
for (const [a, b] of [
  ['cohesion', 'normalised'],
  ['cohesion', 'sizeCohesion'],
  ['cohesion', 'agreement'],
  ['sizeCohesion', 'normalised'],
])
  choices[`${a} & ${b}`] = (r) => (holds(r, a!) && holds(r, b!) ? 'selflabel' : 'scan')
for (const [name, choose] of Object.entries(choices)) {
  const parts: string[] = []
  for (const set of SETS)
    for (const mode of ['k', 'auto'] as Mode[]) {
      const r = rows.filter((x) => x.set === set && x.mode === mode)
      const acc = r.map((x) => x.acc[choose(x)])
      const fix = r.map((x) => x.fix[choose(x)])
      const drop = Math.min(...r.map((x) => x.acc[choose(x)] - x.acc.scan))
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
      parts.push(
        `${set.slice(0, 7)} ${mode}: ${mean(acc).toFixed(3)} (${Math.min(...acc).toFixed(3)}) fix ${mean(fix).toFixed(1)} (${Math.max(...fix).toFixed(1)}) −SCAN ${drop.toFixed(3)}`,
      )
    }
  console.log(`${name.padEnd(22)} ${parts.join(' | ')}`)
}

if (values.diff) {
  const [a, b] = values.diff.split(',') as [string, string]
  for (const r of rows) {
    const [x, y] = [holds(r, a), holds(r, b)]
    if (x === y) continue
    const f3 = (v: number) => v.toFixed(3)
    console.log(
      `${r.set} ${r.scenario} ${r.seed} ${r.mode}: ${a} keeps ${x ? 'self-label' : 'SCAN'}, ` +
        `${b} ${y ? 'self-label' : 'SCAN'}; ACC SCAN ${f3(r.acc.scan)} self-label ` +
        `${f3(r.acc.selflabel)}, fix ${r.fix.scan.toFixed(1)} → ${r.fix.selflabel.toFixed(1)}`,
    )
  }
}
