// Embeds the labelled shared datasets with the default backbone and writes the L2-normalised
// view-0 features for clustering research:
//   .cache/features/<set>.f32   row-major float32, n × 1280
//   .cache/features/<set>.json  {n, dim, labels, classes, files}
// Usage: node ./bin/run-ts.js bench/dump-features.ts [set...]   (default: caltech20 cifar10-test)
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../src/core/ml/backend'
import { l2Normalise, loadBackbone, INPUT_SIZE, type Backbone } from '../src/core/ml/backbone'
import { decodeNetworkPixels, toInputBatch, type Pixels } from '../src/core/ml/embed/preprocess'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shared = path.resolve(process.env.KINDRED_SHARED ?? path.join(root, '..', 'shared'))
const modelsDir = path.resolve(process.env.KINDRED_MODELS_DIR ?? path.join(shared, 'models'))
const outDir = path.join(root, '.cache', 'features')
const BATCH = 16
const IMAGE = /\.(jpe?g|png|webp|tiff?|gif|avif|heic|heif)$/i

interface Listing {
  classes: string[]
  files: string[]
  labels: number[]
}

function listDataset(dir: string): Listing {
  const classes = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
  const files: string[] = []
  const labels: number[] = []
  classes.forEach((name, label) => {
    for (const file of fs
      .readdirSync(path.join(dir, name))
      .filter((f) => IMAGE.test(f))
      .sort()) {
      files.push(path.join(name, file))
      labels.push(label)
    }
  })
  return { classes, files, labels }
}

function embedBatch(backbone: Backbone, pixels: Pixels[]): Float32Array {
  const input = tf.tensor4d(toInputBatch(pixels), [pixels.length, INPUT_SIZE, INPUT_SIZE, 3])
  const features = backbone.predict(input)
  const unit = l2Normalise(features)
  const data = unit.dataSync() as Float32Array
  tf.dispose([input, features, unit])
  return data
}

async function dumpSet(backbone: Backbone, set: string): Promise<void> {
  const dir = path.join(shared, 'datasets', set)
  const listing = listDataset(dir)
  const n = listing.files.length
  const partial = path.join(outDir, `${set}.f32.partial`)
  const fd = fs.openSync(partial, 'w')
  const started = performance.now()
  const decodeBatch = (from: number) =>
    Promise.all(
      listing.files.slice(from, from + BATCH).map((f) => decodeNetworkPixels(path.join(dir, f))),
    )
  let next = decodeBatch(0)
  for (let from = 0; from < n; from += BATCH) {
    const pixels = await next
    // Start decoding the next batch (libvips threads) while this one runs through the network.
    if (from + BATCH < n) next = decodeBatch(from + BATCH)
    const rows = embedBatch(backbone, pixels)
    fs.writeSync(fd, new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength))
    const done = Math.min(n, from + BATCH)
    if (done % (BATCH * 20) === 0 || done === n) {
      const s = (performance.now() - started) / 1000
      console.log(`${set}: ${done}/${n} (${(done / s).toFixed(1)} photos/s)`)
    }
  }
  fs.closeSync(fd)
  const seconds = (performance.now() - started) / 1000
  fs.renameSync(partial, path.join(outDir, `${set}.f32`))
  const meta = { n, dim: backbone.dim, ...listing }
  fs.writeFileSync(path.join(outDir, `${set}.json`), JSON.stringify(meta))
  console.log(
    `${set}: wrote ${n} × ${backbone.dim} in ${seconds.toFixed(1)} s = ${(n / seconds).toFixed(1)} photos/s`,
  )
}

const sets = process.argv.slice(2)
fs.mkdirSync(outDir, { recursive: true })
const info = await initBackend()
console.log(`backend ${info.backend} (${info.device})`)
const backbone = loadBackbone(path.join(modelsDir, 'mobilenet_v2_1.0_224'))
for (const set of sets.length > 0 ? sets : ['caltech20', 'cifar10-test'])
  await dumpSet(backbone, set)
backbone.dispose()
