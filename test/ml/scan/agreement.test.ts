import { describe, expect, it } from 'vitest'
import {
  neighbourCohesion,
  neighbourModularity,
  normalisedModularity,
} from '../../../src/core/ml/scan'

// Two cliques of 3 photos, each photo's 2 neighbours are the other members of its clique.
const NB = Int32Array.from([1, 2, 0, 2, 0, 1, 4, 5, 3, 5, 3, 4])

describe('neighbourModularity', () => {
  it('is 1/2 for two equal groups that keep every link inside', () => {
    expect(neighbourModularity([0, 0, 0, 1, 1, 1], 2, NB, 2)).toBeCloseTo(0.5, 12)
  })

  it('gives nothing for lumping everything together and less for mixing', () => {
    expect(neighbourModularity([0, 0, 0, 0, 0, 0], 2, NB, 2)).toBeCloseTo(0, 12)
    const mixed = neighbourModularity([0, 1, 0, 1, 0, 1], 2, NB, 2)
    expect(mixed).toBeLessThan(0)
    // Splitting one clique in two costs agreement too, but less than mixing.
    const split = neighbourModularity([0, 0, 2, 1, 1, 1], 3, NB, 2)
    expect(split).toBeLessThan(0.5)
    expect(split).toBeGreaterThan(mixed)
  })

  it('refuses a neighbour table of the wrong size', () => {
    expect(() => neighbourModularity([0, 1], 2, NB, 2)).toThrow(/expected 4 neighbour indices/)
  })
})

/**
 * A dominant kind of 30 photos on a ring (each photo's 4 neighbours: 2 on each side) and two
 * kinds of 5 photos whose 4 neighbours are each other; `evened` cuts the dominant kind in half
 * and throws the two small kinds in with one half.
 */
function dominant(): { table: Int32Array; truth: number[]; evened: number[] } {
  const rows: number[] = []
  for (let i = 0; i < 30; i++) rows.push((i + 1) % 30, (i + 29) % 30, (i + 2) % 30, (i + 28) % 30)
  for (const start of [30, 35])
    for (let i = 0; i < 5; i++) for (let d = 1; d < 5; d++) rows.push(start + ((i + d) % 5))
  const truth = Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : i < 35 ? 1 : 2))
  const evened = truth.map((g, i) => (g === 0 ? (i < 15 ? 0 : 1) : 2))
  return { table: Int32Array.from(rows), truth, evened }
}

describe('neighbourCohesion', () => {
  it('is 1 for groups that keep every link inside, and counts an empty group as 0', () => {
    expect(neighbourCohesion([0, 0, 0, 1, 1, 1], 2, NB, 2)).toBe(1)
    expect(neighbourCohesion([0, 0, 0, 0, 0, 0], 2, NB, 2)).toBe(0.5)
    expect(neighbourCohesion([0, 1, 0, 1, 0, 1], 2, NB, 2)).toBeLessThan(0.5)
  })

  it('keeps a dominant kind whole where modularity prefers groups of equal size', () => {
    const { table, truth, evened } = dominant()
    expect(neighbourModularity(evened, 3, table, 4)).toBeGreaterThan(
      neighbourModularity(truth, 3, table, 4),
    )
    expect(neighbourCohesion(truth, 3, table, 4)).toBe(1)
    expect(neighbourCohesion(evened, 3, table, 4)).toBeLessThan(1)
  })

  it('refuses a neighbour table of the wrong size', () => {
    expect(() => neighbourCohesion([0, 1], 2, NB, 2)).toThrow(/expected 4 neighbour indices/)
  })
})

describe('normalisedModularity', () => {
  it('is 1 for groups that keep every link inside, 0 for one group, below 0 for mixing', () => {
    expect(normalisedModularity([0, 0, 0, 1, 1, 1], 2, NB, 2)).toBeCloseTo(1, 12)
    expect(normalisedModularity([0, 0, 0, 0, 0, 0], 2, NB, 2)).toBe(0)
    expect(normalisedModularity([0, 1, 0, 1, 0, 1], 2, NB, 2)).toBeLessThan(0)
  })

  it('keeps a dominant kind whole where modularity prefers groups of equal size', () => {
    const { table, truth, evened } = dominant()
    expect(normalisedModularity(truth, 3, table, 4)).toBeCloseTo(1, 12)
    expect(normalisedModularity(evened, 3, table, 4)).toBeLessThan(1)
  })

  it('refuses a neighbour table of the wrong size', () => {
    expect(() => normalisedModularity([0, 1], 2, NB, 2)).toThrow(/expected 4 neighbour indices/)
  })
})
