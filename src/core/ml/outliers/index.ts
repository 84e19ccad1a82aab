/**
 * Which photos fit no group, by a rule calibrated on the library itself (no labels): a photo's
 * fit to a group is its cosine similarity to the group's `rank`-th most similar member. Each
 * group's members give the distribution of that fit (leave-one-out: a photo is never its own
 * neighbour); a photo whose fit is below the group's low quantile goes to Unsorted.
 */
import { arrivedTogether, type TogetherSignal } from './together'

export { togetherSignal, TOGETHER, type TogetherSignal } from './together'

export interface UnsortedRule {
  /** Which nearest member of the group a photo is compared with (1 = the nearest). */
  rank: number
  /** Share of a group's own members expected below its threshold. */
  quantile: number
  /** Per model group: the lowest fit still counted as belonging to it (null: not judged). */
  thresholds: (number | null)[]
  /**
   * Looser thresholds for photos that arrived together with others like them (see
   * ./together.ts); absent in rules stored before the second signal existed.
   */
  together?: { quantile: number; thresholds: (number | null)[] }
}

export const UNSORTED_DEFAULTS = {
  rank: 5,
  quantile: 0.02,
  /** A library with fewer photos than this sends none to Unsorted (too few to calibrate on). */
  minGroup: 20,
  /**
   * Groups with fewer members than this are not judged by their own quantile alone: a 2%
   * quantile of fewer than 50 fits is little more than the lowest one. They use the lower of
   * the library-wide quantile and their own, so a group looser than the library is not emptied
   * into Unsorted by the tighter groups' fits. On the bench:new-kinds sweep, known-kind photos
   * sent to Unsorted went 2.9% (worst 4.6%) → 2.3% (4.0%) on caltech20 against the library-wide
   * quantile alone, and 2.5% (5.6%) → 2.3% (4.2%) on CIFAR-10; new kinds 95.8% → 95.5% and
   * 16.0% → 15.0%. See research/RESULTS.md.
   */
  minOwn: 50,
  /**
   * The looser quantile for photos that arrived together: on the bench:new-kinds sweep it sent
   * 94.0% of new-kind caltech20 photos to Unsorted (87.5% without), worst library 68.8% (50.0%),
   * with later known photos unchanged (3.8%) and a batch of one known kind at 4.7% (4.1%).
   */
  togetherQuantile: 0.2,
}

/** Neighbours of some photos among the reference photos, most similar first (n×k). */
export interface NeighbourRows {
  k: number
  /** Reference row of each neighbour. */
  index: Int32Array
  sim: Float32Array
}

/**
 * Fit of each photo to group `groupOf[i]`: the similarity of its `rank`-th neighbour of that
 * group (rank capped by `available(g)`, the members it can be compared with). When fewer of the
 * group's members are among its k neighbours, the last neighbour's similarity is an upper
 * bound of the fit and is used instead. A group with no member to compare with gives `empty`.
 */
export function fitScores(
  neighbours: NeighbourRows,
  groupOf: ArrayLike<number>,
  referenceGroup: ArrayLike<number>,
  rank: number,
  available: (group: number) => number,
  empty = -Infinity,
): Float32Array {
  const { k, index, sim } = neighbours
  const n = groupOf.length
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!
    if (available(g) < 1) {
      out[i] = empty
      continue
    }
    const wanted = Math.min(rank, available(g))
    let found = 0
    let score = k > 0 ? sim[i * k + k - 1]! : -1
    for (let r = 0; r < k; r++) {
      if (referenceGroup[index[i * k + r]!] !== g) continue
      if (++found === wanted) {
        score = sim[i * k + r]!
        break
      }
    }
    out[i] = score
  }
  return out
}

/**
 * The q-quantile of `values`, interpolated between order statistics (so that about a share q
 * of them lies below it even in small groups); -Infinity when empty.
 */
export function lowQuantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return -Infinity
  const sorted = Float64Array.from(values).sort()
  const h = Math.max(0, Math.min(1, q)) * (sorted.length - 1)
  const lo = Math.floor(h)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

export interface CalibrateOptions {
  rank?: number
  quantile?: number
  minGroup?: number
  minOwn?: number
  togetherQuantile?: number
}

/**
 * Calibrates the rule on the training photos: `neighbours` are their neighbours among
 * themselves (self excluded), `groupOf` the group the model gave each one (k groups).
 * Returns the rule and each training photo's verdict (true = fits no group).
 */
export function calibrateUnsorted(
  neighbours: NeighbourRows,
  groupOf: ArrayLike<number>,
  k: number,
  options: CalibrateOptions = {},
): { rule: UnsortedRule; outlier: Uint8Array; fit: Float32Array } {
  const o = { ...UNSORTED_DEFAULTS, ...options }
  const sizes = new Int32Array(k)
  for (let i = 0; i < groupOf.length; i++) sizes[groupOf[i]!]! += 1
  // Leave-one-out: a member has size - 1 others to be compared with. A group of one photo is
  // the model's choice and stays (its photo is not judged); only finite fits calibrate.
  const fit = fitScores(neighbours, groupOf, groupOf, o.rank, (g) => sizes[g]! - 1, Infinity)
  // Too few photos to tell what is unusual: nothing is judged (threshold -Infinity).
  const finite = fit.filter(Number.isFinite)
  const members = Array.from({ length: k }, () => [] as number[])
  for (let i = 0; i < groupOf.length; i++)
    if (Number.isFinite(fit[i])) members[groupOf[i]!]!.push(fit[i]!)
  const thresholdsAt = (q: number) => {
    const pooled = finite.length >= o.minGroup ? lowQuantile(finite, q) : -Infinity
    // One fit says nothing of a group's spread: such a group takes the library's alone.
    const lenient = (m: number[]) => (m.length >= 2 ? Math.min(pooled, lowQuantile(m, q)) : pooled)
    return members.map((m) => (m.length >= o.minOwn ? lowQuantile(m, q) : lenient(m)))
  }
  const rule: UnsortedRule = {
    rank: o.rank,
    quantile: o.quantile,
    thresholds: thresholdsAt(o.quantile),
    together: { quantile: o.togetherQuantile, thresholds: thresholdsAt(o.togetherQuantile) },
  }
  return { rule, outlier: verdicts(fit, groupOf, rule.thresholds), fit }
}

/**
 * Verdicts for photos assigned later: `neighbours` are their neighbours among the photos now in
 * groups (`referenceGroup` gives each one's group), `modelGroup` the group the model chose for
 * each photo (its threshold), and `groupKey` maps a model group to the group it is now part of
 * (a person may have merged groups since training).
 */
export function judgeNewPhotos(
  rule: UnsortedRule,
  neighbours: NeighbourRows,
  modelGroup: ArrayLike<number>,
  referenceGroup: ArrayLike<number>,
  groupKey: (modelGroup: number) => number = (g) => g,
  together?: TogetherSignal,
): { outlier: Uint8Array; fit: Float32Array } {
  const sizes = new Map<number, number>()
  for (let i = 0; i < referenceGroup.length; i++)
    sizes.set(referenceGroup[i]!, (sizes.get(referenceGroup[i]!) ?? 0) + 1)
  const keys = Int32Array.from({ length: modelGroup.length }, (_, i) => groupKey(modelGroup[i]!))
  const fit = fitScores(neighbours, keys, referenceGroup, rule.rank, (g) => sizes.get(g) ?? 0)
  const outlier = verdicts(fit, modelGroup, rule.thresholds)
  if (together && Array.isArray(rule.together?.thresholds)) {
    const loose = verdicts(fit, modelGroup, rule.together!.thresholds)
    for (let i = 0; i < outlier.length; i++)
      if (loose[i] && arrivedTogether(together, i)) outlier[i] = 1
  }
  return { outlier, fit }
}

function verdicts(
  fit: Float32Array,
  groupOf: ArrayLike<number>,
  thresholds: (number | null)[],
): Uint8Array {
  const out = new Uint8Array(fit.length)
  for (let i = 0; i < fit.length; i++) {
    // A threshold stored as JSON turns -Infinity into null: either way, nothing to judge by.
    const t = thresholds[groupOf[i]!]
    const threshold = typeof t === 'number' ? t : -Infinity
    out[i] = fit[i]! < threshold ? 1 : 0
  }
  return out
}
