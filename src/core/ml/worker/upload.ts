import * as tf from '@tensorflow/tfjs'
import { INPUT_SIZE } from '../backbone'

/**
 * Packs each RGB pixel into one float32 (r + 256·g + 65536·b < 2^24, so exact): a third of
 * the bytes of one int32 per channel. Moving pixels to a GPU, not the network, limits GPU
 * embedding (docs/GPU-CHECK.md), so GPU backends get this cheaper upload.
 */
export function packRgb(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length / 3)
  for (let p = 0, i = 0; p < out.length; p++, i += 3) {
    out[p] =
      (pixels[i] as number) + 256 * (pixels[i + 1] as number) + 65536 * (pixels[i + 2] as number)
  }
  return out
}

/** Undoes packRgb on the backend (floor and power-of-two scaling are exact) and scales to [-1, 1]. */
function unpackRgb(packed: tf.Tensor, count: number): tf.Tensor4D {
  const v = packed.reshape([count, INPUT_SIZE, INPUT_SIZE, 1])
  const b = tf.floor(tf.mul(v, 1 / 65536))
  const rest = tf.sub(v, tf.mul(b, 65536))
  const g = tf.floor(tf.mul(rest, 1 / 256))
  const r = tf.sub(rest, tf.mul(g, 256))
  return tf.sub(tf.div(tf.concat([r, g, b], 3), 127.5), 1) as tf.Tensor4D
}

/** Uploads `count` 224×224 RGB views as the network's [-1, 1] input. */
export function toInputTensor(pixels: Uint8Array, count: number, packed: boolean): tf.Tensor4D {
  return tf.tidy(() => {
    if (packed) return unpackRgb(tf.tensor1d(packRgb(pixels), 'float32'), count)
    const shape: [number, number, number, number] = [count, INPUT_SIZE, INPUT_SIZE, 3]
    return tf.sub(tf.div(tf.tensor4d(pixels, shape, 'int32').toFloat(), 127.5), 1) as tf.Tensor4D
  })
}
