// Embedding throughput excluding decode: 224×224 uint8 views → upload → MobileNetV2 →
// L2-normalised features read back, on the backend chosen as the app would (or forced).
// For the GPU check (docs/GPU-CHECK.md) bundle this file with esbuild and run it there.
// Usage: node ./bin/run-ts.js bench/embed-forward.ts [batch=64] [batches=8] [packed|plain]
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../src/core/ml/backend'
import { INPUT_SIZE, l2Normalise, loadBackbone } from '../src/core/ml/backbone'
import { toInputTensor } from '../src/core/ml/worker/upload'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const modelsDir = process.env.KINDRED_MODELS_DIR ?? path.join(root, '..', 'shared', 'models')
const batch = Number(process.argv[2] ?? 64)
const batches = Number(process.argv[3] ?? 8)
const info = await initBackend()
const packed = (process.argv[4] ?? (info.backend === 'webgpu' ? 'packed' : 'plain')) === 'packed'
const backbone = loadBackbone(path.join(modelsDir, 'mobilenet_v2_1.0_224'))
const pixels = new Uint8Array(batch * INPUT_SIZE * INPUT_SIZE * 3).map(
  (_, i) => (i * 2654435761) >>> 24,
)

async function run(withNetwork: boolean): Promise<number> {
  const out = tf.tidy(() => {
    const input = toInputTensor(pixels, batch, packed)
    return withNetwork ? l2Normalise(backbone.predict(input)) : tf.sum(input)
  })
  await out.data()
  out.dispose()
  return batch
}

async function measure(withNetwork: boolean): Promise<number> {
  await run(withNetwork) // warm-up: shader compilation / operator set-up
  const started = performance.now()
  let images = 0
  for (let i = 0; i < batches; i++) images += await run(withNetwork)
  return images / ((performance.now() - started) / 1000)
}

const upload = await measure(false)
const forward = await measure(true)
console.log(
  `backend ${info.backend} (${info.device}), ${os.availableParallelism()} cores, batch ${batch}, ${packed ? 'packed' : 'plain'} upload`,
)
console.log(`upload + scale only: ${upload.toFixed(0)} img/s`)
console.log(`upload + MobileNetV2 + L2 + read back: ${forward.toFixed(1)} img/s`)
backbone.dispose()
process.exit(0)
