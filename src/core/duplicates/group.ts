/** A pair of photos and their cosine similarity. */
export type SimilarPair = readonly [a: number, b: number, similarity: number]

export interface PhotoSet {
  /** Photo ids, ascending. */
  ids: number[]
  /** The weakest similarity among the pairs that joined the set. */
  weakest: number
}

/**
 * Photos joined by pairs at least `threshold` similar, as sets of two or more (single linkage:
 * a burst A~B~C is one set even when A and C are further apart). Pairs are taken strongest first,
 * so `weakest` is the lowest link a set needs.
 */
export function linkPairs(pairs: Iterable<SimilarPair>, threshold: number): PhotoSet[] {
  const strong = [...pairs].filter(([a, b, s]) => a !== b && s >= threshold)
  strong.sort((x, y) => y[2] - x[2])
  const parent = new Map<number, number>()
  const root = (x: number): number => {
    if (!parent.has(x)) parent.set(x, x)
    let r = x
    while (parent.get(r) !== r) r = parent.get(r)!
    // Path halving keeps later look-ups short.
    while (parent.get(x) !== r) {
      const next = parent.get(x)!
      parent.set(x, r)
      x = next
    }
    return r
  }
  const weakest = new Map<number, number>()
  for (const [a, b, s] of strong) {
    const ra = root(a)
    const rb = root(b)
    if (ra === rb) continue
    const [keep, gone] = ra < rb ? [ra, rb] : [rb, ra]
    parent.set(gone, keep)
    weakest.set(keep, Math.min(s, weakest.get(keep) ?? s, weakest.get(gone) ?? s))
    weakest.delete(gone)
  }
  const members = new Map<number, number[]>()
  for (const id of parent.keys()) {
    const r = root(id)
    const list = members.get(r) ?? []
    list.push(id)
    members.set(r, list)
  }
  return [...members.entries()]
    .filter(([, ids]) => ids.length > 1)
    .map(([r, ids]) => ({ ids: ids.sort((x, y) => x - y), weakest: weakest.get(r)! }))
    .sort((x, y) => x.ids[0]! - y.ids[0]!)
}
