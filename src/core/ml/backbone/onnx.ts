import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type { InferenceSession } from 'onnxruntime-node'
import { INPUT_SIZE } from './constants'
import { withPixelInput } from './pixel-input'

/** ONNX Runtime execution providers Kindred uses, best first where the platform has them. */
export type OnnxProvider = 'cuda' | 'dml' | 'coreml' | 'webgpu' | 'cpu'

export interface OnnxBackbone {
  readonly provider: OnnxProvider
  /** Human-readable device, e.g. "NVIDIA H100 (CUDA)" or "AMD EPYC 7B13, 2 threads". */
  readonly device: string
  /** Providers passed over, best first, with why. */
  readonly skipped: { provider: OnnxProvider; reason: string }[]
  readonly dim: number
  /** What `run` takes, as chosen by `OnnxOptions.input`. */
  readonly input: OnnxInput
  /**
   * `count` images → count × dim pooled features (not normalised). The images are 224×224 RGB
   * bytes (HWC) for a 'pixels' backbone, NCHW floats in [-1, 1] for a 'float' one.
   */
  run(input: Uint8Array | Float32Array, count: number): Promise<Float32Array>
  dispose(): Promise<void>
}

/** The model folder's ONNX file: `<id>.onnx`. */
export function onnxFile(modelDir: string): string {
  return path.join(modelDir, `${path.basename(modelDir)}.onnx`)
}

/** The command that adds the CUDA provider (its libraries are too large for the npm registry). */
export const CUDA_INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node'

type Ort = typeof import('onnxruntime-node')

let ortModule: Promise<Ort> | undefined

/** onnxruntime-node, loaded on first use (a missing or broken native binding is an error here). */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node').then((m) => {
    const ort = ((m as { default?: Ort }).default ?? m) as Ort
    ort.env.logLevel = 'error'
    return ort
  })
  ortModule.catch(() => (ortModule = undefined))
  return ortModule
}

/** The folder holding onnxruntime-node's native libraries for this platform. */
function bindingDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json')
    return path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch)
  } catch {
    return undefined
  }
}

/** The NVIDIA GPU's model name from the driver, when the NVIDIA driver is loaded. */
export function nvidiaGpuName(): string | undefined {
  const dir = '/proc/driver/nvidia/gpus'
  try {
    for (const gpu of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, gpu, 'information'), 'utf8')
      const model = /^Model:\s*(.+)$/m.exec(text)?.[1]?.trim()
      if (model) return model
    }
  } catch {
    // no NVIDIA driver
  }
  return fs.existsSync('/dev/nvidia0') ? 'NVIDIA GPU' : undefined
}

/** Whether Linux shows a GPU: a DRM render node or the NVIDIA driver. */
function linuxHasGpu(): boolean {
  try {
    if (fs.readdirSync('/dev/dri').some((name) => name.startsWith('renderD'))) return true
  } catch {
    // no DRM devices
  }
  return nvidiaGpuName() !== undefined
}

/** Why a GPU provider cannot be used on this machine, or null when it is worth trying. */
export function unavailableReason(
  provider: OnnxProvider,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  switch (provider) {
    case 'cuda': {
      if (platform !== 'linux' && platform !== 'win32') return 'CUDA is for Linux and Windows'
      if (!nvidiaGpuName() && platform === 'linux') return 'no NVIDIA GPU driver'
      const dir = bindingDir()
      const lib =
        platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'
      if (!dir || !fs.existsSync(path.join(dir, lib)))
        return `the CUDA provider is not installed (${CUDA_INSTALL_COMMAND})`
      return null
    }
    case 'dml':
      return platform === 'win32' ? null : 'DirectML is for Windows'
    case 'coreml':
      return platform === 'darwin' ? null : 'CoreML is for macOS'
    case 'webgpu':
      // WebGPU (Dawn on Vulkan) would also run on a software Vulkan driver, far slower than
      // ONNX Runtime's own CPU kernels: try it only on a real GPU, or when a Vulkan driver is
      // named explicitly.
      if (platform !== 'linux' || env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return null
      return linuxHasGpu() ? null : 'no GPU device'
    case 'cpu':
      return null
  }
}

export const PROVIDER_ORDER: readonly OnnxProvider[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu']

/** The GPU providers, for when only a GPU is worth loading. */
export const GPU_PROVIDERS: readonly OnnxProvider[] = PROVIDER_ORDER.filter((p) => p !== 'cpu')

export function cpuThreads(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.KINDRED_ORT_THREADS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return Math.max(1, os.availableParallelism())
}

function deviceName(provider: OnnxProvider, threads: number): string {
  switch (provider) {
    case 'cuda':
      return `${nvidiaGpuName() ?? 'NVIDIA GPU'} (CUDA)`
    case 'dml':
      return 'GPU (DirectML)'
    case 'coreml':
      return 'Apple GPU / Neural Engine (CoreML)'
    case 'webgpu':
      return `${nvidiaGpuName() ?? 'GPU'} (WebGPU)`
    case 'cpu':
      return `${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${threads} thread${threads > 1 ? 's' : ''}`
  }
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // ORT colours its log lines: drop the escape sequences.
  const plain = message.replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '')
  return (plain.split('\n')[0] ?? plain).slice(0, 300)
}

/**
 * 'pixels': uint8 RGB views, scaled and transposed inside the graph (the embedder's choice:
 * a quarter of the bytes to a GPU, no packing loop); 'float': the model file's own input.
 */
export type OnnxInput = 'pixels' | 'float'

export interface OnnxOptions {
  /** The input the backbone takes (default 'pixels'). */
  input?: OnnxInput
  /** Providers to try, best first (default PROVIDER_ORDER); unusable ones are skipped. */
  providers?: readonly OnnxProvider[]
  /** CPU threads (default: one per core). */
  threads?: number
}

/**
 * Opens the backbone's ONNX file on the best execution provider that loads: each is tried
 * alone, so a provider whose libraries or driver fail is skipped (the reason is kept) rather
 * than silently running part of the network on the CPU.
 */
export async function loadOnnxBackbone(
  modelDir: string,
  options: OnnxOptions = {},
): Promise<OnnxBackbone> {
  const file = onnxFile(modelDir)
  if (!fs.existsSync(file))
    throw new Error(`The model folder ${modelDir} has no ${path.basename(file)}`)
  const ort = await loadOrt()
  const input = options.input ?? 'pixels'
  const model = input === 'pixels' ? await pixelModel(file) : file
  const threads = options.threads ?? cpuThreads()
  const skipped: OnnxBackbone['skipped'] = []
  for (const provider of options.providers ?? PROVIDER_ORDER) {
    const why = unavailableReason(provider)
    if (why) {
      skipped.push({ provider, reason: why })
      continue
    }
    try {
      const sessionOptions: InferenceSession.SessionOptions = {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // Always a number (ORT refuses undefined); on a GPU it serves the few CPU-side nodes.
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        logSeverityLevel: 3,
        // Threads that spin between operators burn CPU the decoder and other work need
        // (measured: 2 spinning threads did half the work per CPU-second of 2 that sleep).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      }
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, sessionOptions)
          : await ort.InferenceSession.create(model, sessionOptions)
      return await wrap(ort, session, input, provider, deviceName(provider, threads), skipped)
    } catch (error) {
      skipped.push({ provider, reason: reasonOf(error) })
    }
  }
  throw new Error(
    `ONNX Runtime could not open ${file}: ${skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ')}`,
  )
}

/** The model with the uint8 pixel input (see pixel-input.ts), edited in memory. */
async function pixelModel(file: string): Promise<Uint8Array> {
  try {
    return withPixelInput(await fs.promises.readFile(file), INPUT_SIZE)
  } catch (error) {
    throw new Error(`ONNX Runtime could not open ${file}: ${reasonOf(error)}`)
  }
}

/** Wraps a session; one warm-up image gives the feature length and proves the provider runs. */
async function wrap(
  ort: Ort,
  session: InferenceSession,
  input: OnnxInput,
  provider: OnnxProvider,
  device: string,
  skipped: OnnxBackbone['skipped'],
): Promise<OnnxBackbone> {
  const inputName = session.inputNames[0] as string
  const outputName = session.outputNames[0] as string
  const per = 3 * INPUT_SIZE * INPUT_SIZE
  const run = async (data: Uint8Array | Float32Array, count: number): Promise<Float32Array> => {
    if (data.length !== count * per)
      throw new Error(`expected ${count * per} input values, got ${data.length}`)
    let tensor: InstanceType<Ort['Tensor']>
    if (input === 'pixels') {
      if (!(data instanceof Uint8Array)) throw new Error('this backbone takes uint8 pixels')
      tensor = new ort.Tensor('uint8', data, [count, INPUT_SIZE, INPUT_SIZE, 3])
    } else {
      if (!(data instanceof Float32Array)) throw new Error('this backbone takes float32 NCHW input')
      tensor = new ort.Tensor('float32', data, [count, 3, INPUT_SIZE, INPUT_SIZE])
    }
    const out = (await session.run({ [inputName]: tensor }))[outputName]
    if (!out) throw new Error(`the model gave no output named ${outputName}`)
    return out.data as Float32Array
  }
  let dim: number
  try {
    dim = (await run(input === 'pixels' ? new Uint8Array(per) : new Float32Array(per), 1)).length
  } catch (error) {
    await session.release()
    throw error
  }
  return {
    provider,
    input,
    device,
    skipped,
    dim,
    run,
    async dispose() {
      await session.release()
    },
  }
}

/**
 * Packs 224×224 RGB views (HWC, uint8) into the network's NCHW [-1, 1] input
 * (x / 127.5 − 1, the same scaling as the TF.js path).
 */
export function toNchw(pixels: Uint8Array, count: number): Float32Array {
  const plane = INPUT_SIZE * INPUT_SIZE
  const per = plane * 3
  if (pixels.length !== count * per)
    throw new Error(`expected ${count * per} bytes, got ${pixels.length}`)
  const out = new Float32Array(count * per)
  for (let n = 0; n < count; n++) {
    const base = n * per
    for (let p = 0; p < plane; p++) {
      const src = base + p * 3
      out[base + p] = (pixels[src] as number) / 127.5 - 1
      out[base + plane + p] = (pixels[src + 1] as number) / 127.5 - 1
      out[base + 2 * plane + p] = (pixels[src + 2] as number) / 127.5 - 1
    }
  }
  return out
}
