// Embedding throughput on ONNX Runtime, excluding decode: 224×224 uint8 views → NCHW [-1, 1]
// → MobileNetV2 on the best execution provider that loads (or the ones named) → features read
// back. Also runs one batch on the CPU provider and prints the largest difference, so a GPU
// figure is known to compute the same features.
// Usage: node ./bin/run-ts.js bench/embed-ort.ts [--providers webgpu,cpu] [--sizes 64,256]
//        [--batches 16]
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  INPUT_SIZE,
  loadOnnxBackbone,
  PROVIDER_ORDER,
  toNchw,
  type OnnxBackbone,
  type OnnxProvider,
} from '../src/core/ml/backbone'

const { values } = parseArgs({
  options: {
    providers: { type: 'string' },
    sizes: { type: 'string', default: '64,256' },
    batches: { type: 'string', default: '16' },
  },
})
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const modelsDir = process.env.KINDRED_MODELS_DIR ?? path.join(root, '..', 'shared', 'models')
const modelDir = path.join(modelsDir, 'mobilenet_v2_1.0_224')
const providers = (values.providers?.split(',') ?? PROVIDER_ORDER) as OnnxProvider[]
const sizes = values.sizes.split(',').map(Number)
const batches = Number(values.batches)

function pixels(count: number): Uint8Array {
  return new Uint8Array(count * INPUT_SIZE * INPUT_SIZE * 3).map((_, i) => (i * 2654435761) >>> 24)
}

/**
 * Images per second over `batches` timed batches, after one untimed warm-up batch: uint8
 * views in (the embedder's input), or float NCHW packed by JavaScript each batch.
 */
async function rate(backbone: OnnxBackbone, size: number): Promise<number> {
  const views = pixels(size)
  const input = () => (backbone.input === 'pixels' ? views : toNchw(views, size))
  await backbone.run(input(), size)
  const started = performance.now()
  for (let i = 0; i < batches; i++) await backbone.run(input(), size)
  return (size * batches) / ((performance.now() - started) / 1000)
}

const [onPixels, onFloats] = [
  await loadOnnxBackbone(modelDir, { providers }),
  await loadOnnxBackbone(modelDir, { providers, input: 'float' }),
]
console.log(`provider ${onPixels.provider}: ${onPixels.device}; ${os.availableParallelism()} cores`)
for (const s of onPixels.skipped) console.log(`  passed over ${s.provider}: ${s.reason}`)
console.log('| batch | uint8 views → features img/s | float input packed in JS img/s |')
console.log('|---|---|---|')
for (const size of sizes) {
  console.log(
    `| ${size} | ${(await rate(onPixels, size)).toFixed(0)} | ${(await rate(onFloats, size)).toFixed(0)} |`,
  )
}
await onFloats.dispose()
const backbone = onPixels
if (backbone.provider !== 'cpu') {
  const size = Math.min(8, sizes[0] ?? 8)
  const input = pixels(size)
  const cpu = await loadOnnxBackbone(modelDir, { providers: ['cpu'] })
  const [a, b] = [await backbone.run(input, size), await cpu.run(input, size)]
  let diff = 0
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!))
  console.log(`largest |${backbone.provider} − cpu| over ${size} images: ${diff.toExponential(2)}`)
  await cpu.dispose()
}
await backbone.dispose()
process.exit(0)
