/**
 * The second signal for photos added later: photos that arrive together and are each other's
 * nearest neighbours, more than their number explains, are a kind the library did not have,
 * even when each one is close enough to some group to pass the distance rule alone.
 */
import type { NeighbourRows } from './index'

/** Nearest photos a later photo is judged on, and how far above chance its batch must be. */
export const TOGETHER = {
  near: 10,
  /**
   * A photo counts as arrived-together when the share of its nearest photos from its own batch
   * closes at least this part of the gap between the share its batch's size explains and 1.
   */
  excess: 0.6,
}

export interface TogetherSignal {
  /** Per later photo: the share of its `near` nearest photos (itself left out) in the batch. */
  share: Float32Array
  /** The share its model group would give if the batch were drawn like the group's photos. */
  expected: Float32Array
}

/**
 * `reference` are the later photos' neighbours among the photos already in groups, `batch`
 * their neighbours among the later photos themselves (self included, as topKAmong gives them);
 * both most similar first. `laterGroup` and `referenceGroup` are the groups each one is in.
 */
export function togetherSignal(
  reference: NeighbourRows,
  batch: NeighbourRows,
  laterGroup: ArrayLike<number>,
  referenceGroup: ArrayLike<number>,
  near = TOGETHER.near,
): TogetherSignal {
  const m = laterGroup.length
  const share = new Float32Array(m)
  for (let i = 0; i < m; i++) {
    // Merge the two most-similar-first lists, leaving the photo itself out.
    let r = 0
    let b = 0
    let fromBatch = 0
    let seen = 0
    while (seen < near && (r < reference.k || b < batch.k)) {
      if (b < batch.k && batch.index[i * batch.k + b] === i) {
        b++
        continue
      }
      const takeBatch =
        b < batch.k &&
        (r >= reference.k || batch.sim[i * batch.k + b]! > reference.sim[i * reference.k + r]!)
      if (takeBatch) {
        fromBatch++
        b++
      } else r++
      seen++
    }
    share[i] = seen > 0 ? fromBatch / seen : 0
  }
  const inGroup = new Map<number, number>()
  const laterIn = new Map<number, number>()
  for (let i = 0; i < referenceGroup.length; i++)
    inGroup.set(referenceGroup[i]!, (inGroup.get(referenceGroup[i]!) ?? 0) + 1)
  for (let i = 0; i < m; i++) laterIn.set(laterGroup[i]!, (laterIn.get(laterGroup[i]!) ?? 0) + 1)
  const expected = Float32Array.from({ length: m }, (_, i) => {
    const later = laterIn.get(laterGroup[i]!)!
    return later / (later + (inGroup.get(laterGroup[i]!) ?? 0))
  })
  return { share, expected }
}

/** Whether photo i's batch share is far enough above what its batch's size explains. */
export function arrivedTogether(signal: TogetherSignal, i: number, excess = TOGETHER.excess) {
  const e = signal.expected[i]!
  return e < 1 && signal.share[i]! - e >= excess * (1 - e)
}
