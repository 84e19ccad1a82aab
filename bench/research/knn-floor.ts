/**
 * What the features allow: with the true labels, how often a photo's nearest photo, and the
 * majority of its 10 nearest, have another label. Photos a grouping leaves in a wrong group
 * can hardly be fewer than this.
 * Usage: node bin/run-ts.js bench/research/knn-floor.ts [--set caltech20]
 */
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { topK } from '../../src/core/ml/neighbours'
import { loadSet } from '../quality/dataset'

const { values } = parseArgs({ options: { set: { type: 'string', default: 'caltech20' } } })
const K = 10

/** The most common label among a photo's K nearest (the nearer one wins a tie). */
function majority(labels: ArrayLike<number>, index: Int32Array, i: number): number {
  const counts = new Map<number, number>()
  let best = -1
  for (let r = 0; r < K; r++) {
    const label = labels[index[i * K + r]!]!
    counts.set(label, (counts.get(label) ?? 0) + 1)
    if (best < 0 || counts.get(label)! > counts.get(best)!) best = label
  }
  return best
}

await initBackend()
const set = loadSet(values.set, 3000)
const { index } = await topK(set.features, set.n, set.dim, K)
let nearest = 0
let ten = 0
for (let i = 0; i < set.n; i++) {
  if (set.labels[index[i * K]!] !== set.labels[i]) nearest++
  if (majority(set.labels, index, i) !== set.labels[i]) ten++
}
const pct = (v: number) => `${((100 * v) / set.n).toFixed(1)}%`
console.log(`${set.name}: ${set.n} photos; wrong label of the nearest photo ${pct(nearest)},`)
console.log(`  of the majority of the ${K} nearest ${pct(ten)}`)
