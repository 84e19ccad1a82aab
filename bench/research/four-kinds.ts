/**
 * Imbalanced libraries of four kinds, many draws: one kind of 150 photos or more holds 50–80%
 * of the library (at most 800 photos of it), three other kinds share the rest unevenly (at least
 * 15 photos each, at most what the set has). The shape of a person's first big folder beside a
 * few small ones. Prints k-means and the final model at the true K (ACC, fix per 100) and 'auto'
 * (groups, purity, fix per 100) for each draw, then the mean and worst of each.
 * Usage: node bin/run-ts.js bench/research/four-kinds.ts [--set caltech20] [--seeds 12]
 *          [--first-seed 0]
 */
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { seededRandom } from '../../src/core/ml/random'
import { clusterLibrary, kmeansLabels, prepareLibrary } from '../quality/cluster'
import { loadSet, type LabelledSet } from '../quality/dataset'
import { buildLibrary, classSizes, shuffled, type Library } from '../quality/scenarios'
import { scoreRun, type RunScore } from '../quality/scoring'

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'caltech20' },
    seeds: { type: 'string', default: '12' },
    'first-seed': { type: 'string', default: '0' },
  },
})

/** One draw: the big kind first, then three others, in the set's photos for `seed`. */
function drawFourKinds(set: LabelledSet, seed: number): Library {
  const random = seededRandom(9000 + seed)
  const sizes = classSizes(set)
  const order = shuffled(
    set.classes.map((_, i) => i),
    random,
  )
  const big = order.find((c) => sizes[c]! >= 150)
  if (big === undefined) throw new Error(`${set.name} has no kind of 150 photos or more`)
  const others = order.filter((c) => c !== big).slice(0, 3)
  const share = 0.5 + 0.3 * random()
  const bigCount = Math.min(sizes[big]!, 150 + Math.floor(random() * 650))
  const rest = (bigCount / share - bigCount) / others.length
  const counts = others.map((c) =>
    Math.min(sizes[c]!, Math.max(15, Math.round(rest * (0.5 + random())))),
  )
  return buildLibrary(set, 'four-kinds', seed, [big, ...others], [bigCount, ...counts], random)
}

function summary(label: string, scores: RunScore[], field: 'acc' | 'purity' | 'fix'): string {
  const v = scores.map((s) => s[field])
  const mean = v.reduce((a, x) => a + x, 0) / v.length
  const worst = field === 'fix' ? Math.max(...v) : Math.min(...v)
  const digits = field === 'fix' ? 2 : 3
  return `${label} ${mean.toFixed(digits)} (worst ${worst.toFixed(digits)})`
}

await initBackend()
const set = loadSet(values.set)
const first = Number(values['first-seed'])
const kmeans: RunScore[] = []
const known: RunScore[] = []
const auto: RunScore[] = []
for (let seed = first; seed < first + Number(values.seeds); seed++) {
  const lib = drawFourKinds(set, seed)
  const p = await prepareLibrary(set, lib)
  const km = scoreRun(lib, 'k', 'kmeans', await kmeansLabels(p, seed))
  const k = scoreRun(lib, 'k', 'final', (await clusterLibrary(p, 'k', seed)).labels.final)
  const a = scoreRun(lib, 'auto', 'final', (await clusterLibrary(p, 'auto', seed)).labels.final)
  kmeans.push(km)
  known.push(k)
  auto.push(a)
  const counts = lib.classes.map((c, j) => `${c} ${lib.labels.filter((l) => l === j).length}`)
  console.log(
    `${seed} ${counts.join(', ')}: k-means ${km.acc.toFixed(3)} | K ACC ${k.acc.toFixed(3)} ` +
      `fix ${k.fix.toFixed(1)} | auto ${a.groups} groups, purity ${a.purity.toFixed(3)}, ` +
      `fix ${a.fix.toFixed(1)}`,
  )
}
console.log(
  `${known.length} libraries: ${summary('k-means ACC', kmeans, 'acc')}; ` +
    `${summary('K ACC', known, 'acc')}, ${summary('fix', known, 'fix')}; ` +
    `${summary('auto purity', auto, 'purity')}, ${summary('fix', auto, 'fix')}`,
)
