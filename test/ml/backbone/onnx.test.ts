import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  INPUT_SIZE,
  loadOnnxBackbone,
  toNchw,
  unavailableReason,
  type OnnxBackbone,
} from '../../../src/core/ml/backbone'
import { sharedPath } from '../../helpers/shared'
import { tempDir } from '../../helpers/tmp'

const modelDir = sharedPath('models', 'mobilenet_v2_1.0_224')
const golden = JSON.parse(fs.readFileSync(`${modelDir}/golden.json`, 'utf8')) as {
  vectors: Record<'waves' | 'checker', number[]>
}
const plane = INPUT_SIZE * INPUT_SIZE

/** golden.json's inputs are defined NHWC by formula; the ONNX model takes NCHW. */
function goldenNchw(kind: 'waves' | 'checker'): Float32Array {
  const data = new Float32Array(3 * plane)
  for (let i = 0; i < INPUT_SIZE; i++) {
    for (let j = 0; j < INPUT_SIZE; j++) {
      for (let c = 0; c < 3; c++) {
        const value =
          kind === 'waves'
            ? 0.9 * Math.sin(0.05 * i + 0.07 * j + 1.3 * c)
            : ((Math.floor(i / 16) + Math.floor(j / 16)) % 2 === 1 ? 0.8 : -0.8) *
              (c === 1 ? -1 : 1)
        data[c * plane + i * INPUT_SIZE + j] = value
      }
    }
  }
  return data
}

function relativeError(actual: Float32Array, expected: number[]): number {
  let diff = 0
  let norm = 0
  for (let i = 0; i < expected.length; i++) {
    diff += ((actual[i] as number) - (expected[i] as number)) ** 2
    norm += (expected[i] as number) ** 2
  }
  return Math.sqrt(diff / norm)
}

describe('MobileNetV2 on ONNX Runtime', () => {
  let backbone: OnnxBackbone
  beforeAll(async () => {
    backbone = await loadOnnxBackbone(modelDir, { threads: 1 })
  })
  afterAll(() => backbone.dispose())

  it('runs on the CPU provider here and says which device', () => {
    expect(backbone.provider).toBe('cpu')
    expect(backbone.device).toMatch(/1 thread$/)
    expect(backbone.dim).toBe(1280)
  })

  it('matches golden.json on both inputs, in one batch', async () => {
    const input = new Float32Array(6 * plane)
    input.set(goldenNchw('waves'), 0)
    input.set(goldenNchw('checker'), 3 * plane)
    const out = await backbone.run(input, 2)
    expect(out.length).toBe(2 * 1280)
    for (const [row, kind] of (['waves', 'checker'] as const).entries()) {
      const values = out.subarray(row * 1280, (row + 1) * 1280)
      expect(relativeError(values, golden.vectors[kind])).toBeLessThan(1e-4)
      const worst = Math.max(
        ...golden.vectors[kind].map((v, i) => Math.abs((values[i] as number) - v)),
      )
      expect(worst).toBeLessThan(1e-3)
    }
  })

  it('refuses an input of the wrong length with a clear message', async () => {
    await expect(backbone.run(new Float32Array(10), 1)).rejects.toThrow(
      /expected 150528 input values/,
    )
  })
})

describe('toNchw', () => {
  it('moves HWC bytes into planes scaled to [-1, 1]', () => {
    const pixels = new Uint8Array(2 * 3 * plane)
    const second = 3 * plane
    pixels.set([0, 255, 51], second + 3 * (5 * INPUT_SIZE + 7)) // image 1, row 5, column 7
    const out = toNchw(pixels, 2)
    const at = second + 5 * INPUT_SIZE + 7
    expect(out[at]).toBe(-1)
    expect(out[at + plane]).toBe(1)
    expect(out[at + 2 * plane]).toBeCloseTo(51 / 127.5 - 1, 6)
    expect(out[0]).toBe(-1)
  })
})

describe('execution providers', () => {
  it('skips providers of other platforms and a CUDA provider that is not installed', () => {
    expect(unavailableReason('dml', 'linux')).toMatch(/Windows/)
    expect(unavailableReason('coreml', 'linux')).toMatch(/macOS/)
    expect(unavailableReason('cpu', 'linux')).toBeNull()
    // This machine has neither an NVIDIA driver nor the CUDA provider's libraries.
    expect(unavailableReason('cuda', 'linux')).toMatch(/NVIDIA|not installed/)
  })

  it('falls back to the CPU when a better provider fails to load', async () => {
    const onCpu = await loadOnnxBackbone(modelDir, {
      providers: ['dml', 'cuda', 'cpu'],
      threads: 1,
    })
    try {
      expect(onCpu.provider).toBe('cpu')
      expect(onCpu.skipped.map((s) => s.provider)).toEqual(['dml', 'cuda'])
    } finally {
      await onCpu.dispose()
    }
  })

  it('explains a model folder without the ONNX file, and a damaged ONNX file', async () => {
    const dir = path.join(tempDir(), 'mobilenet_v2_1.0_224')
    fs.mkdirSync(dir)
    await expect(loadOnnxBackbone(dir)).rejects.toThrow(/has no mobilenet_v2_1.0_224.onnx/)
    fs.writeFileSync(path.join(dir, 'mobilenet_v2_1.0_224.onnx'), 'not a model')
    await expect(loadOnnxBackbone(dir, { providers: ['cpu'] })).rejects.toThrow(
      /ONNX Runtime could not open .*cpu: /,
    )
  })
})
