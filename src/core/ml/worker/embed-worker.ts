// Runs the backbone off the caller's thread: receives batches of decoded views, returns
// L2-normalised features. One backbone per worker, loaded on 'init': ONNX Runtime (the
// default) or TF.js (its GPU backends where ONNX Runtime has no GPU provider).
import path from 'node:path'
import { parentPort } from 'node:worker_threads'
import { INPUT_SIZE } from '../backbone/constants'
import { GPU_PROVIDERS, loadOnnxBackbone } from '../backbone/onnx'
import { normaliseRows } from '../rows'
import type { FromWorker, ToWorker } from './protocol'

const port = parentPort
if (!port) throw new Error('embed-worker must run in a worker thread')

type Embed = (pixels: Uint8Array, count: number) => Promise<Float32Array>
let embedBatch: Embed | undefined
let release: (() => unknown) | undefined

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer)
}

async function initOnnx(message: Extract<ToWorker, { type: 'init' }>): Promise<FromWorker> {
  const backbone = await loadOnnxBackbone(message.modelDir, {
    providers: message.gpuOnly ? GPU_PROVIDERS : undefined,
    threads: message.threads,
  })
  embedBatch = async (pixels, count) =>
    normaliseRows((await backbone.run(pixels, count)).slice(), backbone.dim)
  release = () => backbone.dispose()
  return {
    type: 'ready',
    embedder: { runtime: 'onnxruntime', provider: backbone.provider, device: backbone.device },
    model: path.basename(message.modelDir),
    dim: backbone.dim,
    skipped: backbone.skipped.map((s) => ({ name: s.provider, reason: s.reason })),
  }
}

async function initTfjs(message: Extract<ToWorker, { type: 'init' }>): Promise<FromWorker> {
  // Loaded only here: an ONNX Runtime worker never starts TF.js.
  const tf = await import('@tensorflow/tfjs')
  const { initBackend } = await import('../backend')
  const { l2Normalise, loadBackbone } = await import('../backbone')
  const { toInputTensor } = await import('./upload')
  const info = await initBackend(message.backend)
  // GPU backends get the packed (one float per pixel) upload.
  const packed = info.backend === 'webgpu' || info.backend === 'tensorflow-gpu'
  const backbone = loadBackbone(message.modelDir)
  const per = INPUT_SIZE * INPUT_SIZE * 3
  embedBatch = async (pixels, count) => {
    if (pixels.length !== count * per)
      throw new Error(`expected ${count * per} bytes, got ${pixels.length}`)
    const unit = tf.tidy(() => l2Normalise(backbone.predict(toInputTensor(pixels, count, packed))))
    try {
      // Asynchronous read: WebGPU cannot read synchronously in Node (it needs a canvas).
      return (await unit.data()) as Float32Array
    } finally {
      unit.dispose()
    }
  }
  release = () => backbone.dispose()
  return {
    type: 'ready',
    embedder: { runtime: 'tfjs', provider: info.backend, device: info.device },
    model: backbone.model,
    dim: backbone.dim,
    skipped: info.skipped.map((s) => ({ name: s.backend, reason: s.reason })),
  }
}

/** Passes still running: a close waits for them (see `closeWorker`). */
const inFlight = new Set<Promise<unknown>>()

/**
 * Ends the thread only once no pass is running and the model is released: a native runtime
 * whose thread is terminated under a running pass can crash the whole process.
 */
async function closeWorker(): Promise<void> {
  await Promise.allSettled([...inFlight])
  await release?.()
  release = undefined
  embedBatch = undefined
  process.exit(0) // in a worker thread: ends this thread only
}

port.on('message', async (message: ToWorker) => {
  if (message.type === 'close') {
    await closeWorker().catch(() => process.exit(1))
    return
  }
  try {
    if (message.type === 'init') {
      await release?.()
      embedBatch = undefined
      send(message.runtime === 'onnxruntime' ? await initOnnx(message) : await initTfjs(message))
    } else if (message.type === 'embed') {
      if (!embedBatch) throw new Error('the worker has no model loaded')
      const pass = embedBatch(message.pixels, message.count)
      inFlight.add(pass)
      const features = await pass.finally(() => inFlight.delete(pass))
      send({ type: 'embedded', id: message.id, features }, [features.buffer as ArrayBuffer])
    }
  } catch (error) {
    const id = message.type === 'embed' ? message.id : undefined
    send({ type: 'error', id, message: error instanceof Error ? error.message : String(error) })
  }
})
