// Pairwise precision and recall of near-duplicate sets against the originals they came from.

export interface PairScore {
  precision: number
  recall: number
  f1: number
  /** Pairs put in one set that came from different photos. */
  wrongPairs: number
  /** Pairs of one photo's copies left in different sets (or none). */
  missedPairs: number
}

/** `sets` are lists of file names; `origin` maps every file name to its original. */
export function scorePairs(sets: string[][], origin: Map<string, string>): PairScore {
  const byOrigin = new Map<string, number>()
  for (const o of origin.values()) byOrigin.set(o, (byOrigin.get(o) ?? 0) + 1)
  let truePairs = 0
  for (const n of byOrigin.values()) truePairs += (n * (n - 1)) / 2
  let predicted = 0
  let correct = 0
  for (const set of sets) {
    predicted += (set.length * (set.length - 1)) / 2
    const counts = new Map<string, number>()
    for (const name of set) {
      const o = origin.get(name)!
      counts.set(o, (counts.get(o) ?? 0) + 1)
    }
    for (const n of counts.values()) correct += (n * (n - 1)) / 2
  }
  const precision = predicted === 0 ? 1 : correct / predicted
  const recall = truePairs === 0 ? 1 : correct / truePairs
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return {
    precision,
    recall,
    f1,
    wrongPairs: predicted - correct,
    missedPairs: truePairs - correct,
  }
}
