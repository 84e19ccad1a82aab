export {}
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { topK } from '../src/core/ml/neighbours'
const be = process.argv[2] ?? 'wasm'
await tf.setBackend(be)
await tf.ready()
const n = Number(process.argv[3] ?? 10000),
  dim = 1280
const data = new Float32Array(n * dim)
let s = 1
for (let i = 0; i < data.length; i++) {
  s = (s * 16807) % 2147483647
  data[i] = s / 2147483647
}
for (let i = 0; i < n; i++) {
  let q = 0
  for (let j = 0; j < dim; j++) q += data[i * dim + j] ** 2
  q = Math.sqrt(q)
  for (let j = 0; j < dim; j++) data[i * dim + j] /= q
}
for (const br of [512, 1677]) {
  const t0 = performance.now()
  await topK(data, n, dim, 20, { blockRows: br })
  console.log(
    be,
    'block',
    br,
    ((performance.now() - t0) / 1000).toFixed(2),
    's',
    tf.memory().numTensors,
  )
}
