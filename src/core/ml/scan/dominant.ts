/**
 * SCAN's entropy term wants every over-cluster equally full, so a kind that holds most of a
 * library takes most of the over-clusters, and the few left are shared by all the small kinds,
 * which then mix (research/RESULTS.md: 196 leopards beside 11 kinds of 5–10 photos left the
 * small kinds fewer than one over-cluster each). When one group holds more than half of the
 * photos, the other photos are trained again on their own, with neighbours mined among
 * themselves, if that gives them clearly more over-clusters, so that every small kind can get
 * over-clusters of its own. The big group keeps the over-clusters it had; both heads share the
 * library's centring, so one model holds them.
 */
import { ClusterModel, assignments } from './model'

/** A group holding more than this share of the photos is set aside. */
export const DOMINANT_SHARE = 0.5

/**
 * The other photos are trained again only when there are at least this many: below it they
 * get 5 neighbours, too few for SCAN to tell small kinds apart, and the first training stands.
 */
export const MIN_REST = 20

/**
 * The others are trained again only when they would get at least this many times the
 * over-clusters they had: what helps them is over-clusters of their own (20 at least, see
 * overclusterCount), and where they already had as many, training again only moves photos
 * (research/RESULTS.md: a library of 1,018 photos whose largest group held 79%).
 */
export const MORE_OUTPUTS = 1.5

/** Whether `wanted` over-clusters for the other photos are enough more than the `had`. */
export function worthTrainingAgain(had: number, wanted: number): boolean {
  return wanted >= MORE_OUTPUTS * had
}

/** The photos outside the largest group, when that group dominates the library. */
export interface DominantSplit {
  /** The largest group of the first model. */
  group: number
  /** Its share of the photos. */
  share: number
  /** Indices of the photos outside it, in library order. */
  rest: Int32Array
}

/** The dominant group of `groups` (k groups) and the photos outside it, or null if none. */
export function dominantSplit(groups: ArrayLike<number>, k: number): DominantSplit | null {
  const n = groups.length
  const sizes = new Array<number>(k).fill(0)
  for (let i = 0; i < n; i++) sizes[groups[i]!]!++
  const group = sizes.indexOf(Math.max(...sizes))
  const share = sizes[group]! / n
  if (share <= DOMINANT_SHARE || n - sizes[group]! < MIN_REST) return null
  const rest: number[] = []
  for (let i = 0; i < n; i++) if (groups[i] !== group) rest.push(i)
  return { group, share, rest: Int32Array.from(rest) }
}

/** The outputs of `model` that belong to `group`, in order: the joined model's first columns. */
function outputsOf(model: ClusterModel, group: number): number[] {
  const out: number[] = []
  model.groupOf.forEach((g, o) => g === group && out.push(o))
  return out
}

/**
 * One model from the first model's over-clusters of the dominant group (group 0) and every
 * over-cluster of the model trained on the rest (groups 1..). Both must share dim, scale and
 * centring: their cosine logits then compete in one softmax as in each head alone.
 */
export function joinModels(
  first: ClusterModel,
  dominant: number,
  rest: ClusterModel,
): ClusterModel {
  if (first.dim !== rest.dim || first.scale !== rest.scale)
    throw new Error('joinModels: the two heads differ in dim or scale')
  const kept = outputsOf(first, dominant)
  const outputs = kept.length + rest.outputs
  const weights = new Float32Array(first.dim * outputs)
  for (let d = 0; d < first.dim; d++) {
    kept.forEach((o, j) => (weights[d * outputs + j] = first.weights[d * first.outputs + o]!))
    for (let o = 0; o < rest.outputs; o++)
      weights[d * outputs + kept.length + o] = rest.weights[d * rest.outputs + o]!
  }
  const groupOf = Int32Array.from([...kept.map(() => 0), ...Array.from(rest.groupOf, (g) => g + 1)])
  return new ClusterModel('scan', first.dim, rest.k + 1, first.scale, first.mean, weights, groupOf)
}

/**
 * Each photo's over-cluster in the joined model: the dominant group's photos keep theirs
 * (renumbered as joinModels orders them), the others take theirs from the rest's model.
 */
export function joinedOutputLabels(
  first: ClusterModel,
  firstLabels: Int32Array,
  dominant: number,
  split: DominantSplit,
  restLabels: Int32Array,
): Int32Array {
  const kept = outputsOf(first, dominant)
  const renumbered = new Int32Array(first.outputs).fill(-1)
  kept.forEach((o, j) => (renumbered[o] = j))
  const out = Int32Array.from(firstLabels, (o) => Math.max(0, renumbered[o]!))
  split.rest.forEach((i, j) => (out[i] = kept.length + restLabels[j]!))
  return out
}

/** Share of photos the joined model puts where the two trainings put them. */
export function joinedAgreement(
  joined: ClusterModel,
  features: Float32Array,
  n: number,
  split: DominantSplit,
  restGroups: ArrayLike<number>,
): number {
  const intended = new Int32Array(n)
  split.rest.forEach((i, j) => (intended[i] = restGroups[j]! + 1))
  const got = assignments(joined.predict(features, n), n).labels
  let same = 0
  for (let i = 0; i < n; i++) if (got[i] === intended[i]) same++
  return same / n
}
