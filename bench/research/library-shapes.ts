/**
 * Shapes of personal libraries the labelled sets do not have, made from them:
 * - two-domains: caltech20 photos beside CIFAR-10's 32×32 ones (a folder of tiny pictures):
 *   does 'auto' still keep caltech20's kinds apart?
 * - bursts: a share of a caltech20 library's photos shot in bursts, each with `extra` near-copies
 *   moved along the kind's own variation (the difference of two photos of the kind), cosine
 *   ~.93 to their photo, shot a second apart (other photos a minute apart). Also as organize
 *   trains: on one photo per burst (src/core/ml/bursts: capture times and looks), then every
 *   photo grouped with that model.
 * - collapse-sweep: training on one photo per set of photos linked at cosine ≥ --collapse, with
 *   no capture times, on the sweep's caltech20 libraries ('auto'), beside as is. With --series S,
 *   instead as organize trains when every kind was shot as a series, a photo every S seconds.
 * Usage: node bin/run-ts.js bench/research/library-shapes.ts [--only two-domains|bursts|collapse-sweep]
 *          [--seeds 3] [--share 0.2,0.4] [--collapse 0.9]
 */
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { scoreGrouping } from '../../src/core/ml/metrics'
import { seededRandom } from '../../src/core/ml/random'
import { normaliseRows } from '../../src/core/ml/rows'
import { burstLeaders } from '../../src/core/ml/bursts'
import { assignments } from '../../src/core/ml/scan'
import { clusterLibrary, prepareLibrary, type PreparedLibrary } from '../quality/cluster'
import { loadSet, type LabelledSet } from '../quality/dataset'
import { buildLibrary, SCENARIOS, subLibrary } from '../quality/scenarios'
import { scoreRun } from '../quality/scoring'

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seeds: { type: 'string', default: '3' },
    share: { type: 'string', default: '0.2,0.4' },
    extra: { type: 'string', default: '4' },
    collapse: { type: 'string', default: '0.9' },
    series: { type: 'string' },
  },
})
const seeds = Number(values.seeds)
const collapseAt = Number(values.collapse)
const runs = (name: string) => values.only === undefined || values.only === name
await initBackend()
const caltech = loadSet('caltech20')

/** One set made of several, kinds numbered one set after another. */
function joined(name: string, sets: LabelledSet[]): LabelledSet {
  let offset = 0
  const labels: number[] = []
  for (const set of sets) {
    for (const l of set.labels) labels.push(l + offset)
    offset += set.classes.length
  }
  const features = new Float32Array(sets.reduce((a, s) => a + s.features.length, 0))
  let at = 0
  for (const set of sets) {
    features.set(set.features, at)
    at += set.features.length
  }
  return {
    ...sets[0]!,
    name,
    n: labels.length,
    features,
    labels,
    classes: sets.flatMap((s) => s.classes),
  }
}

const line = (r: {
  groups: number
  acc: number
  purity: number
  fix: number
  moves: number
  merges: number
}) =>
  `${r.groups} groups, ACC ${r.acc.toFixed(3)}, purity ${r.purity.toFixed(3)}, fix ${r.fix.toFixed(1)} (${r.moves} moves, ${r.merges} merges)`

if (runs('two-domains')) {
  const both = joined('caltech20+cifar10', [caltech, loadSet('cifar10-test', 3000)])
  const kinds = both.classes.map((_, i) => i)
  console.log('Two domains: 60 photos of each caltech20 kind, 100 of each CIFAR-10 kind')
  for (let seed = 0; seed < seeds; seed++) {
    const sizes = kinds.map((k) => (k < 20 ? 60 : 100))
    const alone = buildLibrary(
      both,
      'caltech20 alone',
      seed,
      kinds.slice(0, 20),
      sizes,
      seededRandom(seed),
    )
    const mixed = buildLibrary(both, 'with CIFAR-10', seed, kinds, sizes, seededRandom(seed))
    for (const lib of [alone, mixed]) {
      const run = await clusterLibrary(await prepareLibrary(both, lib), 'auto', seed)
      const photos = [...lib.labels.keys()].filter((i) => lib.labels[i]! < 20)
      const s = scoreGrouping(
        photos.map((i) => lib.labels[i]!),
        photos.map((i) => run.labels.final[i]!),
      )
      const groups = new Set(photos.map((i) => run.labels.final[i]!)).size
      console.log(
        `  seed ${seed} ${lib.scenario.padEnd(15)} n=${lib.rows.length}: its caltech20 photos in ${groups} groups, purity ${s.purity.toFixed(3)}, fix ${s.fixCost.per100.toFixed(1)} (${s.fixCost.moves} moves, ${s.fixCost.merges} merges)`,
      )
    }
  }
}

/** For each photo, the first photo of its set of photos linked at cosine ≥ `at` (kNN table). */
function linkedAlike(p: PreparedLibrary, at: number): Int32Array {
  const { n, dim, features, neighbours, knn } = p
  const parent = Int32Array.from({ length: n }, (_, i) => i)
  const root = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!
    return x
  }
  for (let i = 0; i < n; i++)
    for (let c = 0; c < knn; c++) {
      const j = neighbours[i * knn + c]!
      let dot = 0
      for (let d = 0; d < dim; d++) dot += features[i * dim + d]! * features[j * dim + d]!
      const [a, b] = [root(i), root(j)]
      if (dot >= at && a !== b) parent[Math.max(a, b)] = Math.min(a, b)
    }
  return parent.map((_, i) => root(i))
}

/**
 * Trains on the photos that lead their set (`leaders[i] === i`; a library of `set`), then
 * groups every photo with the trained model.
 */
async function leadersRun(
  set: LabelledSet,
  p: PreparedLibrary,
  mode: 'k' | 'auto',
  seed: number,
  leaders: Int32Array,
) {
  const kept = [...leaders.keys()].filter((i) => leaders[i] === i)
  const q = await prepareLibrary(set, subLibrary(p.lib, kept))
  const run = await clusterLibrary(q, mode, seed)
  return {
    kept: kept.length,
    labels: assignments(run.selflabel.model.predict(p.features, p.n), p.n).labels,
  }
}

/** The set with `extra` near-copies of every photo after it, moved along its kind's variation. */
function withNearCopies(set: LabelledSet, extra: number, seed: number): LabelledSet {
  const random = seededRandom(seed + 7)
  const { n, dim } = set
  const byKind: number[][] = set.classes.map(() => [])
  set.labels.forEach((l, i) => byKind[l]!.push(i))
  // Photos of one kind are ~.62 alike, so |y − z|² ≈ .76 and this step gives a cosine of ~.93.
  const step = Math.sqrt((1 / 0.93 ** 2 - 1) / 0.76)
  const features = new Float32Array(n * (1 + extra) * dim)
  features.set(set.features)
  for (let e = 1; e <= extra; e++)
    for (let r = 0; r < n; r++) {
      const mates = byKind[set.labels[r]!]!
      const [y, z] = [0, 0].map(() => mates[Math.floor(random() * mates.length)]!)
      const at = (e * n + r) * dim
      for (let d = 0; d < dim; d++)
        features[at + d] =
          set.features[r * dim + d]! +
          step * (set.features[y! * dim + d]! - set.features[z! * dim + d]!)
    }
  normaliseRows(features.subarray(n * dim), dim)
  const labels = Array.from({ length: n * (1 + extra) }, (_, i) => set.labels[i % n]!)
  return { ...set, name: `${set.name}+bursts`, n: labels.length, features, labels }
}

if (runs('bursts')) {
  const extra = Number(values.extra)
  const set = withNearCopies(caltech, extra, 0)
  // Capture times: a photo's near-copies a second after it and after one another, photos a
  // minute apart (row r of the set is copy ⌊r/n⌋ of photo r mod n).
  const shotAt = (rows: Int32Array) =>
    [...rows].map((r) => (r % caltech.n) * 60_000 + Math.floor(r / caltech.n) * 1000)
  console.log(`Bursts: 10 caltech20 kinds × 40 photos; a share of them with ${extra} near-copies`)
  for (let seed = 0; seed < seeds; seed++) {
    const random = seededRandom(seed + 11)
    const kinds = [...Array(20).keys()].sort(() => random() - 0.5).slice(0, 10)
    // Drawn from the photos themselves: their near-copies are the rows of `set` past them.
    const plain = buildLibrary(
      caltech,
      'no bursts',
      seed,
      kinds,
      kinds.map(() => 40),
      seededRandom(seed),
    )
    const libraries = [plain]
    for (const share of values.share.split(',').map(Number)) {
      const rows: number[] = []
      const labels: number[] = []
      plain.rows.forEach((r, i) => {
        const copies = random() < share ? extra : 0
        for (let e = 0; e <= copies; e++) {
          rows.push(e * caltech.n + r)
          labels.push(plain.labels[i]!)
        }
      })
      libraries.push({
        ...plain,
        scenario: `bursts ${share}`,
        rows: Int32Array.from(rows),
        labels: Int32Array.from(labels),
      })
    }
    for (const lib of libraries) {
      const p = await prepareLibrary(set, lib)
      for (const mode of ['auto', 'k'] as const) {
        const r = scoreRun(lib, mode, 'final', (await clusterLibrary(p, mode, seed)).labels.final)
        const c = await leadersRun(
          set,
          p,
          mode,
          seed,
          burstLeaders(shotAt(lib.rows), p.features, p.dim),
        )
        const rc = scoreRun(lib, mode, 'final', c.labels)
        console.log(
          `  seed ${seed} ${lib.scenario.padEnd(11)} ${mode.padEnd(4)} n=${lib.rows.length}: ${line(r)}`,
        )
        console.log(`    trained on ${c.kept}, one per burst: ${line(rc)}`)
      }
    }
  }
}

/** Capture times when each kind was shot in one go, a photo every `seconds`, kinds a day apart. */
function seriesTimes(labels: Int32Array, seconds: number): number[] {
  const shot = new Map<number, number>()
  return [...labels].map((l) => {
    const j = shot.get(l) ?? 0
    shot.set(l, j + 1)
    return l * 86_400_000 + j * seconds * 1000
  })
}

if (runs('collapse-sweep')) {
  const set = loadSet('caltech20', 3000)
  console.log(
    `The sweep's caltech20 libraries, 'auto': as is, and trained on one photo per ${values.series ? `burst (every kind a series, a photo every ${values.series} s)` : `set at ${collapseAt}`}`,
  )
  const fixes: [number[], number[]] = [[], []]
  for (const scenario of SCENARIOS.filter((s) => s.name !== 'large'))
    for (let seed = 0; seed < seeds; seed++) {
      const lib = scenario.draw(set, seed)
      const p = await prepareLibrary(set, lib)
      const r = scoreRun(lib, 'auto', 'final', (await clusterLibrary(p, 'auto', seed)).labels.final)
      const leaders = values.series
        ? burstLeaders(seriesTimes(lib.labels, Number(values.series)), p.features, p.dim)
        : linkedAlike(p, collapseAt)
      const c = await leadersRun(set, p, 'auto', seed, leaders)
      const rc = scoreRun(lib, 'auto', 'final', c.labels)
      fixes[0].push(r.fix)
      fixes[1].push(rc.fix)
      console.log(
        `  ${scenario.name} ${seed} n=${lib.rows.length}, K=${lib.k}: ${line(r)} | trained on ${c.kept}: ${line(rc)}`,
      )
    }
  const stat = (v: number[]) =>
    `${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2)} (${Math.max(...v).toFixed(1)})`
  console.log(
    `  fix mean (worst): as is ${stat(fixes[0])}, trained on one photo per set ${stat(fixes[1])}`,
  )
}
