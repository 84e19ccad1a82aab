/**
 * Libraries of many kinds, which no labelled set here has (caltech20 has 20, CIFAR-10 has 10).
 * 1. Scale: all 10,000 CIFAR-10 photos asked for 100 groups, and 'auto': seconds, groups and
 *    memory (CIFAR-10 has 10 kinds, so the grouping itself is not scored there).
 * 2. Over-clusters per kind: a library of 100 kinds in ~9,000 photos gets 300 over-clusters at
 *    its true K (3 per kind) and 150 in 'auto' (1.5 per kind, the cap); all of caltech20 gets
 *    150 for its 20 kinds (7.5 per kind). Here all of caltech20 runs with the product's count
 *    and with 3 and 1.5 per kind forced, at K=20 and 'auto'.
 * Usage: node bin/run-ts.js bench/research/many-kinds.ts [--seed S] [--skip-scale]
 */
import { parseArgs } from 'node:util'
import { initBackend } from '../../src/core/ml/backend'
import { seededRandom } from '../../src/core/ml/random'
import { clusterLibrary, prepareLibrary } from '../quality/cluster'
import { loadSet, type LabelledSet } from '../quality/dataset'
import { buildLibrary, type Library } from '../quality/scenarios'
import { scoreRun } from '../quality/scoring'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '0' },
    'skip-scale': { type: 'boolean', default: false },
  },
})
const seed = Number(values.seed)
await initBackend()

/** Every photo of `set`, in one library. */
function whole(set: LabelledSet, name: string): Library {
  const classes = set.classes.map((_, i) => i)
  const all = classes.map(() => Number.MAX_SAFE_INTEGER)
  return buildLibrary(set, name, seed, classes, all, seededRandom(seed))
}

const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(2)

if (!values['skip-scale']) {
  const cifar = loadSet('cifar10-test')
  const lib = whole(cifar, 'cifar10-test')
  console.log(`Scale: cifar10-test, n=${lib.rows.length}`)
  for (const clusters of [100, 'auto'] as const) {
    const started = performance.now()
    const asked = { ...lib, k: clusters === 'auto' ? lib.k : clusters }
    const p = await prepareLibrary(cifar, asked)
    const neighbours = (performance.now() - started) / 1000
    const run = await clusterLibrary(p, clusters === 'auto' ? 'auto' : 'k', seed)
    console.log(
      `  ${String(clusters).padEnd(4)} neighbours ${neighbours.toFixed(1)} s, SCAN + self-label ${run.seconds.toFixed(1)} s, ${run.scan.outputs} over-clusters, ${new Set(run.labels.final).size} groups, RSS ${gb(process.memoryUsage().rss)} GiB`,
    )
  }
}

const caltech = loadSet('caltech20')
const lib = whole(caltech, 'caltech20')
const p = await prepareLibrary(caltech, lib)
console.log(`Over-clusters per kind: caltech20, n=${lib.rows.length}, K=${lib.k}, seed ${seed}`)
for (const perKind of [undefined, 3, 1.5]) {
  for (const mode of ['k', 'auto'] as const) {
    const run = await clusterLibrary(p, mode, seed, perKind && Math.round(perKind * lib.k))
    const per = (run.scan.outputs / lib.k).toFixed(1)
    for (const stage of ['scan', 'final'] as const) {
      const r = scoreRun(lib, mode, stage, run.labels[stage])
      console.log(
        `  ${per.padStart(4)} per kind ${mode.padEnd(4)} ${stage.padEnd(5)} ACC ${r.acc.toFixed(3)} purity ${r.purity.toFixed(3)} fix ${r.fix.toFixed(1)}/100 (${r.moves} moves, ${r.merges} merges) groups ${r.groups}`,
      )
    }
  }
}
