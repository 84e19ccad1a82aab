// New kinds → Unsorted, over the quality sweep's libraries: each library (balanced, imbalanced,
// small, natural; several seeds; true K and auto) is trained without some of its classes, then
// those classes (up to 40 photos each) and 15% more photos of the known classes are added and
// assigned by the stored model, as photos imported after training are. Prints per library shape
// and overall (mean and worst case over libraries) the share of new-kind photos sent to Unsorted
// and the share of known-kind photos sent there (training outliers plus later photos).
//   npm run bench:new-kinds -- [--sets caltech20,cifar10-test] [--seeds 3] [--modes k,auto]
//                              [--rank 5] [--quantile 0.03] [--rows 3000]
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { topK, topKAmong } from '../../src/core/ml/neighbours'
import { calibrateUnsorted, judgeNewPhotos, UNSORTED_DEFAULTS } from '../../src/core/ml/outliers'
import { DEFAULT_KNN } from '../../src/core/pipeline/params'
import { argmaxRows } from '../../src/core/ml/rows'
import { predictModel, trainScanStage, trainSelfLabelStage } from '../../src/core/pipeline/training'
import { libraryFeatures, type Mode } from './cluster'
import { loadSet, SETS, type LabelledSet } from './dataset'
import { SCENARIOS } from './scenarios'
import { splitNewKinds, type Split } from './new-kinds-split'

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: SETS.join(',') },
    seeds: { type: 'string', default: '3' },
    modes: { type: 'string', default: 'k,auto' },
    rank: { type: 'string', default: String(UNSORTED_DEFAULTS.rank) },
    quantile: { type: 'string', default: String(UNSORTED_DEFAULTS.quantile) },
    rows: { type: 'string', default: '3000' },
  },
})
const RULE = { rank: Number(values.rank), quantile: Number(values.quantile) }
interface Outcome {
  set: string
  scenario: string
  mode: Mode
  newToUnsorted: number
  knownToUnsorted: number
  trainToUnsorted: number
  laterToUnsorted: number
}

const share = (flags: Uint8Array, from: number, to: number) =>
  flags.subarray(from, to).reduce((s, v) => s + v, 0) / Math.max(1, to - from)

/** Trains on the split's training photos as organize does, then assigns the later ones. */
export async function runNewKinds(
  set: LabelledSet,
  split: Split,
  mode: Mode,
  seed: number,
): Promise<Omit<Outcome, 'set' | 'scenario' | 'mode'>> {
  const n = split.train.length
  const features = libraryFeatures(set, split.train)
  const knn = Math.min(DEFAULT_KNN, n - 1)
  const table = { k: knn, ...(await topK(features, n, set.dim, knn)) }
  const input = {
    features,
    n,
    dim: set.dim,
    views: [],
    neighbours: table.index,
    knn,
    clusters: mode === 'k' ? split.knownClasses : ('auto' as const),
    seed,
  }
  const scan = await trainScanStage(input)
  const model = (await trainSelfLabelStage(input, scan.checkpoint)).checkpoint
  const trained = await predictModel(model, features, n)
  const groupOf = argmaxRows(trained.probs, n, trained.k)
  const calibrated = calibrateUnsorted(table, groupOf, trained.k, RULE)

  const laterRows = Int32Array.from([...split.laterKnown, ...split.newKind])
  const laterFeatures = libraryFeatures(set, laterRows)
  const predicted = await predictModel(model, laterFeatures, laterRows.length)
  const laterGroup = argmaxRows(predicted.probs, laterRows.length, predicted.k)
  const among = await topKAmong(laterFeatures, features, set.dim, DEFAULT_KNN)
  const judged = judgeNewPhotos(calibrated.rule, among, laterGroup, groupOf).outlier
  const known = split.laterKnown.length
  const trainOut = calibrated.outlier.reduce((s, v) => s + v, 0)
  const laterOut = judged.subarray(0, known).reduce((s, v) => s + v, 0)
  return {
    newToUnsorted: share(judged, known, laterRows.length),
    knownToUnsorted: (trainOut + laterOut) / (n + known),
    trainToUnsorted: trainOut / n,
    laterToUnsorted: laterOut / Math.max(1, known),
  }
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`
const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / Math.max(1, xs.length)

function row(label: string, rows: Outcome[]): string {
  const cell = (f: (o: Outcome) => number, worst: (xs: number[]) => number) => {
    const xs = rows.map(f)
    return `${pct(mean(xs))} (${pct(worst(xs))})`
  }
  const min = (xs: number[]) => Math.min(...xs)
  const max = (xs: number[]) => Math.max(...xs)
  return `| ${label} | ${rows.length} | ${cell((o) => o.newToUnsorted, min)} | ${cell((o) => o.knownToUnsorted, max)} | ${cell((o) => o.trainToUnsorted, max)} | ${cell((o) => o.laterToUnsorted, max)} |`
}

const list = (s: string) => s.split(',').filter(Boolean)
await initBackend()
const outcomes: Outcome[] = []
for (const setName of list(values.sets)) {
  const set = loadSet(setName, Number(values.rows))
  for (const scenario of SCENARIOS) {
    for (let seed = 0; seed < Number(values.seeds); seed++) {
      const split = splitNewKinds(scenario.draw(set, seed), seed)
      if (!split) continue
      for (const mode of list(values.modes) as Mode[]) {
        const o = { set: setName, scenario: scenario.name, mode }
        const result = { ...o, ...(await runNewKinds(set, split, mode, seed)) }
        outcomes.push(result)
        process.stderr.write(
          `  ${setName} ${scenario.name} seed ${seed} ${mode}: train ${split.train.length}, new ${split.newKind.length}` +
            ` → new ${pct(result.newToUnsorted)}, known ${pct(result.knownToUnsorted)}\n`,
        )
      }
    }
  }
}
console.log(`Rule: rank ${RULE.rank}, quantile ${RULE.quantile}. Mean (worst) over libraries.\n`)
console.log(
  '| libraries | n | new kinds → Unsorted | known kinds → Unsorted | at training | added later |',
)
console.log('|---|---|---|---|---|---|')
const by = (key: (o: Outcome) => string) => {
  const groups = new Map<string, Outcome[]>()
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o])
  return groups
}
for (const [label, rows] of by((o) => `${o.set} ${o.scenario} ${o.mode}`))
  console.log(row(label, rows))
for (const [label, rows] of by((o) => `${o.set} (all)`)) console.log(row(`**${label}**`, rows))
console.log(row('**all**', outcomes))
