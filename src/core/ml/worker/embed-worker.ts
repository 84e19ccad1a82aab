// Runs the backbone off the caller's thread: receives batches of decoded views, returns
// L2-normalised features. One backbone per worker, loaded on 'init'.
import { parentPort } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../backend'
import { INPUT_SIZE, l2Normalise, loadBackbone, type Backbone } from '../backbone'
import type { FromWorker, ToWorker } from './protocol'
import { toInputTensor } from './upload'

const port = parentPort
if (!port) throw new Error('embed-worker must run in a worker thread')

let backbone: Backbone | undefined
/** GPU backends get the packed (one float per pixel) upload. */
let packedUpload = false

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer)
}

async function embed(pixels: Uint8Array, count: number): Promise<Float32Array> {
  if (!backbone) throw new Error('the worker has no model loaded')
  const model = backbone
  const per = INPUT_SIZE * INPUT_SIZE * 3
  if (pixels.length !== count * per)
    throw new Error(`expected ${count * per} bytes, got ${pixels.length}`)
  const unit = tf.tidy(() => l2Normalise(model.predict(toInputTensor(pixels, count, packedUpload))))
  try {
    // Asynchronous read: WebGPU cannot read synchronously in Node (it needs a canvas).
    return (await unit.data()) as Float32Array
  } finally {
    unit.dispose()
  }
}

port.on('message', async (message: ToWorker) => {
  try {
    if (message.type === 'init') {
      const info = await initBackend(message.backend)
      packedUpload = info.backend === 'webgpu' || info.backend === 'tensorflow-gpu'
      backbone?.dispose()
      backbone = loadBackbone(message.modelDir)
      send({
        type: 'ready',
        backend: info.backend,
        device: info.device,
        model: backbone.model,
        dim: backbone.dim,
      })
    } else if (message.type === 'embed') {
      const features = await embed(message.pixels, message.count)
      send({ type: 'embedded', id: message.id, features }, [features.buffer as ArrayBuffer])
    }
  } catch (error) {
    const id = message.type === 'embed' ? message.id : undefined
    send({ type: 'error', id, message: error instanceof Error ? error.message : String(error) })
  }
})
