/**
 * Does embedding choice change grouping quality? On a labelled set (a subset of at most
 * `--per-class` photos per class), embeds view 0 from the network input import stores (one
 * decode per photo) and from the original, plus 2 augmented views, then trains SCAN +
 * self-label (known K) on each combination and seed: ACC/NMI/ARI and 20-NN purity.
 * Usage: node bin/run-ts.js bench/research/embedding.ts <set> [--per-class N] [--seeds 0,1]
 *        [--cosine-only]   (only how close the stored input's features are to the original's)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { importFolders } from '../../src/core/ingest'
import { initBackend } from '../../src/core/ml/backend'
import { embedLibrary, loadEmbeddings } from '../../src/core/ml/embed'
import { scoreClustering, type ClusteringScore } from '../../src/core/ml/metrics'
import { topK } from '../../src/core/ml/neighbours'
import { argmaxRows } from '../../src/core/ml/rows'
import { predictModel, trainScanStage, trainSelfLabelStage } from '../../src/core/pipeline/training'
import { openLibrary } from '../../src/core/store/library'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const shared = path.resolve(process.env.KINDRED_SHARED ?? path.join(root, '..', 'shared'))
process.env.KINDRED_MODELS_DIR ??= path.join(shared, 'models')
const args = process.argv.slice(2)
const set = args[0] ?? 'caltech20'
const flag = (name: string, fallback: string) =>
  args.includes(name) ? (args[args.indexOf(name) + 1] ?? fallback) : fallback
const perClass = Number(flag('--per-class', '100000'))
const seeds = flag('--seeds', '0,1').split(',').map(Number)
const KNN = 20
const fmt = (s: ClusteringScore) =>
  `ACC ${s.acc.toFixed(3)} NMI ${s.nmi.toFixed(3)} ARI ${s.ari.toFixed(3)}`

const source = path.join(shared, 'datasets', set)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-bench-embedding-'))
const photos = path.join(tmp, 'photos')
fs.mkdirSync(photos)
const classes = fs.readdirSync(source).sort()
const labelOf = new Map<string, number>()
classes.forEach((cls, label) => {
  for (const file of fs.readdirSync(path.join(source, cls)).sort().slice(0, perClass)) {
    const link = path.join(photos, `${cls}--${file}`)
    fs.symlinkSync(path.join(source, cls, file), link)
    labelOf.set(link, label)
  }
})
const lib = openLibrary(path.join(tmp, 'library'))
try {
  await importFolders(lib, [photos])
  const tfInfo = await initBackend()
  let started = performance.now()
  const embedded = await embedLibrary(lib, { views: args.includes('--cosine-only') ? 0 : 2 })
  console.log(
    `${set}: ${embedded.embedded} photos, ${classes.length} classes; embedded 3 views in ${((performance.now() - started) / 1000).toFixed(0)} s on ${embedded.embedder?.runtime} ${embedded.embedder?.provider} (load ${os.loadavg()[0]!.toFixed(1)}); training on ${tfInfo.backend}`,
  )
  const stored = loadEmbeddings(lib.db, 'mobilenet_v2_1.0_224', 0)
  const views = [1, 2].map((v) => loadEmbeddings(lib.db, 'mobilenet_v2_1.0_224', v).data)
  lib.db.prepare('DELETE FROM embeddings WHERE view = 0').run()
  started = performance.now()
  await embedLibrary(lib, { views: 0, fromOriginals: true })
  const original = loadEmbeddings(lib.db, 'mobilenet_v2_1.0_224', 0)
  const pathOf = lib.db.prepare('SELECT path FROM photos WHERE id = ?').pluck()
  const labels = stored.ids.map((id) => labelOf.get(pathOf.get(id) as string) ?? -1)
  const n = stored.ids.length
  const dim = stored.dim
  let agree = 0
  for (let i = 0; i < n; i++) {
    let dot = 0
    for (let d = 0; d < dim; d++) dot += stored.data[i * dim + d]! * original.data[i * dim + d]!
    agree += dot
  }
  console.log(`mean cosine, stored input vs original decode: ${(agree / n).toFixed(4)}`)
  if (args.includes('--cosine-only')) process.exit(0)

  const combos = [
    { name: 'original, no views', features: original.data, views: [] as Float32Array[] },
    { name: 'original + 2 views', features: original.data, views },
    { name: 'stored input, no views', features: stored.data, views: [] as Float32Array[] },
    { name: 'stored input + 2 views', features: stored.data, views },
  ]
  for (const combo of combos) {
    const nb = await topK(combo.features, n, dim, KNN)
    let pure = 0
    for (let i = 0; i < n * KNN; i++)
      if (labels[nb.index[i]!] === labels[Math.floor(i / KNN)]) pure++
    for (const seed of seeds) {
      const t0 = performance.now()
      const input = {
        features: combo.features,
        n,
        dim,
        views: combo.views,
        neighbours: nb.index,
        knn: KNN,
        clusters: classes.length,
        seed,
      }
      const scan = await trainScanStage(input)
      const refined = await trainSelfLabelStage(input, scan.checkpoint)
      const pred = await predictModel(refined.checkpoint, combo.features, n)
      const score = scoreClustering(labels, Array.from(argmaxRows(pred.probs, n, pred.k)))
      console.log(
        `  ${combo.name.padEnd(24)} seed ${seed}: ${fmt(score)}  purity ${(pure / (n * KNN)).toFixed(3)}  (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      )
    }
  }
} finally {
  lib.close()
  fs.rmSync(tmp, { recursive: true, force: true })
}
