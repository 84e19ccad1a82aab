import { munkres } from 'munkres'

/** Clustering quality against ground truth: accuracy under the best one-to-one matching, NMI, ARI. */
export interface ClusteringScore {
  acc: number
  nmi: number
  ari: number
}

/** Contingency table: rows = true classes, columns = predicted clusters (both relabelled 0..). */
export function contingency(truth: ArrayLike<number>, pred: ArrayLike<number>): number[][] {
  if (truth.length !== pred.length) {
    throw new Error(`truth has ${truth.length} labels but pred has ${pred.length}`)
  }
  const rowOf = relabel(truth)
  const colOf = relabel(pred)
  const table = Array.from({ length: rowOf.count }, () => new Array<number>(colOf.count).fill(0))
  for (let i = 0; i < truth.length; i++) table[rowOf.ids[i]!]![colOf.ids[i]!]! += 1
  return table
}

function relabel(labels: ArrayLike<number>): { ids: Int32Array; count: number } {
  const map = new Map<number, number>()
  const ids = new Int32Array(labels.length)
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!
    let id = map.get(l)
    if (id === undefined) {
      id = map.size
      map.set(l, id)
    }
    ids[i] = id
  }
  return { ids, count: map.size }
}

/** Fraction of items correct after matching clusters to classes one-to-one (Hungarian). */
export function clusteringAccuracy(table: number[][]): number {
  const total = sumAll(table)
  if (total === 0) return 0
  const matched = munkres(table.map((row) => row.map((v) => -v)))
  let correct = 0
  for (const [r, c] of matched) correct += table[r]![c]!
  return correct / total
}

/** Normalised mutual information with the arithmetic-mean normaliser (scikit-learn's default). */
export function normalizedMutualInfo(table: number[][]): number {
  const total = sumAll(table)
  const rows = table.map(sum)
  const cols = columnSums(table)
  let mi = 0
  for (let r = 0; r < table.length; r++) {
    for (let c = 0; c < cols.length; c++) {
      const nij = table[r]![c]!
      if (nij > 0) mi += (nij / total) * Math.log((nij * total) / (rows[r]! * cols[c]!))
    }
  }
  const hr = entropy(rows, total)
  const hc = entropy(cols, total)
  // Both labelings a single group: identical, by scikit-learn's convention.
  if (hr === 0 && hc === 0) return 1
  const denom = (hr + hc) / 2
  return denom === 0 ? 0 : Math.max(0, mi / denom)
}

/** Adjusted Rand index (Hubert and Arabie). */
export function adjustedRandIndex(table: number[][]): number {
  const total = sumAll(table)
  let sumCells = 0
  for (const row of table) for (const v of row) sumCells += pairs(v)
  const sumRows = table.map(sum).reduce((a, v) => a + pairs(v), 0)
  const sumCols = columnSums(table).reduce((a, v) => a + pairs(v), 0)
  const expected = (sumRows * sumCols) / pairs(total)
  const maxIndex = (sumRows + sumCols) / 2
  if (maxIndex === expected) return 1
  return (sumCells - expected) / (maxIndex - expected)
}

export function scoreClustering(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
): ClusteringScore {
  const table = contingency(truth, pred)
  return {
    acc: clusteringAccuracy(table),
    nmi: normalizedMutualInfo(table),
    ari: adjustedRandIndex(table),
  }
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2
}

function sum(values: number[]): number {
  return values.reduce((a, v) => a + v, 0)
}

function sumAll(table: number[][]): number {
  return table.reduce((a, row) => a + sum(row), 0)
}

function columnSums(table: number[][]): number[] {
  const cols = new Array<number>(table[0]?.length ?? 0).fill(0)
  for (const row of table) row.forEach((v, c) => (cols[c]! += v))
  return cols
}

function entropy(counts: number[], total: number): number {
  let h = 0
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log(c / total)
  return h
}

/**
 * What it takes a person to turn the groups into the true classes. Each group stands for its
 * majority class (ties: the class seen first); its other photos must be moved (`moves`), and
 * groups standing for the same class must be merged (`merges` = groups − distinct majority
 * classes). A class that is the majority of no group has all its photos counted as moves.
 */
export interface FixCost {
  moves: number
  merges: number
  /** (moves + merges) per 100 photos. */
  per100: number
}

function majorityPerGroup(table: number[][]): { cls: number; count: number }[] {
  const groups = table[0]?.length ?? 0
  return Array.from({ length: groups }, (_, c) => {
    let best = { cls: -1, count: -1 }
    table.forEach((row, r) => {
      if (row[c]! > best.count) best = { cls: r, count: row[c]! }
    })
    return best
  })
}

/** Share of photos in their group's majority class (1 for any split of pure groups). */
export function purity(table: number[][]): number {
  const total = sumAll(table)
  if (total === 0) return 0
  return majorityPerGroup(table).reduce((a, g) => a + g.count, 0) / total
}

export function fixCost(table: number[][]): FixCost {
  const total = sumAll(table)
  const majority = majorityPerGroup(table).filter((g) => g.count > 0)
  const moves = total - majority.reduce((a, g) => a + g.count, 0)
  const merges = majority.length - new Set(majority.map((g) => g.cls)).size
  return { moves, merges, per100: total === 0 ? 0 : (100 * (moves + merges)) / total }
}

/** ACC/NMI/ARI plus what a person feels: purity and the fix cost. */
export interface GroupingScore extends ClusteringScore {
  purity: number
  fixCost: FixCost
}

export function scoreGrouping(truth: ArrayLike<number>, pred: ArrayLike<number>): GroupingScore {
  const table = contingency(truth, pred)
  return {
    acc: clusteringAccuracy(table),
    nmi: normalizedMutualInfo(table),
    ari: adjustedRandIndex(table),
    purity: purity(table),
    fixCost: fixCost(table),
  }
}
