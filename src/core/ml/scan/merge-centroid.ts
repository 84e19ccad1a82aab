/**
 * The 'centroid' merge rule, kept for comparison with the kNN-link rules (see
 * bench/research/merge-sweep.ts): over-clusters merge by the cosine of their mean features.
 */
import type { MergeStep } from './merge'

/** Average linkage in feature space: cosine between the cluster sums of centred rows. */
export function agglomerateCentroids(
  labels: Int32Array,
  m: number,
  features: Float32Array,
  dim: number,
  target: number | 'auto',
  threshold: number,
): { parent: Int32Array; trace: MergeStep[] } {
  const n = labels.length
  const mean = new Float64Array(dim)
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += features[i * dim + d]! / n
  const sums = Array.from({ length: m }, () => new Float64Array(dim))
  const size = new Float64Array(m)
  for (let i = 0; i < n; i++) {
    const s = sums[labels[i]!]!
    size[labels[i]!]!++
    let norm = 0
    for (let d = 0; d < dim; d++) norm += (features[i * dim + d]! - mean[d]!) ** 2
    const inv = 1 / Math.sqrt(norm || 1)
    for (let d = 0; d < dim; d++) s[d]! += (features[i * dim + d]! - mean[d]!) * inv
  }
  const cos = (a: Float64Array, b: Float64Array) => {
    let ab = 0,
      aa = 0,
      bb = 0
    for (let d = 0; d < dim; d++) {
      ab += a[d]! * b[d]!
      aa += a[d]! * a[d]!
      bb += b[d]! * b[d]!
    }
    return ab / Math.sqrt(aa * bb || 1)
  }
  const parent = Int32Array.from({ length: m }, (_, i) => i)
  const active: number[] = []
  for (let c = 0; c < m; c++) if (size[c]! > 0) active.push(c)
  const trace: MergeStep[] = []
  const stopAt = target === 'auto' ? 1 : Math.max(1, target)
  while (active.length > stopAt) {
    let best = { x: -1, y: -1, score: -Infinity }
    for (let x = 0; x < active.length; x++)
      for (let y = x + 1; y < active.length; y++) {
        const score = cos(sums[active[x]!]!, sums[active[y]!]!)
        if (score > best.score) best = { x, y, score }
      }
    if (target === 'auto' && best.score < threshold) break
    const a = active[best.x]!
    const b = active[best.y]!
    trace.push({ groups: active.length, score: best.score })
    for (let d = 0; d < dim; d++) sums[a]![d]! += sums[b]![d]!
    size[a]! += size[b]!
    parent[b] = a
    active.splice(best.y, 1)
  }
  return { parent, trace }
}
