export {}
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
await tf.setBackend(process.argv[2] ?? 'wasm')
await tf.ready()
const x = tf.randomNormal([1024, 1280]),
  w = tf.randomNormal([1280, 90]),
  g = tf.randomNormal([1024, 90])
const time = async (name: string, f: () => tf.Tensor) => {
  for (let r = 0; r < 2; r++) {
    const t0 = performance.now()
    let o: tf.Tensor | undefined
    for (let i = 0; i < 10; i++) {
      o?.dispose()
      o = f()
    }
    await o!.data()
    o!.dispose()
    if (r) console.log(name, ((performance.now() - t0) / 10).toFixed(1), 'ms')
  }
}
await time('x@w', () => tf.matMul(x, w))
await time('x^T@g (transposeA)', () => tf.matMul(x, g, true, false))
const xt = x.transpose()
await time('xt@g', () => tf.matMul(xt, g))
await time('g@w^T (transposeB)', () => tf.matMul(g, w, false, true))
await time('transpose x', () => x.transpose())
