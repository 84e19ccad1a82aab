import fs from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src/core/ml/backend'
import { INPUT_SIZE, l2Normalise, loadBackbone, type Backbone } from '../../../src/core/ml/backbone'
import { goldenValue, relativeError } from '../../helpers/golden'
import { sharedPath } from '../../helpers/shared'

const modelDir = sharedPath('models', 'mobilenet_v2_1.0_224')
const golden = JSON.parse(fs.readFileSync(`${modelDir}/golden.json`, 'utf8')) as {
  vectors: Record<'waves' | 'checker', number[]>
}

/** The two synthetic inputs golden.json defines by formula, [1, 224, 224, 3]. */
function goldenInput(kind: 'waves' | 'checker'): tf.Tensor4D {
  const data = new Float32Array(INPUT_SIZE * INPUT_SIZE * 3)
  for (let i = 0; i < INPUT_SIZE; i++) {
    for (let j = 0; j < INPUT_SIZE; j++) {
      for (let c = 0; c < 3; c++) {
        const value = goldenValue(kind, i, j, c)
        data[(i * INPUT_SIZE + j) * 3 + c] = value
      }
    }
  }
  return tf.tensor4d(data, [1, INPUT_SIZE, INPUT_SIZE, 3])
}

describe('MobileNetV2 backbone', () => {
  let backbone: Backbone
  beforeAll(async () => {
    await initBackend('wasm')
    backbone = loadBackbone(modelDir)
  })

  it.each(['waves', 'checker'] as const)('matches golden.json on the %s input', (kind) => {
    const before = tf.memory().numTensors
    const input = goldenInput(kind)
    const out = backbone.predict(input)
    expect(out.shape).toEqual([1, 1280])
    const values = out.dataSync() as Float32Array
    tf.dispose([input, out])
    expect(relativeError(values, golden.vectors[kind])).toBeLessThan(1e-4)
    // Largest absolute deviation, so one wrong channel cannot hide in the average.
    const worst = Math.max(
      ...golden.vectors[kind].map((v, i) => Math.abs((values[i] as number) - v)),
    )
    expect(worst).toBeLessThan(1e-3)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('gives different features for different inputs and unit-length rows after normalising', () => {
    const input = tf.concat([goldenInput('waves'), goldenInput('checker')])
    const features = backbone.predict(input)
    const unit = l2Normalise(features)
    const rows = unit.arraySync()
    tf.dispose([input, features, unit])
    for (const row of rows) expect(Math.hypot(...row)).toBeCloseTo(1, 5)
    const cosine = rows[0]!.reduce((s, v, i) => s + v * rows[1]![i]!, 0)
    expect(cosine).toBeLessThan(0.9)
  })
})

describe('npy reader', () => {
  it('rejects a file that is not .npy with a clear message', async () => {
    const { parseNpy } = await import('../../../src/core/ml/backbone')
    expect(() => parseNpy(new TextEncoder().encode('hello world, not numpy'), 'x.npy')).toThrow(
      /x.npy is not a NumPy .npy file/,
    )
  })
  it('reads shape and values of a real weight file', async () => {
    const { parseNpy } = await import('../../../src/core/ml/backbone')
    const arr = parseNpy(fs.readFileSync(`${modelDir}/stem.bias.npy`), 'stem.bias.npy')
    expect(arr.shape).toEqual([32])
    expect(arr.data.length).toBe(32)
    expect(arr.data.every(Number.isFinite)).toBe(true)
  })
})
