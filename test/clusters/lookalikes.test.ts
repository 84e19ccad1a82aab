import { describe, expect, it } from 'vitest'
import { hintPairs, LOOKALIKE_HINT } from '../../src/core/clusters'

/** A symmetric score table from the listed pairs (others score 0). */
function table(pairs: [number, number, number][]): (a: number, b: number) => number {
  const of = new Map(
    pairs.flatMap(([a, b, s]) => [[`${a},${b}`, s] as const, [`${b},${a}`, s] as const]),
  )
  return (a, b) => of.get(`${a},${b}`) ?? 0
}

describe('which look-alike pairs are shown', () => {
  it('a piece points at the rest of its kind; larger groups never point down at a loose one', () => {
    // Groups 0 and 1 are kinds of 40; 2 is a piece of kind 0; 3 is a loose group of 5 that
    // scores higher with kind 0 than kind 0's own piece does.
    const size = [40, 40, 6, 5]
    const score = table([
      [0, 2, 0.6],
      [0, 3, 0.62],
      [1, 3, 0.66],
      [2, 3, 0.58],
    ])
    expect(hintPairs(size, score)).toEqual([
      { a: 1, b: 3, score: 0.66 },
      { a: 0, b: 2, score: 0.6 },
    ])
  })

  it('shows nothing below the bar, and no pair the caller keeps apart', () => {
    const size = [30, 10, 8]
    const score = table([
      [0, 1, LOOKALIKE_HINT - 0.01],
      [0, 2, 0.9],
    ])
    expect(hintPairs(size, score)).toEqual([{ a: 0, b: 2, score: 0.9 }])
    expect(hintPairs(size, score, LOOKALIKE_HINT, (a, b) => a + b === 2)).toEqual([])
  })

  it('names a pair once, even when each group is the other’s closest', () => {
    const size = [12, 12, 30]
    const pairs = hintPairs(size, table([[0, 1, 0.7]]))
    expect(pairs).toHaveLength(1)
    expect([pairs[0]!.a, pairs[0]!.b].sort()).toEqual([0, 1])
  })
})
