// Clustering quality over many generated libraries (see research/RESULTS.md).
//   npm run bench:quality -- --build-cache [set...]    embed the sets once (resumable)
//   npm run bench:quality -- [--sets caltech20,cifar10-test] [--scenarios balanced,small]
//                            [--modes k,auto] [--seeds 3] [--first-seed 0] [--rows 3000]
//                            [--json out.json]
//                            [--dump overclusters.json]
//   npm run bench:quality -- --from a.json,b.json      tables of earlier sweeps
// Tables go to stdout (markdown), progress to stderr.
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { buildCache, loadSet, SETS } from './dataset'
import {
  clusterLibrary,
  kmeansLabels,
  overclusterDump,
  prepareLibrary,
  type Mode,
  type OverclusterDump,
} from './cluster'
import { scenarioTable, stageDelta, summaryTable } from './report'
import { SCENARIOS, scenarioByName } from './scenarios'
import { scoreRun, type RunScore } from './scoring'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'build-cache': { type: 'boolean', default: false },
    sets: { type: 'string', default: SETS.join(',') },
    scenarios: { type: 'string', default: SCENARIOS.map((s) => s.name).join(',') },
    modes: { type: 'string', default: 'k,auto' },
    seeds: { type: 'string', default: '3' },
    // First seed drawn: rules are chosen on seeds 0–2, so later seeds are libraries held out.
    'first-seed': { type: 'string', default: '0' },
    // Photos used per set: a class-balanced prefix of the cache, so that every sweep draws from
    // the same photos (cifar10-test: 300 per class).
    rows: { type: 'string', default: '3000' },
    json: { type: 'string' },
    // Print the tables of earlier --json files (comma-separated) instead of running a sweep.
    from: { type: 'string' },
    // Also write each library's SCAN over-clusters (for bench/research/merge-sweep.ts).
    dump: { type: 'string' },
  },
})

const list = (s: string) => s.split(',').filter(Boolean)

const dumped: OverclusterDump[] = []

async function sweep(): Promise<RunScore[]> {
  const scenarios = list(values.scenarios).map(scenarioByName)
  const modes = list(values.modes) as Mode[]
  for (const m of modes) if (m !== 'k' && m !== 'auto') throw new Error(`unknown mode ${m}`)
  const seeds = Number(values.seeds)
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds must be a positive integer`)
  const first = Number(values['first-seed'])
  if (!Number.isInteger(first) || first < 0)
    throw new Error(`--first-seed must be a non-negative integer`)
  await initBackend()
  const scores: RunScore[] = []
  const started = performance.now()
  for (const setName of list(values.sets)) {
    const set = loadSet(setName, Number(values.rows))
    process.stderr.write(`${setName}: ${set.n} photos cached, ${set.classes.length} classes\n`)
    for (const scenario of scenarios) {
      for (let seed = first; seed < first + seeds; seed++) {
        const lib = scenario.draw(set, seed)
        const p = await prepareLibrary(set, lib)
        const runs: RunScore[] = []
        if (modes.includes('k'))
          runs.push(scoreRun(lib, 'k', 'kmeans', await kmeansLabels(p, seed)))
        for (const mode of modes) {
          const run = await clusterLibrary(p, mode, seed)
          if (values.dump) dumped.push(overclusterDump(p, mode, run))
          runs.push(scoreRun(lib, mode, 'scan', run.labels.scan, run.seconds))
          runs.push(scoreRun(lib, mode, 'selflabel', run.labels.selflabel, run.seconds))
          runs.push(scoreRun(lib, mode, 'final', run.labels.final, run.seconds))
        }
        scores.push(...runs)
        const line = runs
          .map(
            (r) => `${r.mode}/${r.stage} ${r.acc.toFixed(3)} fix ${r.fix.toFixed(1)} g${r.groups}`,
          )
          .join('  ')
        process.stderr.write(
          `  ${setName} ${scenario.name} seed ${seed}: n=${lib.rows.length} K=${lib.k}  ${line}\n`,
        )
      }
    }
  }
  process.stderr.write(`sweep: ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  return scores
}

if (values['build-cache']) {
  for (const set of positionals.length > 0 ? positionals : [...SETS]) await buildCache(set)
} else {
  const scores = values.from
    ? list(values.from).flatMap((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as RunScore[])
    : await sweep()
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(scores))
  if (values.dump) fs.writeFileSync(values.dump, JSON.stringify(dumped))
  console.log('## Summary: mean (worst) over libraries\n')
  console.log(summaryTable(scores))
  console.log('')
  for (const mode of ['k', 'auto'])
    for (const stage of ['selflabel', 'final'] as const)
      console.log(
        `${stageDelta(
          scores.filter((r) => r.mode === mode),
          stage,
        )} (${mode})  `,
      )
  console.log('\n## Per scenario: mean ±spread over seeds (worst seed)\n')
  console.log(scenarioTable(scores))
}
