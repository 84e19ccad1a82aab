import { describe, expect, it } from 'vitest'
import { topK, topKAmong } from '../../../src/core/ml/neighbours'
import { seededRandom } from '../../../src/core/ml/random'
import {
  calibrateUnsorted,
  judgeNewPhotos,
  TOGETHER,
  togetherSignal,
  type UnsortedRule,
} from '../../../src/core/ml/outliers'

/** Unit rows scattered around `centre` (spread: noise per dimension). */
function blob(centre: number[], count: number, spread: number, seed: number): Float32Array {
  const random = seededRandom(seed)
  const rows: number[] = []
  for (let i = 0; i < count; i++) {
    const v = centre.map((x) => x + spread * (random() * 2 - 1))
    const norm = Math.hypot(...v)
    rows.push(...v.map((x) => x / norm))
  }
  return Float32Array.from(rows)
}

const DIM = 8
const axis = (d: number) => Array.from({ length: DIM }, (_, i) => (i === d ? 1 : 0))
const mix = (a: number[], b: number[], t: number) => a.map((x, i) => x + t * b[i]!)
const concat = (...parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0))
  let at = 0
  for (const p of parts) out.set(p, (at += p.length) - p.length)
  return out
}

/** Judges `later` (all given model group `group`) as the assign job does, with or without the batch. */
async function judge(
  rule: UnsortedRule,
  reference: Float32Array,
  referenceGroup: Int32Array,
  later: Float32Array,
  group: number,
  withBatch: boolean,
): Promise<number> {
  const m = later.length / DIM
  const laterGroup = new Int32Array(m).fill(group)
  const among = await topKAmong(later, reference, DIM, 20)
  const batch = await topKAmong(later, later, DIM, TOGETHER.near + 1)
  const signal = togetherSignal(among, batch, laterGroup, referenceGroup)
  const { outlier } = judgeNewPhotos(
    rule,
    among,
    laterGroup,
    referenceGroup,
    undefined,
    withBatch ? signal : undefined,
  )
  return outlier.reduce((s, v) => s + v, 0) / m
}

describe('photos that arrived together', () => {
  it('counts the share of a photo’s nearest photos from its own batch, leaving itself out', () => {
    // Photo 0: reference neighbours at .9, .7, .5; batch rows: itself (1.0), then .8 and .6.
    const reference = { k: 3, index: Int32Array.of(0, 1, 2), sim: Float32Array.of(0.9, 0.7, 0.5) }
    const batch = { k: 3, index: Int32Array.of(0, 1, 2), sim: Float32Array.of(1, 0.8, 0.6) }
    const s = togetherSignal(reference, batch, [0], [0, 0, 0, 0, 0, 0, 0, 0, 0], 4)
    // Nearest 4 without itself: .9 (ref), .8 (batch), .7 (ref), .6 (batch).
    expect(s.share[0]).toBeCloseTo(0.5)
    // One later photo in a group of 9: a batch drawn like the group gives 1/10.
    expect(s.expected[0]).toBeCloseTo(0.1)
  })

  it('sends a look-alike new kind added together to Unsorted, but not a batch of a known kind', async () => {
    // Three known kinds of 150 photos, calibrated as at training.
    const known = concat(...[0, 1, 2].map((d, c) => blob(axis(d), 150, 0.6, 10 + c)))
    const groups = Int32Array.from({ length: 450 }, (_, i) => Math.floor(i / 150))
    const nb = { k: 20, ...(await topK(known, 450, DIM, 20)) }
    const { rule } = calibrateUnsorted(nb, groups, 3)

    // 30 photos of a new kind that looks like kind 0 (a tight cluster at its edge): the model
    // puts them in group 0, and most are close enough to it to pass the distance rule alone.
    const lookAlike = blob(mix(axis(0), axis(5), 1.4), 30, 0.2, 20)
    const alone = await judge(rule, known, groups, lookAlike, 0, false)
    const together = await judge(rule, known, groups, lookAlike, 0, true)
    expect(alone).toBeLessThanOrEqual(0.5)
    expect(together).toBeGreaterThanOrEqual(0.9)

    // Half of kind 1 imported later, all together: the batch is as many as the group it joins,
    // so its photos' nearest being batch-mates is what its size explains; the second signal
    // sends (almost) none more to Unsorted than the distance rule alone.
    const stay = Int32Array.from({ length: 450 }, (_, i) => i).filter((i) => i < 150 || i >= 225)
    const reference = concat(...[...stay].map((i) => known.subarray(i * DIM, (i + 1) * DIM)))
    const later = known.subarray(150 * DIM, 225 * DIM)
    const stayGroups = stay.map((i) => groups[i]!)
    const sameKind = (withBatch: boolean) => judge(rule, reference, stayGroups, later, 1, withBatch)
    expect(await sameKind(true)).toBeLessThanOrEqual((await sameKind(false)) + 0.03)
  })

  it('is ignored for a rule stored before it existed', async () => {
    const known = concat(blob(axis(0), 60, 0.6, 30), blob(axis(1), 60, 0.6, 31))
    const groups = Int32Array.from({ length: 120 }, (_, i) => Math.floor(i / 60))
    const nb = { k: 20, ...(await topK(known, 120, DIM, 20)) }
    const { rule } = calibrateUnsorted(nb, groups, 2)
    const old: UnsortedRule = {
      rank: rule.rank,
      quantile: rule.quantile,
      thresholds: rule.thresholds,
    }
    const lookAlike = blob(mix(axis(0), axis(5), 1.4), 20, 0.2, 32)
    expect(await judge(old, known, groups, lookAlike, 0, true)).toBe(
      await judge(old, known, groups, lookAlike, 0, false),
    )
  })
})
