/**
 * Clustering bench on features dumped by bench/dump-features.ts (.cache/features/<set>.f32 +
 * .json): k-means, SCAN, SCAN + self-label; prints ACC/NMI/ARI, seconds, group sizes.
 * Usage: node bin/run-ts.js bench/research/cluster.ts [set...] [--seed S] [--clusters K|auto]
 */
import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../../src/core/ml/backend'
import { kmeans } from '../../src/core/ml/kmeans'
import { scoreClustering, type ClusteringScore } from '../../src/core/ml/metrics'
import { topK } from '../../src/core/ml/neighbours'
import { assignments, trainScan } from '../../src/core/ml/scan'
import { selfLabel } from '../../src/core/ml/selflabel'

export interface ClusterBench {
  set: string
  n: number
  k: number
  backend: string
  seconds: { neighbours: number; kmeans: number; scan: number; selflabel: number }
  /** Process CPU seconds of the same stages (the machine may be shared). */
  cpuSeconds: { neighbours: number; kmeans: number; scan: number; selflabel: number }
  kmeans: ClusteringScore
  scan: ClusteringScore
  selflabel: ClusteringScore
  sizes: { scan: number[]; selflabel: number[] }
  warnings: string[]
}

export function loadDumped(set: string, dir = '.cache/features') {
  const meta = JSON.parse(readFileSync(`${dir}/${set}.json`, 'utf8')) as {
    n: number
    dim: number
    labels: number[]
  }
  const buf = readFileSync(`${dir}/${set}.f32`)
  const features = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
  return { ...meta, features: new Float32Array(features) }
}

/** Wall seconds; CPU seconds of this process are logged too (the machine is shared). */
const cpu: Record<string, number> = {}
const timed = async <T>(f: () => Promise<T>, name = ''): Promise<[T, number]> => {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const r = await f()
  const c = process.cpuUsage(c0)
  cpu[name] = (c.user + c.system) / 1e6
  return [r, (performance.now() - t0) / 1000]
}
const cpuOf = (name: string): string => `(cpu ${cpu[name]!.toFixed(1)} s)`

export async function benchCluster(
  set: string,
  opts: { seed?: number; clusters?: number | 'auto'; knn?: number; log?: (s: string) => void } = {},
): Promise<ClusterBench> {
  const log = opts.log ?? (() => {})
  const { n, dim, labels, features } = loadDumped(set)
  const classes = new Set(labels).size
  const clusters = opts.clusters ?? classes
  const knn = opts.knn ?? 20
  const seed = opts.seed ?? 0
  const { backend, device } = await initBackend()
  log(`${set}: n=${n} dim=${dim} classes=${classes} backend=${backend} (${device})`)
  const [nb, tNb] = await timed(() => topK(features, n, dim, knn), 'nb')
  let pure = 0
  for (let i = 0; i < n * knn; i++) if (labels[nb.index[i]!] === labels[Math.floor(i / knn)]) pure++
  log(
    `  neighbours ${tNb.toFixed(1)} s ${cpuOf('nb')}, ${knn}-NN purity ${(pure / (n * knn)).toFixed(3)}`,
  )
  const kk = typeof clusters === 'number' ? clusters : classes
  const [km, tKm] = await timed(() => kmeans(features, n, dim, kk, seed, { nInit: 10 }), 'km')
  const kmScore = scoreClustering(labels, km.labels)
  log(`  k-means   ${fmt(kmScore)}  ${tKm.toFixed(1)} s ${cpuOf('km')}`)
  const [scan, tScan] = await timed(
    () => trainScan({ features, n, dim, neighbours: nb.index, knn, clusters, seed }),
    'scan',
  )
  const scanAssign = assignments(scan.model.predict(features, n), n)
  const scanScore = scoreClustering(labels, scanAssign.labels)
  log(
    `  SCAN      ${fmt(scanScore)}  ${tScan.toFixed(1)} s ${cpuOf('scan')}  k=${scan.model.k} (${scan.outputs} over-clusters, head ${scan.head})`,
  )
  log(
    `    merge (${scan.merge.linkage}; modularity share ${scan.merge.modularity.share.toFixed(3)} vs greedy ${scan.merge.modularity.modularity.toFixed(3)}) last steps (groups:score) ${scan.merge.trace
      .slice(-8)
      .map((s) => `${s.groups}:${s.score.toFixed(3)}`)
      .join(' ')}`,
  )
  const [sl, tSl] = await timed(() => selfLabel(scan.model, { features, n, dim, seed }), 'sl')
  const slAssign = assignments(sl.model.predict(features, n), n)
  const slScore = scoreClustering(labels, slAssign.labels)
  log(
    `  +selflabel ${fmt(slScore)}  ${tSl.toFixed(1)} s ${cpuOf('sl')}  pseudo-labels ${sl.pseudoLabels.reduce((a, v) => a + v, 0)} (${sl.aboveThreshold} above 0.99)`,
  )
  log(`  sizes ${slAssign.sizes.join(' ')}`)
  return {
    set,
    n,
    k: sl.model.k,
    backend,
    seconds: { neighbours: tNb, kmeans: tKm, scan: tScan, selflabel: tSl },
    cpuSeconds: { neighbours: cpu.nb!, kmeans: cpu.km!, scan: cpu.scan!, selflabel: cpu.sl! },
    kmeans: kmScore,
    scan: scanScore,
    selflabel: slScore,
    sizes: { scan: scanAssign.sizes, selflabel: slAssign.sizes },
    warnings: [...scan.warnings, ...sl.warnings],
  }
}

function fmt(s: ClusteringScore): string {
  return `ACC ${s.acc.toFixed(3)} NMI ${s.nmi.toFixed(3)} ARI ${s.ari.toFixed(3)}`
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name)
    return i >= 0 ? args.splice(i, 2)[1] : undefined
  }
  const seed = Number(flag('--seed') ?? 0)
  const c = flag('--clusters')
  const clusters = c === undefined ? undefined : c === 'auto' ? 'auto' : Number(c)
  const sets = args.length > 0 ? args : ['caltech20', 'cifar10-test']
  for (const set of sets) await benchCluster(set, { seed, clusters, log: console.log })
  console.log(`tensors left: ${tf.memory().numTensors}`)
}

if (process.argv[1]?.endsWith('research/cluster.ts')) await main()
