import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type { InferenceSession } from 'onnxruntime-node'
import { INPUT_SIZE } from './constants'

/** ONNX Runtime execution providers Kindred uses, best first where the platform has them. */
export type OnnxProvider = 'cuda' | 'dml' | 'coreml' | 'cpu'

export interface OnnxBackbone {
  readonly provider: OnnxProvider
  /** Human-readable device, e.g. "NVIDIA H100 (CUDA)" or "AMD EPYC 7B13, 2 threads". */
  readonly device: string
  /** Providers passed over, best first, with why. */
  readonly skipped: { provider: OnnxProvider; reason: string }[]
  readonly dim: number
  /** `count` images NCHW in [-1, 1] → count × dim pooled features (not normalised). */
  run(input: Float32Array, count: number): Promise<Float32Array>
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

/** Why a GPU provider cannot be used on this machine, or null when it is worth trying. */
export function unavailableReason(
  provider: OnnxProvider,
  platform: NodeJS.Platform = process.platform,
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
    case 'cpu':
      return null
  }
}

export const PROVIDER_ORDER: readonly OnnxProvider[] = ['cuda', 'dml', 'coreml', 'cpu']

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

export interface OnnxOptions {
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
  const threads = options.threads ?? cpuThreads()
  const skipped: OnnxBackbone['skipped'] = []
  for (const provider of options.providers ?? PROVIDER_ORDER) {
    const why = unavailableReason(provider)
    if (why) {
      skipped.push({ provider, reason: why })
      continue
    }
    try {
      const session = await ort.InferenceSession.create(file, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: provider === 'cpu' ? threads : undefined,
        interOpNumThreads: 1,
        logSeverityLevel: 3,
        // Threads that spin between operators burn CPU the decoder and other work need
        // (measured: 2 spinning threads did half the work per CPU-second of 2 that sleep).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      })
      return await wrap(ort, session, provider, deviceName(provider, threads), skipped)
    } catch (error) {
      skipped.push({ provider, reason: reasonOf(error) })
    }
  }
  throw new Error(
    `ONNX Runtime could not open ${file}: ${skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ')}`,
  )
}

/** Wraps a session; one warm-up image gives the feature length and proves the provider runs. */
async function wrap(
  ort: Ort,
  session: InferenceSession,
  provider: OnnxProvider,
  device: string,
  skipped: OnnxBackbone['skipped'],
): Promise<OnnxBackbone> {
  const inputName = session.inputNames[0] as string
  const outputName = session.outputNames[0] as string
  const per = 3 * INPUT_SIZE * INPUT_SIZE
  const run = async (input: Float32Array, count: number): Promise<Float32Array> => {
    if (input.length !== count * per)
      throw new Error(`expected ${count * per} input values, got ${input.length}`)
    const tensor = new ort.Tensor('float32', input, [count, 3, INPUT_SIZE, INPUT_SIZE])
    const out = (await session.run({ [inputName]: tensor }))[outputName]
    if (!out) throw new Error(`the model gave no output named ${outputName}`)
    return out.data as Float32Array
  }
  let dim: number
  try {
    dim = (await run(new Float32Array(per), 1)).length
  } catch (error) {
    await session.release()
    throw error
  }
  return {
    provider,
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
