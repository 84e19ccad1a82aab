import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { BACKEND_ORDER, initBackend, withKernels } from '../../../src/core/ml/backend'
import { isSoftwareAdapter } from '../../../src/core/ml/backend/webgpu'
import { sharedPath } from '../../helpers/shared'

const here = path.dirname(fileURLToPath(import.meta.url))
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json'

describe('initBackend', () => {
  it('picks the best backend that starts and says why each better one was passed over', async () => {
    const info = await initBackend(undefined, {})
    const rank = BACKEND_ORDER.indexOf(info.backend)
    expect(info.skipped.map((s) => s.backend).sort()).toEqual(
      [...BACKEND_ORDER.slice(0, rank)].sort(),
    )
    for (const s of info.skipped) expect(s.reason.length).toBeGreaterThan(5)
    expect(info.device.length).toBeGreaterThan(0)
    expect(tf.getBackend()).toBe(info.backend === 'tensorflow-gpu' ? 'tensorflow' : info.backend)
  })

  it('honours KINDRED_BACKEND and rejects a misspelt one clearly', async () => {
    const info = await initBackend(undefined, { KINDRED_BACKEND: 'cpu' })
    expect(info).toMatchObject({ backend: 'cpu', device: 'JavaScript CPU' })
    expect(tf.getBackend()).toBe('cpu')
    await expect(initBackend(undefined, { KINDRED_BACKEND: 'cuda' })).rejects.toThrow(
      /KINDRED_BACKEND=cuda is not a backend; use one of tensorflow-gpu, webgpu/,
    )
  })

  it('falls back down the order when the preferred backend is not installed', async () => {
    const installed = (name: string) => {
      try {
        createRequire(import.meta.url).resolve(name)
        return true
      } catch {
        return false
      }
    }
    if (installed('@tensorflow/tfjs-node')) return // nothing to fall back from on this machine
    const info = await initBackend('tensorflow', {})
    expect(info.skipped[0]).toEqual({ backend: 'tensorflow', reason: 'package not installed' })
    expect(info.backend).not.toBe('tensorflow')
  })

  it('runs work the WASM backend lacks kernels for (conv back-prop) on a backend that has them', async () => {
    const info = await initBackend('wasm', {})
    expect(info.backend).toBe('wasm')
    expect(info.device).toMatch(/WebAssembly/)
    const { result, backend } = await withKernels(['Conv2DBackpropFilter'], () =>
      tf.tidy(() => {
        const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])
        // d/dw sum(conv1x1(x, w)) = sum(x) = 10
        const grad = tf.grad((w: tf.Tensor) => tf.conv2d(x, w as tf.Tensor4D, 1, 'same').sum())
        return grad(tf.tensor4d([0.5], [1, 1, 1, 1])).dataSync()[0]
      }),
    )
    expect(backend).toBe('cpu')
    expect(result).toBeCloseTo(10, 5)
    expect(tf.getBackend()).toBe('wasm') // switched back afterwards
  })
})

describe('WebGPU adapters', () => {
  it('recognises software adapters', () => {
    const base = {
      vendor: '',
      architecture: '',
      device: '',
      description: '',
      isFallbackAdapter: false,
    }
    expect(isSoftwareAdapter({ ...base, vendor: 'google', architecture: 'swiftshader' })).toBe(true)
    expect(isSoftwareAdapter({ ...base, description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(
      true,
    )
    expect(isSoftwareAdapter({ ...base, isFallbackAdapter: true })).toBe(true)
    expect(
      isSoftwareAdapter({
        ...base,
        vendor: 'nvidia',
        architecture: 'hopper',
        description: 'NVIDIA H100',
      }),
    ).toBe(false)
  })

  function runChild(script: string, args: string[]) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LD_LIBRARY_PATH: '/usr/lib/chromium',
      VK_ICD_FILENAMES: SWIFTSHADER_ICD,
    }
    delete env.KINDRED_BACKEND
    const child = spawnSync(
      process.execPath,
      ['--import', tsx, path.join(here, 'fixtures', script), ...args],
      {
        env,
        encoding: 'utf8',
        timeout: 280_000,
      },
    )
    const line = child.stdout.split('\n').find((l) => l.startsWith('{'))
    if (!line) throw new Error(`${script} printed no result: ${child.stderr}`)
    return JSON.parse(line) as unknown
  }

  function runSmoke(mode: 'auto' | 'webgpu') {
    return runChild('webgpu-smoke.ts', [mode]) as {
      info: { backend: string; device: string; skipped: { backend: string; reason: string }[] }
      tfBackend: string
      matmul: number[]
      conv: number[]
      uploadMaxDiff: number
    }
  }

  it.skipIf(!fs.existsSync(SWIFTSHADER_ICD))(
    'runs real work on SwiftShader when webgpu is forced',
    () => {
      const out = runSmoke('webgpu')
      expect(out.info.backend).toBe('webgpu')
      expect(out.tfBackend).toBe('webgpu')
      expect(out.info.device).toMatch(/swiftshader/i)
      expect(out.matmul).toEqual([19, 22, 43, 50])
      // 3×3 'same' conv of ones with weights 0.5: corners see 4 pixels, edges 6, inside 9.
      expect(out.conv).toEqual([2, 3, 3, 2, 3, 4.5, 4.5, 3, 3, 4.5, 4.5, 3, 2, 3, 3, 2])
      expect(out.uploadMaxDiff).toBeLessThan(1e-6)
    },
  )

  it.skipIf(!fs.existsSync(SWIFTSHADER_ICD))('never picks SwiftShader over WASM by itself', () => {
    const out = runSmoke('auto')
    expect(out.info.backend).not.toBe('webgpu')
    const webgpu = out.info.skipped.find((s) => s.backend === 'webgpu')
    expect(webgpu?.reason).toMatch(/software adapter .*swiftshader.*KINDRED_BACKEND=webgpu/i)
    expect(out.matmul).toEqual([19, 22, 43, 50])
  })

  it.skipIf(!fs.existsSync(SWIFTSHADER_ICD))(
    'runs the backbone on WebGPU to golden.json accuracy',
    () => {
      const modelDir = sharedPath('models', 'mobilenet_v2_1.0_224')
      const golden = (
        JSON.parse(fs.readFileSync(path.join(modelDir, 'golden.json'), 'utf8')) as {
          vectors: { waves: number[] }
        }
      ).vectors.waves
      const out = runChild('webgpu-golden.ts', ['webgpu', modelDir]) as {
        info: { backend: string }
        values: number[]
      }
      expect(out.info.backend).toBe('webgpu')
      let diff = 0
      let norm = 0
      golden.forEach((g, i) => {
        diff += ((out.values[i] as number) - g) ** 2
        norm += g * g
      })
      expect(Math.sqrt(diff / norm)).toBeLessThan(1e-4)
    },
  )
})
