import { describe, expect, it } from 'vitest'
import { neighbourModularity } from '../../../src/core/ml/scan'

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
