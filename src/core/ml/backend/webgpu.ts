import fs from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'

/** What the WebGPU adapter says about itself (GPUAdapterInfo). */
export interface AdapterInfo {
  vendor: string
  architecture: string
  device: string
  description: string
  isFallbackAdapter: boolean
}

export interface WebGpuProbe {
  info: AdapterInfo
  software: boolean
  name: string
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>
}
interface AdapterLike {
  info: Partial<AdapterInfo>
}

let gpu: GpuLike | undefined

/** Creates Dawn's `navigator.gpu` once and installs the WebGPU globals TF.js expects. */
async function dawnGpu(): Promise<GpuLike> {
  if (gpu) return gpu
  const dawn = (await import('webgpu')) as unknown as {
    create(flags: string[]): GpuLike
    globals: Record<string, unknown>
  }
  Object.assign(globalThis, dawn.globals)
  gpu = dawn.create([])
  const g = globalThis as { navigator?: { gpu?: unknown } }
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true })
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true })
  return gpu
}

/** SwiftShader, llvmpipe and friends run on the CPU: far slower than WASM. */
export function isSoftwareAdapter(info: AdapterInfo): boolean {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`
  return (
    info.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software|microsoft basic/i.test(text)
  )
}

export function adapterName(info: AdapterInfo): string {
  const parts = [info.description || info.device, info.vendor, info.architecture].filter(Boolean)
  return [...new Set(parts)].join(' / ') || 'unknown WebGPU adapter'
}

const VULKAN_LOADER = 'libvulkan.so.1'

/**
 * On Linux Dawn needs the Vulkan loader; without it Dawn only prints a warning to stderr and
 * finds no adapter. Checking first keeps every command's output free of that noise.
 */
export function vulkanLoaderPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux') return true
  const dirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ]
  if (dirs.some((d) => fs.existsSync(path.join(d, VULKAN_LOADER)))) return true
  try {
    return fs.readFileSync('/etc/ld.so.cache').includes(VULKAN_LOADER)
  } catch {
    return false
  }
}

/** Finds the high-performance WebGPU adapter, or explains why there is none. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  if (!vulkanLoaderPresent()) {
    throw new Error(
      `no Vulkan loader (${VULKAN_LOADER}); install libvulkan1 and a GPU driver, or for a ` +
        'CPU-only check LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json',
    )
  }
  const adapter = await (await dawnGpu()).requestAdapter({ powerPreference: 'high-performance' })
  if (!adapter) {
    throw new Error(
      'no WebGPU adapter (no Vulkan/Metal/D3D12 driver found; without a GPU on Linux, ' +
        'LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json ' +
        'runs WebGPU on the CPU through SwiftShader)',
    )
  }
  const raw = adapter.info
  const info: AdapterInfo = {
    vendor: raw.vendor ?? '',
    architecture: raw.architecture ?? '',
    device: raw.device ?? '',
    description: raw.description ?? '',
    isFallbackAdapter: raw.isFallbackAdapter ?? false,
  }
  return { info, software: isSoftwareAdapter(info), name: adapterName(info) }
}

/** Registers and activates TF.js's WebGPU backend on Dawn. */
export async function activateWebGpu(): Promise<void> {
  await dawnGpu()
  // The package registers 'webgpu' on import, but only if navigator.gpu already exists.
  await import('@tensorflow/tfjs-backend-webgpu')
  if (!tf.findBackendFactory('webgpu')) throw new Error('the TF.js WebGPU backend did not register')
  if (!(await tf.setBackend('webgpu'))) throw new Error('the TF.js WebGPU backend failed to start')
}
