// New kinds → Unsorted, over the quality sweep's libraries: each library (balanced, imbalanced,
// small, natural; several seeds; true K and auto) is trained without some of its classes, then
// those classes (up to 40 photos each) and 15% more photos of the known classes are added and
// assigned by the stored model, as photos imported after training are. Prints per library shape
// and overall (mean and worst case over libraries) the share of new-kind photos sent to Unsorted
// and the share of known-kind photos sent there (training outliers plus later photos), and of a
// batch of one known kind (half of the largest group) judged as if imported later, with and
// without the second signal (photos added together).
//   npm run bench:new-kinds -- [--sets caltech20,cifar10-test] [--seeds 3] [--first-seed 0]
//                              [--modes k,auto]
//                              [--scenarios balanced,small] [--rank 5] [--quantile 0.03]
//                              [--together-quantile 0.2] [--min-group 20] [--min-own 50]
//                              [--no-together] [--rows 3000]
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { topK, topKAmong } from '../../src/core/ml/neighbours'
import {
  calibrateUnsorted,
  judgeNewPhotos,
  TOGETHER,
  togetherSignal,
  UNSORTED_DEFAULTS,
  type UnsortedRule,
} from '../../src/core/ml/outliers'
import { DEFAULT_KNN } from '../../src/core/pipeline/params'
import { argmaxRows } from '../../src/core/ml/rows'
import { predictModel } from '../../src/core/pipeline/training'
import { libraryFeatures, type Mode } from './cluster'
import { loadSet, SETS, type LabelledSet } from './dataset'
import { SCENARIOS, scenarioByName } from './scenarios'
import { splitNewKinds, trainAsOrganize, type Split } from './new-kinds-split'

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: SETS.join(',') },
    seeds: { type: 'string', default: '3' },
    // First seed drawn (as in bench:quality): later seeds are libraries no rule was chosen on.
    'first-seed': { type: 'string', default: '0' },
    modes: { type: 'string', default: 'k,auto' },
    scenarios: { type: 'string', default: SCENARIOS.map((s) => s.name).join(',') },
    rank: { type: 'string', default: String(UNSORTED_DEFAULTS.rank) },
    quantile: { type: 'string', default: String(UNSORTED_DEFAULTS.quantile) },
    'together-quantile': { type: 'string', default: String(UNSORTED_DEFAULTS.togetherQuantile) },
    'min-group': { type: 'string', default: String(UNSORTED_DEFAULTS.minGroup) },
    'min-own': { type: 'string', default: String(UNSORTED_DEFAULTS.minOwn) },
    rows: { type: 'string', default: '3000' },
    // --no-together: the distance rule alone for photos added later.
    together: { type: 'boolean', default: true },
  },
  allowNegative: true,
})
const RULE = {
  rank: Number(values.rank),
  quantile: Number(values.quantile),
  togetherQuantile: Number(values['together-quantile']),
  minGroup: Number(values['min-group']),
  minOwn: Number(values['min-own']),
}
interface Outcome {
  set: string
  scenario: string
  mode: Mode
  newToUnsorted: number
  knownToUnsorted: number
  trainToUnsorted: number
  laterToUnsorted: number
  /** A batch of one known kind judged later: with the second signal, and without it. */
  oneKind: { together: number; alone: number }
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
  const clusters = mode === 'k' ? split.knownClasses : ('auto' as const)
  const { model, table, k, groupOf } = await trainAsOrganize(features, n, set.dim, clusters, seed)
  const calibrated = calibrateUnsorted(table, groupOf, k, RULE)

  const laterRows = Int32Array.from([...split.laterKnown, ...split.newKind])
  const laterFeatures = libraryFeatures(set, laterRows)
  const predicted = await predictModel(model, laterFeatures, laterRows.length)
  const laterGroup = argmaxRows(predicted.probs, laterRows.length, predicted.k)
  const judged = await judgeLater(calibrated.rule, features, groupOf, laterFeatures, laterGroup)
  const known = split.laterKnown.length
  const trainOut = calibrated.outlier.reduce((s, v) => s + v, 0)
  const laterOut = judged.subarray(0, known).reduce((s, v) => s + v, 0)
  return {
    newToUnsorted: share(judged, known, laterRows.length),
    knownToUnsorted: (trainOut + laterOut) / (n + known),
    trainToUnsorted: trainOut / n,
    laterToUnsorted: laterOut / Math.max(1, known),
    oneKind: await oneKnownKindLater(features, groupOf, k, set.dim),
  }
}

/** Judges later photos as the assign job does: against the groups and against one another. */
async function judgeLater(
  rule: UnsortedRule,
  reference: Float32Array,
  referenceGroup: Int32Array,
  later: Float32Array,
  laterGroup: Int32Array,
  together = values.together,
): Promise<Uint8Array> {
  const dim = reference.length / referenceGroup.length
  const among = await topKAmong(later, reference, dim, DEFAULT_KNN)
  const batch = await topKAmong(later, later, dim, TOGETHER.near + 1)
  const signal = together ? togetherSignal(among, batch, laterGroup, referenceGroup) : undefined
  return judgeNewPhotos(rule, among, laterGroup, referenceGroup, undefined, signal).outlier
}

/**
 * The case the second signal must not mistake for a new kind: a batch of one known kind as
 * large as its group. Every other photo of the largest group is left out of the photos the rule
 * is calibrated on, then judged as if imported later, all together; with the second signal and
 * by the distance rule alone.
 */
async function oneKnownKindLater(
  features: Float32Array,
  groupOf: Int32Array,
  k: number,
  dim: number,
): Promise<{ together: number; alone: number }> {
  const sizes = new Int32Array(k)
  for (const g of groupOf) sizes[g]!++
  const big = sizes.indexOf(Math.max(...sizes))
  let flip = 0
  const later = [...groupOf].map((g) => g === big && flip++ % 2 === 0)
  const rows = (keep: boolean) => groupOf.map((_, i) => i).filter((i) => later[i] === keep)
  const pick = (ids: Int32Array) => {
    const out = new Float32Array(ids.length * dim)
    ids.forEach((i, r) => out.set(features.subarray(i * dim, (i + 1) * dim), r * dim))
    return out
  }
  const stay = rows(false)
  const moved = rows(true)
  const reference = pick(stay)
  const referenceGroup = stay.map((i) => groupOf[i]!)
  const knn = Math.min(DEFAULT_KNN, stay.length - 1)
  const table = { k: knn, ...(await topK(reference, stay.length, dim, knn)) }
  const { rule } = calibrateUnsorted(table, referenceGroup, k, RULE)
  const laterGroup = new Int32Array(moved.length).fill(big)
  const judge = async (together: boolean) =>
    share(
      await judgeLater(rule, reference, referenceGroup, pick(moved), laterGroup, together),
      0,
      moved.length,
    )
  return { together: await judge(true), alone: await judge(false) }
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
  return `| ${label} | ${rows.length} | ${cell((o) => o.newToUnsorted, min)} | ${cell((o) => o.knownToUnsorted, max)} | ${cell((o) => o.trainToUnsorted, max)} | ${cell((o) => o.laterToUnsorted, max)} | ${cell((o) => o.oneKind.together, max)} | ${cell((o) => o.oneKind.alone, max)} |`
}

const list = (s: string) => s.split(',').filter(Boolean)
await initBackend()
const outcomes: Outcome[] = []
for (const setName of list(values.sets)) {
  const set = loadSet(setName, Number(values.rows))
  for (const scenario of list(values.scenarios).map(scenarioByName)) {
    const first = Number(values['first-seed'])
    for (let seed = first; seed < first + Number(values.seeds); seed++) {
      const split = splitNewKinds(scenario.draw(set, seed), seed)
      if (!split) continue
      for (const mode of list(values.modes) as Mode[]) {
        const o = { set: setName, scenario: scenario.name, mode }
        const result = { ...o, ...(await runNewKinds(set, split, mode, seed)) }
        outcomes.push(result)
        process.stderr.write(
          `  ${setName} ${scenario.name} seed ${seed} ${mode}: train ${split.train.length}, new ${split.newKind.length}` +
            ` → new ${pct(result.newToUnsorted)}, known ${pct(result.knownToUnsorted)},` +
            ` one known kind later ${pct(result.oneKind.together)}\n`,
        )
      }
    }
  }
}
console.log(`Rule: rank ${RULE.rank}, quantile ${RULE.quantile}. Mean (worst) over libraries.\n`)
console.log(
  '| libraries | n | new kinds → Unsorted | known kinds → Unsorted | at training | added later | one known kind added later | the same, distance rule alone |',
)
console.log('|---|---|---|---|---|---|---|---|')
const by = (key: (o: Outcome) => string) => {
  const groups = new Map<string, Outcome[]>()
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o])
  return groups
}
for (const [label, rows] of by((o) => `${o.set} ${o.scenario} ${o.mode}`))
  console.log(row(label, rows))
for (const [label, rows] of by((o) => `${o.set} (all)`)) console.log(row(`**${label}**`, rows))
console.log(row('**all**', outcomes))
