/**
 * Merge rules on the bench:quality sweep without retraining: SCAN is trained once per library
 * and mode (over-cluster labels cached in .cache/quality/overclusters.json), then every merge
 * rule in `RULES` is scored on the same over-clusters.
 * Usage: node bin/run-ts.js bench/research/merge-sweep.ts [--dump] [--seeds 3]
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { scoreGrouping } from '../../src/core/ml/metrics'
import { trainScan } from '../../src/core/ml/scan'
import { topK } from '../../src/core/ml/neighbours'
import { mergeClusters, type MergeOptions } from '../../src/core/ml/scan/merge'
import { overclusterCount } from '../../src/core/ml/scan/sizing'
import { cacheDir, loadSet, type LabelledSet } from '../quality/dataset'
import {
  libraryFeatures,
  mergeView,
  readDumps,
  type Mode,
  type OverclusterDump,
} from '../quality/cluster'
import { sweepLibraries } from '../quality/sweep'

const { values } = parseArgs({
  options: {
    dump: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '3' },
    rules: { type: 'string', default: '' },
    // Over-clusters written by `bench:quality --dump` instead of this script's --dump.
    file: { type: 'string' },
    // Merge on this many neighbours (recomputed), instead of the dumped table.
    knn: { type: 'string' },
    // Merge on the neighbours the product would use (a table dumped with all 20 columns).
    product: { type: 'boolean', default: false },
    // One line per scenario as well as per set.
    'by-scenario': { type: 'boolean', default: false },
    sets: { type: 'string' },
    // With --dump: photos per over-cluster (the product's PHOTOS_PER_OUTPUT otherwise).
    'per-output': { type: 'string' },
  },
})
const file = values.file ?? path.join(cacheDir, 'overclusters.json')

async function dump(): Promise<void> {
  await initBackend()
  const out: OverclusterDump[] = []
  for await (const { set: setName, scenario, seed, p } of sweepLibraries(Number(values.seeds))) {
    const lib = p.lib
    for (const mode of ['k', 'auto'] as Mode[]) {
      const scan = await trainScan({
        features: p.features,
        n: p.n,
        dim: p.dim,
        neighbours: p.neighbours,
        knn: p.knn,
        clusters: mode === 'k' ? lib.k : 'auto',
        seed,
        ...(values['per-output']
          ? {
              outputs: overclusterCount(
                mode === 'k' ? lib.k : 'auto',
                3,
                p.n,
                Number(values['per-output']),
              ),
            }
          : {}),
      })
      out.push({
        set: setName,
        scenario,
        seed,
        mode,
        k: lib.k,
        rows: [...lib.rows],
        truth: [...lib.labels],
        outputs: scan.outputs,
        labels: [...scan.outputLabels],
        neighbours: [...p.neighbours],
        knn: p.knn,
      })
      process.stderr.write(`${setName} ${scenario} ${seed} ${mode} n=${p.n}\n`)
    }
  }
  fs.writeFileSync(file, JSON.stringify(out))
}

type Rule = (d: OverclusterDump, features: Float32Array, dim: number) => MergeOptions

// The rules as they were before the cohesion rules (raw modularity at every target).
const LEGACY: MergeOptions = { compare: 'modularity', cohesion: 0 }

const RULES: Record<string, Rule> = {
  current: () => ({ ...LEGACY }),
  share: () => ({ rule: 'share' }),
  modularity: () => ({ rule: 'modularity' }),
  'mutual-share': () => ({ rule: 'share', mutual: true }),
  'mutual-best': () => ({ mutual: true, ...LEGACY }),
  centroid: () => ({ rule: 'centroid', threshold: 0.5 }),
  'mutual-both': () => ({ rule: 'share', mutual: true, norm: 'both' }),
  'share-both': () => ({ rule: 'share', norm: 'both' }),
  'mutual-both-best': () => ({ mutual: true, ...LEGACY, norm: 'both' }),
  'mutual-both-best90': () => ({ mutual: true, ...LEGACY, norm: 'both', tolerance: 0.9 }),
  'mutual-both-best80': () => ({ mutual: true, ...LEGACY, norm: 'both', tolerance: 0.8 }),
  'mutual-best90': () => ({ mutual: true, ...LEGACY, tolerance: 0.9 }),
  product: () => ({}),
  'cohesion-k-only': () => ({ cohesion: 0 }),
  'auto-cohesion-only': () => ({ compare: 'modularity' }),
  'size-blind': () => ({ sizeAware: 'off' }),
  'size-tiny': () => ({ sizeAware: 'tiny' }),
  'size-all': () => ({ sizeAware: 'all' }),
  'no-forced': () => ({ forcedBelow: 0 }),
  forced02: () => ({ forcedBelow: 0.02 }),
  forced01: () => ({ forcedBelow: 0.01 }),
  forced1: () => ({ forcedBelow: 0.1 }),
  forced15: () => ({ forcedBelow: 0.15 }),
  forced2: () => ({ forcedBelow: 0.2 }),
  forced3: () => ({ forcedBelow: 0.3 }),
  forced4: () => ({ forcedBelow: 0.4 }),
  forced10: () => ({ forcedBelow: 10 }),
  // At a given K, the pair joined on all links weighed from both sides: a small group's links
  // into a big one count for less than the big one's own pieces' links to each other.
  'forced-both': () => ({ norm: 'both' }),
  coh7: () => ({ cohesion: 0.7 }),
  coh75: () => ({ cohesion: 0.75 }),
  coh85: () => ({ cohesion: 0.85 }),
  coh9: () => ({ cohesion: 0.9 }),
  'old-rule': () => ({ mutual: false, ...LEGACY, tolerance: 0.95 }),
  'mutual-best70': () => ({ mutual: true, ...LEGACY, tolerance: 0.7 }),
  'mutual-best75': () => ({ mutual: true, ...LEGACY, tolerance: 0.75 }),
  'mutual-best80': () => ({ mutual: true, ...LEGACY, tolerance: 0.8 }),
}

async function evaluate(): Promise<void> {
  const dumped = readDumps(file)
  const sets = new Map<string, LabelledSet>()
  const wanted = values.rules ? values.rules.split(',') : Object.keys(RULES)
  for (const name of wanted) {
    const [base, t] = name.split(':')
    const rule: Rule = (d, f, dim) => ({
      ...RULES[base!]!(d, f, dim),
      ...(t ? { threshold: Number(t) } : {}),
    })
    const rows: {
      set: string
      mode: Mode
      acc: number
      purity: number
      fix: number
      dk: number
      ceil: number
    }[] = []
    for (const d of dumped) {
      if (values.sets && !values.sets.split(',').includes(d.set)) continue
      if (!sets.has(d.set)) sets.set(d.set, loadSet(d.set, 3000))
      const set = sets.get(d.set)!
      const features = libraryFeatures(set, Int32Array.from(d.rows))
      const labels = Int32Array.from(d.labels)
      let nb: Int32Array = Int32Array.from(d.neighbours)
      let knn = d.knn
      if (values.product) ({ knn, neighbours: nb } = mergeView(d))
      else if (values.knn) {
        const n = d.truth.length
        knn = Math.min(n - 1, Math.max(d.knn, Number(values.knn)))
        nb = (await topK(features, n, set.dim, knn)).index
      }
      const merged = mergeClusters(labels, d.outputs, nb, knn, d.mode === 'k' ? d.k : 'auto', {
        ...rule(d, features, set.dim),
        features,
        dim: set.dim,
      })
      const pred = labels.map((l) => merged.groupOf[l]!)
      const s = scoreGrouping(d.truth, pred)
      const ceil = scoreGrouping(d.truth, labels).purity
      rows.push({
        set: values['by-scenario'] ? `${d.set} ${d.scenario}` : d.set,
        mode: d.mode,
        acc: s.acc,
        purity: s.purity,
        fix: s.fixCost.per100,
        dk: merged.k - d.k,
        ceil,
      })
    }
    for (const set of [...new Set(rows.map((r) => r.set))])
      for (const mode of ['k', 'auto'] as Mode[]) {
        const r = rows.filter((x) => x.set === set && x.mode === mode)
        const m = (f: (x: (typeof r)[0]) => number) => r.reduce((a, x) => a + f(x), 0) / r.length
        const lo = (f: (x: (typeof r)[0]) => number) => Math.min(...r.map(f))
        const hi = (f: (x: (typeof r)[0]) => number) => Math.max(...r.map(f))
        console.log(
          `${name.padEnd(22)} ${set.padEnd(24)} ${mode.padEnd(4)} ACC ${m((x) => x.acc).toFixed(3)} (${lo((x) => x.acc).toFixed(3)})  purity ${m((x) => x.purity).toFixed(3)} (${lo((x) => x.purity).toFixed(3)})  fix ${m((x) => x.fix).toFixed(1)} (${hi((x) => x.fix).toFixed(1)})  dK ${m((x) => x.dk).toFixed(1)} [${lo((x) => x.dk)},${hi((x) => x.dk)}]  over-cluster purity ${m((x) => x.ceil).toFixed(3)} (${lo((x) => x.ceil).toFixed(3)})`,
        )
      }
  }
}

if (values.dump) await dump()
else await evaluate()
