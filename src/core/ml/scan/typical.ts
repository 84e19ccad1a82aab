/**
 * SCAN trained from a different random start can group a small library quite differently
 * (research/RESULTS.md: one held-out library of 522 photos gave fix costs from 3.6 to 18.4 per
 * 100 over 7 starts). Training several times and keeping the run that agrees best with the
 * others avoids the unlucky starts without looking at any label: the typical grouping.
 */
import { adjustedRandIndex, contingency } from '../metrics'

export interface TypicalChoice {
  /** Index of the grouping kept. */
  index: number
  /** Its mean adjusted Rand index with the other groupings (1 when there is only one). */
  agreement: number
}

/** The grouping with the highest mean agreement (ARI) with the others; ties keep the first. */
export function mostTypical(groupings: ArrayLike<number>[]): TypicalChoice {
  const count = groupings.length
  if (count === 0) throw new Error('mostTypical: no groupings to choose from')
  if (count === 1) return { index: 0, agreement: 1 }
  const sums = new Array<number>(count).fill(0)
  for (let i = 0; i < count; i++)
    for (let j = i + 1; j < count; j++) {
      const ari = adjustedRandIndex(contingency(groupings[i]!, groupings[j]!))
      sums[i]! += ari
      sums[j]! += ari
    }
  const index = sums.indexOf(Math.max(...sums))
  return { index, agreement: sums[index]! / (count - 1) }
}

/**
 * Whether every pair of groupings agrees at least this well (ARI). Runs that all found the same
 * groups have settled the question: the most typical of more runs would be one of them.
 */
export function allAgree(groupings: ArrayLike<number>[], min: number): boolean {
  for (let i = 0; i < groupings.length; i++)
    for (let j = i + 1; j < groupings.length; j++)
      if (adjustedRandIndex(contingency(groupings[i]!, groupings[j]!)) < min) return false
  return true
}
