import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  INPUT_SIZE,
  loadOnnxBackbone,
  toNchw,
  unavailableReason,
  type OnnxBackbone,
} from '../../../src/core/ml/backbone'
import { decodeNetworkPixels } from '../../../src/core/ml/embed/preprocess'
import { goldenValue, relativeError } from '../../helpers/golden'
import { sharedPath } from '../../helpers/shared'
import { tempDir } from '../../helpers/tmp'

const modelDir = sharedPath('models', 'mobilenet_v2_1.0_224')
const golden = JSON.parse(fs.readFileSync(`${modelDir}/golden.json`, 'utf8')) as {
  vectors: Record<'waves' | 'checker', number[]>
}
const plane = INPUT_SIZE * INPUT_SIZE
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json'

/** golden.json's inputs are defined NHWC by formula; the ONNX model takes NCHW. */
function goldenNchw(kind: 'waves' | 'checker'): Float32Array {
  const data = new Float32Array(3 * plane)
  for (let i = 0; i < INPUT_SIZE; i++) {
    for (let j = 0; j < INPUT_SIZE; j++) {
      for (let c = 0; c < 3; c++) {
        const value = goldenValue(kind, i, j, c)
        data[c * plane + i * INPUT_SIZE + j] = value
      }
    }
  }
  return data
}

describe('MobileNetV2 on ONNX Runtime', () => {
  let backbone: OnnxBackbone
  beforeAll(async () => {
    backbone = await loadOnnxBackbone(modelDir, { threads: 1, input: 'float' })
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

describe('the uint8 pixel input', () => {
  it('gives the features of the float input on real photos, from bytes alone', async () => {
    const photos = fs
      .readdirSync(sharedPath('datasets', 'caltech20', 'sunflower'))
      .slice(0, 3)
      .map((name) => sharedPath('datasets', 'caltech20', 'sunflower', name))
    const views = await Promise.all(photos.map((p) => decodeNetworkPixels(p)))
    const pixels = new Uint8Array(views.length * 3 * plane)
    views.forEach((v, i) => pixels.set(v, i * 3 * plane))
    const onPixels = await loadOnnxBackbone(modelDir, { threads: 1 })
    const onFloats = await loadOnnxBackbone(modelDir, { threads: 1, input: 'float' })
    try {
      expect(onPixels.input).toBe('pixels')
      const a = await onPixels.run(pixels, views.length)
      const b = await onFloats.run(toNchw(pixels, views.length), views.length)
      expect(a.length).toBe(views.length * 1280)
      let worst = 0
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
      expect(worst).toBeLessThan(1e-4)
      await expect(onPixels.run(toNchw(pixels.subarray(0, 3 * plane), 1), 1)).rejects.toThrow(
        /takes uint8 pixels/,
      )
    } finally {
      await onPixels.dispose()
      await onFloats.dispose()
    }
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

  it('tries WebGPU only on a real GPU, or when a Vulkan driver is named', () => {
    // No DRM render node and no NVIDIA driver here: a software adapter would be slower.
    expect(unavailableReason('webgpu', 'linux', {})).toBe('no GPU device')
    expect(unavailableReason('webgpu', 'linux', { VK_ICD_FILENAMES: SWIFTSHADER_ICD })).toBeNull()
  })

  it.skipIf(!fs.existsSync(SWIFTSHADER_ICD))(
    'runs the backbone on the WebGPU provider to golden.json accuracy',
    () => {
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
      const child = spawnSync(
        process.execPath,
        ['--import', tsx, path.join(__dirname, 'fixtures', 'onnx-webgpu.ts'), modelDir],
        {
          // SwiftShader, the software Vulkan driver Chromium ships, stands in for a GPU.
          env: {
            ...process.env,
            LD_LIBRARY_PATH: '/usr/lib/chromium',
            VK_ICD_FILENAMES: SWIFTSHADER_ICD,
          },
          encoding: 'utf8',
          timeout: 280_000,
        },
      )
      const line = child.stdout.split('\n').find((l) => l.startsWith('{'))
      if (!line) throw new Error(`the WebGPU run printed no result: ${child.stderr}`)
      const out = JSON.parse(line) as { provider: string; device: string; values: number[] }
      expect(out.provider).toBe('webgpu')
      expect(out.device).toMatch(/WebGPU/)
      expect(relativeError(Float32Array.from(out.values), golden.vectors.waves)).toBeLessThan(1e-4)
    },
    300_000,
  )

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
      /ONNX Runtime could not open .*mobilenet_v2_1.0_224.onnx: the model file/,
    )
    await expect(loadOnnxBackbone(dir, { providers: ['cpu'], input: 'float' })).rejects.toThrow(
      /ONNX Runtime could not open .*cpu: /,
    )
    // Cut short, as an interrupted copy leaves it.
    const real = fs.readFileSync(path.join(modelDir, 'mobilenet_v2_1.0_224.onnx'))
    fs.writeFileSync(path.join(dir, 'mobilenet_v2_1.0_224.onnx'), real.subarray(0, 5000))
    await expect(loadOnnxBackbone(dir, { providers: ['cpu'] })).rejects.toThrow(
      /ONNX Runtime could not open .*truncated/,
    )
  })
})
