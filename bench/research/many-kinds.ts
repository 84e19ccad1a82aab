/**
 * Libraries of many kinds, which no labelled set here has (caltech20 has 20, CIFAR-10 has 10).
 * 1. Scale: all 10,000 CIFAR-10 photos asked for 100 groups, and 'auto': seconds, groups and
 *    memory (CIFAR-10 has 10 kinds, so the grouping itself is not scored there).
 * 2. Over-clusters per kind: a library of 100 kinds in ~9,000 photos gets 300 over-clusters at
 *    its true K (3 per kind) and 150 in 'auto' (1.5 per kind, the cap); all of caltech20 gets
 *    150 for its 20 kinds (7.5 per kind). Here all of caltech20 runs with the product's count
 *    and with 3 and 1.5 per kind forced, at K=20 and 'auto'.
 * 3. A library of 100 kinds: 5 copies of caltech20's 20 kinds, each copy's features turned its
 *    own way about what all photos share (turnedCopies), 31–80 photos a kind like Caltech-101.
 *    Scored at K=100 and 'auto', beside the first copy alone at K=20 with the same sizes.
 * Usage: node bin/run-ts.js bench/research/many-kinds.ts [--seed S] [--skip-scale]
 *          [--skip-per-kind] [--copies 5] [--turn residual|whole]
 */
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { permutation, seededRandom } from '../../src/core/ml/random'
import { clusterLibrary, kmeansLabels, prepareLibrary } from '../quality/cluster'
import { loadSet, type LabelledSet } from '../quality/dataset'
import { buildLibrary, type Library } from '../quality/scenarios'
import { scoreRun } from '../quality/scoring'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '0' },
    'skip-scale': { type: 'boolean', default: false },
    'skip-per-kind': { type: 'boolean', default: false },
    copies: { type: 'string', default: '5' },
    // 'whole' turns every part of the features, so copies share nothing (cosine ~0): no real
    // photos do, as the backbone's features are never negative; kept as a stress test.
    turn: { type: 'string', default: 'residual' },
  },
})
const seed = Number(values.seed)
await initBackend()

/** Every photo of `set`, in one library. */
function whole(set: LabelledSet, name: string): Library {
  const classes = set.classes.map((_, i) => i)
  const all = classes.map(() => Number.MAX_SAFE_INTEGER)
  return buildLibrary(set, name, seed, classes, all, seededRandom(seed))
}

const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(2)

if (!values['skip-scale']) {
  const cifar = loadSet('cifar10-test')
  const lib = whole(cifar, 'cifar10-test')
  console.log(`Scale: cifar10-test, n=${lib.rows.length}`)
  for (const clusters of [100, 'auto'] as const) {
    const started = performance.now()
    const asked = { ...lib, k: clusters === 'auto' ? lib.k : clusters }
    const p = await prepareLibrary(cifar, asked)
    const neighbours = (performance.now() - started) / 1000
    const run = await clusterLibrary(p, clusters === 'auto' ? 'auto' : 'k', seed)
    console.log(
      `  ${String(clusters).padEnd(4)} neighbours ${neighbours.toFixed(1)} s, SCAN + self-label ${run.seconds.toFixed(1)} s, ${run.scan.outputs} over-clusters, ${new Set(run.labels.final).size} groups, RSS ${gb(process.memoryUsage().rss)} GiB`,
    )
  }
}

const caltech = loadSet('caltech20')
if (!values['skip-per-kind']) {
  const lib = whole(caltech, 'caltech20')
  const p = await prepareLibrary(caltech, lib)
  console.log(`Over-clusters per kind: caltech20, n=${lib.rows.length}, K=${lib.k}, seed ${seed}`)
  for (const perKind of [undefined, 3, 1.5]) {
    for (const mode of ['k', 'auto'] as const) {
      const run = await clusterLibrary(p, mode, seed, perKind && Math.round(perKind * lib.k))
      const per = (run.scan.outputs / lib.k).toFixed(1)
      for (const stage of ['scan', 'final'] as const) {
        const r = scoreRun(lib, mode, stage, run.labels[stage])
        console.log(
          `  ${per.padStart(4)} per kind ${mode.padEnd(4)} ${stage.padEnd(5)} ACC ${r.acc.toFixed(3)} purity ${r.purity.toFixed(3)} fix ${r.fix.toFixed(1)}/100 (${r.moves} moves, ${r.merges} merges) groups ${r.groups}`,
        )
      }
    }
  }
}

/** Unit vector of the mean feature: the part every photo shares. */
function meanDirection(set: LabelledSet): Float64Array {
  const u = new Float64Array(set.dim)
  for (let r = 0; r < set.n; r++)
    for (let d = 0; d < set.dim; d++) u[d]! += set.features[r * set.dim + d]!
  const norm = Math.hypot(...u)
  return u.map((v) => v / norm)
}

/**
 * `copies` copies of the set as one set of copies × its kinds. Copy c > 0 turns each photo by
 * its own random signed permutation of the feature axes, applied to the part of the feature
 * off the mean direction ('residual': the part along it stays, so photos of different copies
 * look as alike as photos of distinct kinds do) or to all of it ('whole'). Inside a copy,
 * cosines are kept (to ~1/dim), so its kinds are exactly as hard to tell apart as the set's.
 */
function turnedCopies(
  set: LabelledSet,
  copies: number,
  turn: string,
  random: () => number,
): LabelledSet {
  const { n, dim } = set
  const u = meanDirection(set)
  const features = new Float32Array(n * copies * dim)
  const labels = new Array<number>(n * copies)
  const y = new Float64Array(dim)
  for (let c = 0; c < copies; c++) {
    const axis = permutation(dim, random)
    const sign = Array.from(axis, () => (random() < 0.5 ? -1 : 1))
    for (let r = 0; r < n; r++) {
      const x = set.features.subarray(r * dim, (r + 1) * dim)
      const along = turn === 'whole' ? 0 : x.reduce((a, v, d) => a + v * u[d]!, 0)
      for (let d = 0; d < dim; d++)
        y[d] = c === 0 ? x[d]! : sign[d]! * (x[axis[d]!]! - along * u[axis[d]!]!)
      if (c > 0) {
        // Back onto the mean direction's complement, then the shared part added back.
        const off = y.reduce((a, v, d) => a + v * u[d]!, 0)
        for (let d = 0; d < dim; d++) y[d] = y[d]! + (along - off) * u[d]!
      }
      const norm = Math.hypot(...y)
      for (let d = 0; d < dim; d++) features[(c * n + r) * dim + d] = y[d]! / norm
      labels[c * n + r] = set.labels[r]! + c * set.classes.length
    }
  }
  const classes = Array.from({ length: copies }, (_, c) => set.classes.map((k) => `${k}#${c}`))
  return {
    ...set,
    name: `${set.name}x${copies}`,
    n: n * copies,
    features,
    labels,
    classes: classes.flat(),
  }
}

const copies = Number(values.copies)
if (copies > 0) {
  const random = seededRandom(seed + 1000)
  const set = turnedCopies(caltech, copies, values.turn, random)
  const kinds = set.classes.map((_, i) => i)
  const sizes = kinds.map(() => 31 + Math.floor(random() * 50))
  const each = caltech.classes.length
  console.log(
    `${set.classes.length} kinds: caltech20 in ${copies} copies (turned: ${values.turn}), seed ${seed}`,
  )
  for (const [name, k] of [
    ['first copy', each],
    ['all copies', kinds.length],
  ] as const) {
    const lib = buildLibrary(
      set,
      name,
      seed,
      kinds.slice(0, k),
      sizes.slice(0, k),
      seededRandom(seed),
    )
    const p = await prepareLibrary(set, lib)
    const km = scoreRun(lib, 'k', 'final', await kmeansLabels(p, seed))
    console.log(`  ${name}: n=${lib.rows.length}, K=${k}; k-means ACC ${km.acc.toFixed(3)}`)
    for (const mode of ['k', 'auto'] as const) {
      const run = await clusterLibrary(p, mode, seed)
      const r = scoreRun(lib, mode, 'final', run.labels.final)
      console.log(
        `    ${mode.padEnd(4)} ACC ${r.acc.toFixed(3)} purity ${r.purity.toFixed(3)} fix ${r.fix.toFixed(1)}/100 (${r.moves} moves, ${r.merges} merges) groups ${r.groups}, ${run.scan.outputs} over-clusters, ${run.seconds.toFixed(0)} s`,
      )
    }
  }
}
