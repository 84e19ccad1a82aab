// Library shapes drawn from a labelled set: which classes, how many photos of each. A library
// is a list of rows of the set's cache; everything is decided by the seed.
import { seededRandom } from '../../src/core/ml/random'
import type { LabelledSet } from './dataset'

/** A generated photo library: rows of its set and their true classes (relabelled 0..k-1). */
export interface Library {
  set: string
  scenario: string
  seed: number
  rows: Int32Array
  labels: Int32Array
  /** Number of true classes. */
  k: number
  /** Class names, index = label. */
  classes: string[]
}

export interface Scenario {
  name: string
  /** One line for the report. */
  describe: string
  /** Draws one library from `set` for `seed`. */
  draw(set: LabelledSet, seed: number): Library
}

type Random = () => number

const int = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))

export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Rows of each class of the set, in cache order. */
function rowsByClass(set: LabelledSet): number[][] {
  const out: number[][] = set.classes.map(() => [])
  set.labels.forEach((l, i) => out[l]!.push(i))
  return out
}

/** The photos of `lib` at positions `keep` (in that order), as a library of its own. */
export function subLibrary(lib: Library, keep: ArrayLike<number>): Library {
  return {
    ...lib,
    rows: Int32Array.from(keep, (i) => lib.rows[i]!),
    labels: Int32Array.from(keep, (i) => lib.labels[i]!),
  }
}

/** A library with `counts[j]` random photos of class `classes[j]` (capped at what the set has). */
export function buildLibrary(
  set: LabelledSet,
  scenario: string,
  seed: number,
  classes: number[],
  counts: number[],
  random: Random,
): Library {
  const byClass = rowsByClass(set)
  const rows: number[] = []
  const labels: number[] = []
  classes.forEach((c, j) => {
    const picked = shuffled(byClass[c]!, random).slice(0, Math.max(1, counts[j]!))
    for (const r of picked) {
      rows.push(r)
      labels.push(j)
    }
  })
  // Photos arrive in no particular class order.
  const order = shuffled(
    rows.map((_, i) => i),
    random,
  )
  return {
    set: set.name,
    scenario,
    seed,
    rows: Int32Array.from(order, (i) => rows[i]!),
    labels: Int32Array.from(order, (i) => labels[i]!),
    k: classes.length,
    classes: classes.map((c) => set.classes[c]!),
  }
}

/** Class sizes for `n` photos: one class holds `dominant` of them, the rest share unevenly. */
function imbalancedCounts(k: number, n: number, dominant: number, random: Random): number[] {
  const big = Math.round(dominant * n)
  const weights = Array.from({ length: k - 1 }, () => 0.3 + random())
  const total = weights.reduce((a, v) => a + v, 0)
  return [big, ...weights.map((w) => Math.max(5, Math.round(((n - big) * w) / total)))]
}

function pickClasses(set: LabelledSet, k: number, random: Random): number[] {
  return shuffled(
    set.classes.map((_, i) => i),
    random,
  ).slice(0, Math.min(k, set.classes.length))
}

/** The largest class count each class of the set can give. */
export function classSizes(set: LabelledSet): number[] {
  return rowsByClass(set).map((r) => r.length)
}

/** 2 to `most` classes sharing `photos` (a range) unevenly, each class 4 photos or more. */
function unevenLibrary(
  set: LabelledSet,
  scenario: string,
  seed: number,
  random: Random,
  most: number,
  photos: [number, number],
): Library {
  const k = int(random, 2, Math.min(most, set.classes.length))
  const classes = pickClasses(set, k, random)
  const n = int(random, photos[0], photos[1])
  const weights = classes.map(() => 0.2 + random())
  const total = weights.reduce((a, v) => a + v, 0)
  const counts = weights.map((w) => Math.max(4, Math.round((n * w) / total)))
  return buildLibrary(set, scenario, seed, classes, counts, random)
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'balanced',
    describe: '2–20 classes (at most the set has), equal sizes of 25–60, 50–1,200 photos',
    draw(set, seed) {
      const random = seededRandom(1000 + seed)
      const k = int(random, 2, Math.min(20, set.classes.length))
      const classes = pickClasses(set, k, random)
      const most = Math.min(...classes.map((c) => classSizes(set)[c]!))
      const per = Math.min(most, int(random, 25, 60))
      return buildLibrary(
        set,
        'balanced',
        seed,
        classes,
        classes.map(() => per),
        random,
      )
    },
  },
  {
    name: 'imbalanced',
    describe: '3–12 classes, one holding 40–70% of 200–800 photos, the others 5 or more',
    draw(set, seed) {
      const random = seededRandom(2000 + seed)
      const k = int(random, 3, Math.min(12, set.classes.length))
      // The dominant class first: the one with the most photos to give.
      const classes = pickClasses(set, k, random)
      const sizes = classSizes(set)
      classes.sort((a, b) => sizes[b]! - sizes[a]!)
      const dominant = 0.4 + 0.3 * random()
      const n = Math.min(int(random, 200, 800), Math.floor(sizes[classes[0]!]! / dominant))
      const counts = imbalancedCounts(k, n, dominant, random)
      return buildLibrary(set, 'imbalanced', seed, classes, counts, random)
    },
  },
  {
    name: 'small',
    describe: '2–8 classes, 30–300 photos in uneven shares (each class 4 or more)',
    draw: (set, seed) => unevenLibrary(set, 'small', seed, seededRandom(3000 + seed), 8, [30, 300]),
  },
  {
    // A first import of one or two folders: pieces of a class are a handful of photos, and
    // every neighbour count is small.
    name: 'tiny',
    describe: '2–5 classes, 30–80 photos in uneven shares (each class 4 or more)',
    draw: (set, seed) => unevenLibrary(set, 'tiny', seed, seededRandom(6000 + seed), 5, [30, 80]),
  },
  {
    // A first import of a few folders, each a kind of its own: every kind is cut into pieces
    // of a handful of photos, and no kind is small enough to stand out.
    name: 'folders',
    describe: '2–4 classes of 10–40 photos each',
    draw(set, seed) {
      const random = seededRandom(7000 + seed)
      const classes = pickClasses(set, int(random, 2, 4), random)
      const counts = classes.map(() => int(random, 10, 40))
      return buildLibrary(set, 'folders', seed, classes, counts, random)
    },
  },
  {
    name: 'natural',
    describe: '5–20 classes with all their photos (the set’s own sizes), at most 1,500 photos',
    draw(set, seed) {
      const random = seededRandom(4000 + seed)
      const sizes = classSizes(set)
      const k = int(random, 5, Math.min(20, set.classes.length))
      const classes = pickClasses(set, k, random)
      // Scale every class alike so that the library stays under 1,500 photos.
      const total = classes.reduce((a, c) => a + sizes[c]!, 0)
      const scale = Math.min(1, 1500 / total)
      const counts = classes.map((c) => Math.max(5, Math.round(sizes[c]! * scale)))
      return buildLibrary(set, 'natural', seed, classes, counts, random)
    },
  },
  {
    // Where 'auto' has the most pieces to put back together: many over-clusters per class.
    name: 'large',
    describe: '4–20 classes with every photo of them the sweep has (up to 3,000 photos)',
    draw(set, seed) {
      const random = seededRandom(5000 + seed)
      const sizes = classSizes(set)
      const k = int(random, 4, Math.min(20, set.classes.length))
      const classes = pickClasses(set, k, random)
      const counts = classes.map((c) => sizes[c]!)
      return buildLibrary(set, 'large', seed, classes, counts, random)
    },
  },
]

export function scenarioByName(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name)
  if (!found)
    throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`)
  return found
}
