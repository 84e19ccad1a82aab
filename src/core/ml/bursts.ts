/**
 * Bursts: photos shot seconds apart of one scene (a camera's burst mode, or a few tries at one
 * picture). Trained on as they are, a burst is a tight clump that SCAN makes a group of its own:
 * 10 kinds of real photos with 30% of them shot 5 times gave 21–24 groups; trained on one photo
 * per burst, 10 (fix 3.8–5.1 → 1.4–2.7 per 100; research/RESULTS.md). Looks alone cannot
 * tell a burst: a kind shot the same way every time (motorbikes on white) is as alike, and
 * training on one photo per look-alike set lost a third of one such library. So a burst needs
 * both: capture times close together and photos nearly the same.
 */

/**
 * Capture times at most this far apart (ms) can be one burst: burst mode shoots several frames a
 * second, a retake follows within seconds. Shorter than a series of different things shot one
 * after another usually is (a photo of each motorbike at a show).
 */
export const BURST_WINDOW_MS = 5000

/** Photos of one burst are at least this alike (cosine of their features). */
export const BURST_COSINE = 0.9

/**
 * A photo is compared with at most this many photos taken after it. A camera whose clock was
 * never set stamps thousands of photos with one time; without a bound that is every pair. A
 * longer burst still joins up, as each shot is compared with the next ones.
 */
export const BURST_LOOKAHEAD = 64

export interface BurstOptions {
  windowMs?: number
  cosine?: number
}

/**
 * For each photo, the first photo (lowest index) of its burst: itself when it is in none.
 * `takenAt[i]` is photo i's capture time in ms, null when unknown (never in a burst). Photos
 * join when their times are within the window and their features are alike, and through chains
 * of such pairs.
 */
export function burstLeaders(
  takenAt: readonly (number | null)[],
  features: Float32Array,
  dim: number,
  options: BurstOptions = {},
): Int32Array {
  const n = takenAt.length
  if (features.length !== n * dim)
    throw new Error(`burstLeaders: expected ${n * dim} feature values, got ${features.length}`)
  const window = options.windowMs ?? BURST_WINDOW_MS
  const cosine = options.cosine ?? BURST_COSINE
  const parent = Int32Array.from({ length: n }, (_, i) => i)
  const root = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!
    return x
  }
  const norm = rowNorms(features, n, dim)
  const timed = [...takenAt.keys()].filter((i) => Number.isFinite(takenAt[i]))
  timed.sort((a, b) => takenAt[a]! - takenAt[b]! || a - b)
  for (let x = 0; x < timed.length; x++) {
    const i = timed[x]!
    const last = Math.min(timed.length, x + 1 + BURST_LOOKAHEAD)
    for (let y = x + 1; y < last && takenAt[timed[y]!]! - takenAt[i]! <= window; y++) {
      const j = timed[y]!
      const [a, b] = [root(i), root(j)]
      if (a === b || dot(features, i, j, dim) < cosine * norm[i]! * norm[j]!) continue
      parent[Math.max(a, b)] = Math.min(a, b)
    }
  }
  return parent.map((_, i) => root(i))
}

/** Indices of the photos that lead their burst (every photo not in one included), in order. */
export function burstRepresentatives(leaders: Int32Array): number[] {
  return [...leaders.keys()].filter((i) => leaders[i] === i)
}

function rowNorms(features: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(dot(features, i, i, dim))
  return out
}

function dot(features: Float32Array, i: number, j: number, dim: number): number {
  let sum = 0
  for (let d = 0; d < dim; d++) sum += features[i * dim + d]! * features[j * dim + d]!
  return sum
}
