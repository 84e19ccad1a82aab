/**
 * Which merge score tells pieces of one class from two classes: replays the share linkage on
 * every 'auto' library of a merge-sweep dump down to one group and, for each merge, computes
 * several candidate scores and whether the two clusters have the same majority class. Prints,
 * per score, the threshold with the fewest wrong decisions and how many there are.
 * Usage: node bin/run-ts.js bench/research/stop-stats.ts [--file dump.json] [--set caltech20]
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { mergeView, readDumps, type OverclusterDump } from '../quality/cluster'
import { cacheDir } from '../quality/dataset'

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: path.join(cacheDir, 'overclusters.json') },
    set: { type: 'string', default: 'caltech20' },
  },
})

type Stats = Record<string, number>
interface Step {
  lib: string
  good: boolean
  stats: Stats
}

function replay(d: OverclusterDump): Step[] {
  const n = d.truth.length
  const { knn, neighbours: nb } = mergeView(d)
  const m = d.outputs
  const K = Math.max(...d.truth) + 1
  const isNb = (i: number, j: number) => {
    for (let t = 0; t < knn; t++) if (nb[i * knn + t] === j) return true
    return false
  }
  const links = new Float64Array(m * m)
  const size = new Float64Array(m)
  const counts = new Float64Array(m * K)
  for (let i = 0; i < n; i++) {
    const a = d.labels[i]!
    size[a]!++
    counts[a * K + d.truth[i]!]!++
    for (let t = 0; t < knn; t++) {
      const j = nb[i * knn + t]!
      if (!isNb(j, i)) continue
      const b = d.labels[j]!
      links[a * m + b]!++
      links[b * m + a]!++
    }
  }
  const degree = new Float64Array(m)
  let total = 0
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) degree[a]! += links[a * m + b]!
    total += degree[a]!
  }
  const majority = (a: number) => {
    let best = 0
    for (let c = 1; c < K; c++) if (counts[a * K + c]! > counts[a * K + best]!) best = c
    return best
  }
  const active: number[] = []
  for (let c = 0; c < m; c++) if (size[c]! > 0) active.push(c)
  const steps: Step[] = []
  const lib = `${d.scenario} s${d.seed}`
  while (active.length > 1) {
    let best = { x: -1, y: -1, score: -Infinity }
    for (let x = 0; x < active.length; x++)
      for (let y = x + 1; y < active.length; y++) {
        const a = active[x]!
        const b = active[y]!
        const score = links[a * m + b]! / (knn * Math.min(size[a]!, size[b]!))
        if (score > best.score) best = { x, y, score }
      }
    const a = active[best.x]!
    const b = active[best.y]!
    const l = links[a * m + b]!
    const ext = (c: number) => degree[c]! - links[c * m + c]!
    const small = size[a]! <= size[b]! ? a : b
    steps.push({
      lib,
      good: majority(a) === majority(b),
      stats: {
        share: best.score,
        degree: l / Math.max(1, Math.min(degree[a]!, degree[b]!)),
        external: l / Math.max(1, ext(small)),
        externalMin: l / Math.max(1, Math.min(ext(a), ext(b))),
        lift: (l * total) / Math.max(1, degree[a]! * degree[b]!),
        sqrt: l / (knn * Math.sqrt(size[a]! * size[b]!)),
        // Links between a and b against links inside the smaller one.
        inside: l / Math.max(1, links[small * m + small]!),
        // Share of the less cohesive cluster's link ends that stay inside it.
        cohesion: Math.min(
          links[a * m + a]! / Math.max(1, degree[a]!),
          links[b * m + b]! / Math.max(1, degree[b]!),
        ),
      },
    })
    const inside = links[a * m + a]! + links[b * m + b]! + 2 * l
    for (let c = 0; c < m; c++) {
      links[a * m + c]! += links[b * m + c]!
      links[c * m + a]! += links[c * m + b]!
    }
    links[a * m + a] = inside
    for (let c = 0; c < K; c++) counts[a * K + c]! += counts[b * K + c]!
    degree[a]! += degree[b]!
    size[a]! += size[b]!
    for (let c = 0; c < m; c++) links[b * m + c] = links[c * m + b] = 0
    degree[b] = size[b] = 0
    active.splice(best.y, 1)
  }
  return steps
}

const dumped = readDumps(values.file).filter((d) => d.mode === 'auto' && d.set === values.set)
const steps = dumped.flatMap(replay)
if (process.env.DUMP_STEPS) {
  for (const s of steps.filter((x) => x.stats.share! < 0.2))
    console.log(
      `${s.lib.padEnd(16)} ${s.good ? 'same ' : 'cross'} share ${s.stats.share!.toFixed(3)} cohesion ${s.stats.cohesion!.toFixed(2)}`,
    )
}
const good = steps.filter((s) => s.good).length
console.log(`${steps.length} merges, ${good} within a class, ${steps.length - good} across`)
for (const key of Object.keys(steps[0]!.stats)) {
  const values = [...new Set(steps.map((s) => s.stats[key]!))].sort((a, b) => a - b)
  let best = { t: 0, wrong: Infinity, goodBelow: 0, badAbove: 0 }
  for (const t of values) {
    const goodBelow = steps.filter((s) => s.good && s.stats[key]! < t).length
    const badAbove = steps.filter((s) => !s.good && s.stats[key]! >= t).length
    // A wrong merge (two classes in one group) costs a person more than a missed one.
    const wrong = goodBelow + 3 * badAbove
    if (wrong < best.wrong) best = { t, wrong, goodBelow, badAbove }
  }
  const libsHurt = new Set(
    steps.filter((s) => !s.good && s.stats[key]! >= best.t).map((s) => s.lib),
  )
  console.log(
    `${key.padEnd(12)} threshold ${best.t.toFixed(4)}: within-class merges missed ${best.goodBelow}, cross-class merges made ${best.badAbove} (${[...libsHurt].join(', ')})`,
  )
}
