// New kinds of photo → Unsorted: libraries are trained without some of their classes, then
// those classes (and a few more photos of the known ones) are added and assigned by the stored
// model, as photos imported after training are. Prints, per library shape and summed up (mean
// and worst case over libraries), the share of new-kind photos sent to Unsorted and the share
// of known-kind photos sent there (training outliers and later photos).
// Embeddings come from the quality benchmark's cache (KINDRED_QUALITY_CACHE, <set>.f32/.json).
// Usage: node ./bin/run-ts.js bench/new-kinds.ts [--seeds N] [--rank R] [--quantile Q] [--quick]
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { initBackend } from '../src/core/ml/backend'
import { seededRandom, permutation } from '../src/core/ml/kmeans/random'
import { topK, topKAmong } from '../src/core/ml/neighbours'
import { calibrateUnsorted, judgeNewPhotos, UNSORTED_DEFAULTS } from '../src/core/ml/outliers'
import {
  argmaxRows,
  predictModel,
  trainScanStage,
  trainSelfLabelStage,
} from '../src/core/pipeline/training'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cacheDir = path.resolve(
  process.env.KINDRED_QUALITY_CACHE ?? path.join(root, '.cache', 'quality'),
)
const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const SEEDS = option('--seeds', 3)
const RANK = option('--rank', UNSORTED_DEFAULTS.rank)
const QUANTILE = option('--quantile', UNSORTED_DEFAULTS.quantile)
const KNN = 20

interface LabelledSet {
  name: string
  dim: number
  features: Float32Array
  labels: number[]
  classes: string[]
}

function loadSet(name: string): LabelledSet | null {
  const meta = path.join(cacheDir, `${name}.json`)
  const rows = path.join(cacheDir, `${name}.f32`)
  if (!fs.existsSync(meta) || !fs.existsSync(rows)) return null
  const m = JSON.parse(fs.readFileSync(meta, 'utf8')) as {
    dim: number
    labels: number[]
    classes: string[]
  }
  const bytes = fs.readFileSync(rows)
  const n = Math.min(m.labels.length, Math.floor(bytes.byteLength / (4 * m.dim)))
  const features = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + n * m.dim * 4),
  )
  return { name, dim: m.dim, features, labels: m.labels.slice(0, n), classes: m.classes }
}

/** A library shape: how many classes, how many of them arrive later, sizes, and K. */
interface Shape {
  name: string
  classes: number
  newKinds: number
  /** Known photos in the library (before the later ones are split off). */
  photos: number
  /** Share of the largest known class (null: balanced). */
  dominant: number | null
  clusters: 'true' | 'auto'
  /** New-kind photos added per new class. */
  perNewClass: number
}

const SHAPES: Shape[] = [
  {
    name: '4 cl, 1 new, 200',
    classes: 4,
    newKinds: 1,
    photos: 200,
    dominant: null,
    clusters: 'true',
    perNewClass: 20,
  },
  {
    name: '6 cl, 2 new, 400 imbal',
    classes: 6,
    newKinds: 2,
    photos: 400,
    dominant: 0.55,
    clusters: 'true',
    perNewClass: 20,
  },
  {
    name: '8 cl, 2 new, 600 auto',
    classes: 8,
    newKinds: 2,
    photos: 600,
    dominant: null,
    clusters: 'auto',
    perNewClass: 30,
  },
  {
    name: '10 cl, 3 new, 800',
    classes: 10,
    newKinds: 3,
    photos: 800,
    dominant: null,
    clusters: 'true',
    perNewClass: 30,
  },
  {
    name: '12 cl, 3 new, 1000 imbal auto',
    classes: 12,
    newKinds: 3,
    photos: 1000,
    dominant: 0.45,
    clusters: 'auto',
    perNewClass: 20,
  },
  {
    name: '3 cl, 1 new, 60 small',
    classes: 3,
    newKinds: 1,
    photos: 60,
    dominant: null,
    clusters: 'true',
    perNewClass: 15,
  },
]

function pickRows(set: LabelledSet, cls: number, count: number, random: () => number): number[] {
  const rows = set.labels.flatMap((l, i) => (l === cls ? [i] : []))
  const order = permutation(rows.length, random)
  return Array.from(order.subarray(0, Math.min(count, rows.length)), (j) => rows[j]!)
}

function gather(set: LabelledSet, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * set.dim)
  rows.forEach((r, i) =>
    out.set(set.features.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim),
  )
  return out
}

interface Outcome {
  newToUnsorted: number
  knownToUnsorted: number
  knownTrain: number
  knownLater: number
  groups: number
}

async function runLibrary(set: LabelledSet, shape: Shape, seed: number): Promise<Outcome | null> {
  const random = seededRandom(1000 * seed + shape.classes * 7 + shape.photos)
  if (shape.classes > set.classes.length) return null
  const classes = Array.from(permutation(set.classes.length, random).subarray(0, shape.classes))
  const known = classes.slice(shape.newKinds)
  const fresh = classes.slice(0, shape.newKinds)
  const share = known.map((_, i) =>
    shape.dominant === null
      ? 1 / known.length
      : i === 0
        ? shape.dominant
        : (1 - shape.dominant) / (known.length - 1),
  )
  const knownRows = known.flatMap((c, i) =>
    pickRows(set, c, Math.max(3, Math.round(shape.photos * share[i]!)), random),
  )
  // 15% of the known photos arrive later, with the new kinds.
  const order = permutation(knownRows.length, random)
  const laterCount = Math.round(knownRows.length * 0.15)
  const later = Array.from(order.subarray(0, laterCount), (j) => knownRows[j]!)
  const train = Array.from(order.subarray(laterCount), (j) => knownRows[j]!)
  const newRows = fresh.flatMap((c) => pickRows(set, c, shape.perNewClass, random))

  const n = train.length
  const features = gather(set, train)
  const k = Math.min(KNN, n - 1)
  const nb = await topK(features, n, set.dim, k)
  const input = {
    features,
    n,
    dim: set.dim,
    views: [],
    neighbours: nb.index,
    knn: k,
    clusters: shape.clusters === 'auto' ? ('auto' as const) : known.length,
    seed,
  }
  const scan = await trainScanStage(input)
  const model = await trainSelfLabelStage(input, scan.checkpoint)
  const trained = await predictModel(model.checkpoint, features, n)
  const groupOf = argmaxRows(trained.probs, n, trained.k)
  const calibrated = calibrateUnsorted({ k, index: nb.index, sim: nb.sim }, groupOf, trained.k, {
    rank: RANK,
    quantile: QUANTILE,
  })

  const laterRows = [...later, ...newRows]
  const laterFeatures = gather(set, laterRows)
  const predicted = await predictModel(model.checkpoint, laterFeatures, laterRows.length)
  const laterGroup = argmaxRows(predicted.probs, laterRows.length, predicted.k)
  // Judged against every training photo, in the group the model chose (as the app does).
  const among = await topKAmong(laterFeatures, features, set.dim, KNN)
  const judged = judgeNewPhotos(calibrated.rule, among, laterGroup, groupOf)
  const sum = (a: Uint8Array, from: number, to: number) =>
    a.subarray(from, to).reduce((s, v) => s + v, 0)
  const trainOut = sum(calibrated.outlier, 0, n)
  const laterKnownOut = sum(judged.outlier, 0, later.length)
  const newOut = sum(judged.outlier, later.length, laterRows.length)
  return {
    newToUnsorted: newOut / Math.max(1, newRows.length),
    knownToUnsorted: (trainOut + laterKnownOut) / (n + later.length),
    knownTrain: trainOut / n,
    knownLater: laterKnownOut / Math.max(1, later.length),
    groups: new Set(groupOf).size,
  }
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`.padStart(6)

await initBackend(process.env.KINDRED_BACKEND as never)
const sets = ['caltech20', 'cifar10-test'].flatMap((s) => loadSet(s) ?? [])
if (sets.length === 0)
  throw new Error(`No cached embeddings in ${cacheDir}: build the quality cache first.`)
const shapes = args.includes('--quick') ? SHAPES.slice(0, 3) : SHAPES
console.log(`rule: rank ${RANK}, quantile ${QUANTILE}; ${SEEDS} seeds per shape`)
console.log(
  'set            shape                          new→Uns  known→Uns (train, later)  groups',
)
const all: Outcome[] = []
for (const set of sets) {
  for (const shape of shapes) {
    for (let seed = 0; seed < SEEDS; seed++) {
      const o = await runLibrary(set, shape, seed)
      if (!o) continue
      all.push(o)
      console.log(
        `${set.name.padEnd(14)} ${`${shape.name} s${seed}`.padEnd(31)}${pct(o.newToUnsorted)}   ${pct(o.knownToUnsorted)} (${pct(o.knownTrain)}, ${pct(o.knownLater)})  ${o.groups}`,
      )
    }
  }
}
const mean = (f: (o: Outcome) => number) => all.reduce((s, o) => s + f(o), 0) / all.length
console.log(`\n${all.length} libraries`)
console.log(
  `new kinds → Unsorted:   mean ${pct(mean((o) => o.newToUnsorted))}, worst ${pct(Math.min(...all.map((o) => o.newToUnsorted)))}`,
)
console.log(
  `known kinds → Unsorted: mean ${pct(mean((o) => o.knownToUnsorted))}, worst ${pct(Math.max(...all.map((o) => o.knownToUnsorted)))}` +
    ` (later photos: mean ${pct(mean((o) => o.knownLater))}, worst ${pct(Math.max(...all.map((o) => o.knownLater)))})`,
)
