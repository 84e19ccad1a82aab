/**
 * A second signal for new kinds: photos added together that are each other's nearest
 * neighbours rather than any group's. Trains each bench:new-kinds library once (cached in
 * .cache/quality/new-kinds-runs.json), then scores candidate rules on the same runs.
 * Usage: node bin/run-ts.js bench/research/new-kinds-batch.ts [--refresh] [--seeds 3]
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { topK, topKAmong } from '../../src/core/ml/neighbours'
import { calibrateUnsorted, judgeNewPhotos } from '../../src/core/ml/outliers'
import { DEFAULT_KNN } from '../../src/core/pipeline/params'
import { argmaxRows } from '../../src/core/ml/rows'
import { predictModel } from '../../src/core/pipeline/training'
import { libraryFeatures, type Mode } from '../quality/cluster'
import { cacheDir, loadSet, SETS, type LabelledSet } from '../quality/dataset'
import { SCENARIOS } from '../quality/scenarios'
import { splitNewKinds, trainAsOrganize } from '../quality/new-kinds-split'

const { values } = parseArgs({
  options: {
    refresh: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '3' },
  },
})
const file = path.join(cacheDir, 'new-kinds-runs.json')

interface Run {
  set: string
  scenario: string
  seed: number
  mode: Mode
  train: number[]
  later: number[]
  known: number
  groupOf: number[]
  laterGroup: number[]
  k: number
}

async function trainAll(): Promise<Run[]> {
  await initBackend()
  const runs: Run[] = []
  for (const setName of SETS) {
    const set = loadSet(setName, 3000)
    for (const scenario of SCENARIOS)
      for (let seed = 0; seed < Number(values.seeds); seed++) {
        const split = splitNewKinds(scenario.draw(set, seed), seed)
        if (!split) continue
        for (const mode of ['k', 'auto'] as Mode[]) {
          const n = split.train.length
          const features = libraryFeatures(set, split.train)
          const clusters = mode === 'k' ? split.knownClasses : ('auto' as const)
          const trained = await trainAsOrganize(features, n, set.dim, clusters, seed)
          const later = [...split.laterKnown, ...split.newKind]
          const predicted = await predictModel(
            trained.model,
            libraryFeatures(set, Int32Array.from(later)),
            later.length,
          )
          runs.push({
            set: setName,
            scenario: scenario.name,
            seed,
            mode,
            train: [...split.train],
            later,
            known: split.laterKnown.length,
            groupOf: [...trained.groupOf],
            laterGroup: [...argmaxRows(predicted.probs, later.length, predicted.k)],
            k: trained.k,
          })
          process.stderr.write(`${setName} ${scenario.name} ${seed} ${mode}\n`)
        }
      }
  }
  fs.writeFileSync(file, JSON.stringify(runs))
  return runs
}

/**
 * Per later photo: the distance rule's verdict at two quantiles, its batch share (the share of
 * its `near` nearest photos, itself left out, that arrived with it) and the batch share its
 * group would give if the batch were drawn like the reference photos.
 */
async function signals(
  train: Float32Array,
  groupOf: Int32Array,
  later: Float32Array,
  laterGroup: Int32Array,
  k: number,
  dim: number,
  loose: number,
  near: number,
) {
  const n = groupOf.length
  const m = laterGroup.length
  const knn = Math.min(DEFAULT_KNN, n - 1)
  const table = { k: knn, ...(await topK(train, n, dim, knn)) }
  const among = await topKAmong(later, train, dim, DEFAULT_KNN)
  const strict = calibrateUnsorted(table, groupOf, k, { quantile: 0.02 })
  const looser = calibrateUnsorted(table, groupOf, k, { quantile: loose })
  const base = judgeNewPhotos(strict.rule, among, laterGroup, groupOf).outlier
  const far = judgeNewPhotos(looser.rule, among, laterGroup, groupOf).outlier
  const all = new Float32Array((n + m) * dim)
  all.set(train)
  all.set(later, n * dim)
  const pool = await topKAmong(later, all, dim, near + 1)
  const batchShare = new Float32Array(m)
  for (let i = 0; i < m; i++) {
    let count = 0
    let seen = 0
    for (let t = 0; t < pool.k && seen < near; t++) {
      const j = pool.index[i * pool.k + t]!
      if (j === n + i) continue
      seen++
      if (j >= n) count++
    }
    batchShare[i] = count / near
  }
  const inGroup = new Float64Array(k)
  const laterIn = new Float64Array(k)
  for (const g of groupOf) inGroup[g]!++
  for (const g of laterGroup) laterIn[g]!++
  const expected = Float32Array.from(laterGroup, (g) => laterIn[g]! / (laterIn[g]! + inGroup[g]!))
  return { base, far, batchShare, expected }
}

type Verdict = (s: Awaited<ReturnType<typeof signals>>, i: number) => boolean
const RULES: Record<string, Verdict> = {}
for (const loose of [0.1, 0.2])
  for (const share of [0.6, 0.7]) {
    RULES[`loose ${loose} share ≥ ${share}`] = (s, i) =>
      !!s.base[i] || (!!s.far[i] && s.batchShare[i]! >= share)
    RULES[`loose ${loose} excess ≥ ${share}`] = (s, i) =>
      !!s.base[i] ||
      (!!s.far[i] && s.batchShare[i]! - s.expected[i]! >= share * (1 - s.expected[i]!))
  }
RULES['distance only'] = (s, i) => !!s.base[i]

const runs =
  values.refresh || !fs.existsSync(file)
    ? await trainAll()
    : (JSON.parse(fs.readFileSync(file, 'utf8')) as Run[])
await initBackend()
const sets = new Map<string, LabelledSet>()
const NEAR = 10
const rows: { rule: string; set: string; newOut: number; knownOut: number; sameOut: number }[] = []
for (const r of runs) {
  if (!sets.has(r.set)) sets.set(r.set, loadSet(r.set, 3000))
  const set = sets.get(r.set)!
  const train = libraryFeatures(set, Int32Array.from(r.train))
  const groupOf = Int32Array.from(r.groupOf)
  const later = libraryFeatures(set, Int32Array.from(r.later))
  // A batch of one known kind: half of the largest group's photos arrive later.
  const sizes = new Int32Array(r.k)
  for (const g of groupOf) sizes[g]!++
  const big = sizes.indexOf(Math.max(...sizes))
  let flip = 0
  const moved = [...groupOf].map((g) => g === big && flip++ % 2 === 0)
  const keep = r.train.filter((_, i) => !moved[i])
  const away = r.train.filter((_, i) => moved[i])
  for (const loose of [0.1, 0.2]) {
    const s = await signals(
      train,
      groupOf,
      later,
      Int32Array.from(r.laterGroup),
      r.k,
      set.dim,
      loose,
      NEAR,
    )
    const same = await signals(
      libraryFeatures(set, Int32Array.from(keep)),
      Int32Array.from(groupOf.filter((_, i) => !moved[i])),
      libraryFeatures(set, Int32Array.from(away)),
      new Int32Array(away.length).fill(big),
      r.k,
      set.dim,
      loose,
      NEAR,
    )
    for (const [name, verdict] of Object.entries(RULES)) {
      if (!name.startsWith(`loose ${loose}`) && !(name === 'distance only' && loose === 0.1))
        continue
      const count = (x: typeof s, from: number, to: number) => {
        let c = 0
        for (let i = from; i < to; i++) if (verdict(x, i)) c++
        return c / Math.max(1, to - from)
      }
      rows.push({
        rule: name,
        set: r.set,
        newOut: count(s, r.known, r.later.length),
        knownOut: count(s, 0, r.known),
        sameOut: count(same, 0, away.length),
      })
    }
  }
}
const pct = (v: number) => `${(100 * v).toFixed(1)}%`
for (const rule of Object.keys(RULES))
  for (const set of SETS) {
    const x = rows.filter((o) => o.set === set && o.rule === rule)
    const mean = (f: (o: (typeof x)[0]) => number) => x.reduce((a, o) => a + f(o), 0) / x.length
    const worst = (f: (o: (typeof x)[0]) => number, pick: (...v: number[]) => number) =>
      pick(...x.map(f))
    console.log(
      `${rule.padEnd(22)} ${set.padEnd(13)} new ${pct(mean((o) => o.newOut))} (${pct(worst((o) => o.newOut, Math.min))})` +
        `  later known ${pct(mean((o) => o.knownOut))} (${pct(worst((o) => o.knownOut, Math.max))})` +
        `  batch of one known kind ${pct(mean((o) => o.sameOut))} (${pct(worst((o) => o.sameOut, Math.max))})`,
    )
  }
