import * as tf from '@tensorflow/tfjs'
import type { ComputeBackend } from '../../../shared/contract'
import { nvidiaGpuName } from '../backbone/onnx'
import { notice } from '../notices'
import { prepareWasm } from './wasm'
import { activateWebGpu, probeWebGpu } from './webgpu'

export type { ComputeBackend }

export interface BackendInfo {
  backend: ComputeBackend
  /** Human-readable device, e.g. "NVIDIA H100 / nvidia / hopper" or "WebAssembly SIMD, 2 threads". */
  device: string
  /** Why better backends were passed over (missing package, software adapter…), best first. */
  skipped: { backend: ComputeBackend; reason: string }[]
}

/** Best first. */
export const BACKEND_ORDER: readonly ComputeBackend[] = [
  'tensorflow-gpu',
  'webgpu',
  'tensorflow',
  'wasm',
  'cpu',
]

const TF_NAME: Record<ComputeBackend, string> = {
  'tensorflow-gpu': 'tensorflow',
  webgpu: 'webgpu',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
}

export function isComputeBackend(value: string): value is ComputeBackend {
  return (BACKEND_ORDER as readonly string[]).includes(value)
}

/** Activates one backend or throws why it cannot; `forced` allows a software WebGPU adapter. */
async function activate(backend: ComputeBackend, forced: boolean): Promise<string> {
  switch (backend) {
    case 'tensorflow-gpu': {
      // Optional dependency: its install downloads libtensorflow, so it is usually absent.
      await import('@tensorflow/tfjs-node-gpu' as string)
      if (!(await tf.setBackend('tensorflow')))
        throw new Error('libtensorflow (GPU) failed to start')
      return 'CUDA (libtensorflow)'
    }
    case 'webgpu': {
      const probe = await probeWebGpu()
      if (probe.software && !forced) {
        throw new Error(
          `only a software adapter (${probe.name}), slower than WASM; set KINDRED_BACKEND=webgpu to use it anyway`,
        )
      }
      await activateWebGpu()
      return probe.name
    }
    case 'tensorflow': {
      await import('@tensorflow/tfjs-node' as string)
      if (!(await tf.setBackend('tensorflow'))) throw new Error('libtensorflow failed to start')
      return 'CPU (libtensorflow)'
    }
    case 'wasm': {
      const threads = await prepareWasm()
      if (!(await tf.setBackend('wasm'))) throw new Error('the WASM backend failed to start')
      const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm')
      return `WebAssembly SIMD, ${getThreadsCount() || threads} thread(s)`
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu')))
        throw new Error('the plain JavaScript backend failed to start')
      return 'JavaScript CPU'
    }
  }
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(message))
    return 'package not installed'
  return message.split('\n')[0] ?? message
}

let current: BackendInfo | undefined
let pending: Promise<BackendInfo> | undefined
let currentKey: string | undefined

/**
 * Chooses and activates the TF.js backend: `preference`, else KINDRED_BACKEND, else the best
 * that works in BACKEND_ORDER. A preferred backend that fails falls back down the order (the
 * reason is kept in `skipped`). Repeated calls with the same request reuse the first result.
 */
export function initBackend(
  preference?: ComputeBackend,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BackendInfo> {
  const fromEnv = env.KINDRED_BACKEND?.trim()
  if (fromEnv && !isComputeBackend(fromEnv)) {
    return Promise.reject(
      new Error(
        `KINDRED_BACKEND=${fromEnv} is not a backend; use one of ${BACKEND_ORDER.join(', ')}`,
      ),
    )
  }
  const wanted = preference ?? (fromEnv as ComputeBackend | undefined)
  const key = wanted ?? 'auto'
  if (pending && currentKey === key) return pending
  currentKey = key
  pending = choose(wanted).then((info) => (current = info))
  pending.catch(() => {
    currentKey = undefined
  })
  return pending
}

async function choose(wanted: ComputeBackend | undefined): Promise<BackendInfo> {
  const candidates = wanted
    ? [wanted, ...BACKEND_ORDER.filter((b) => b !== wanted)]
    : [...BACKEND_ORDER]
  const skipped: BackendInfo['skipped'] = []
  for (const backend of candidates) {
    try {
      const device = await activate(backend, backend === wanted)
      await tf.ready()
      adviseOn(backend, skipped)
      return { backend, device, skipped }
    } catch (error) {
      skipped.push({ backend, reason: reasonOf(error) })
    }
  }
  throw new Error(
    `No TF.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`,
  )
}

/** Says once which missing optional package would train faster here, and how to get it. */
function adviseOn(chosen: ComputeBackend, skipped: BackendInfo['skipped']): void {
  const missing = (b: ComputeBackend) =>
    skipped.some((s) => s.backend === b && s.reason === 'package not installed')
  if (chosen === 'wasm' || chosen === 'cpu') {
    const gpu = nvidiaGpuName() && missing('tensorflow-gpu')
    if (gpu || missing('tensorflow')) {
      const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node'
      notice(
        'tfjs-node',
        `The grouping model trains on ${chosen === 'wasm' ? 'WebAssembly' : 'plain JavaScript'} because the optional package ${pkg} is not installed (its install downloads libtensorflow${gpu ? ' for CUDA' : ''}). To train with it: npm install ${pkg}`,
      )
    }
  }
}

/** The backend chosen by the last initBackend, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current
}

/** True when the active TF.js backend has a kernel for every op named. */
export function supportsKernels(kernels: readonly string[], tfBackend = tf.getBackend()): boolean {
  return kernels.every((k) => tf.getKernel(k, tfBackend) !== undefined)
}

/**
 * Runs `work` on a backend that has all `kernels` (e.g. 'Conv2DBackpropFilter', which WASM
 * lacks): the active one if it can, else the next one down the order that can (at worst the
 * plain CPU backend), switching back afterwards. Reports which backend ran it.
 */
export async function withKernels<T>(
  kernels: readonly string[],
  work: (backend: ComputeBackend) => Promise<T> | T,
): Promise<{ result: T; backend: ComputeBackend }> {
  const info = current ?? (await initBackend())
  const active = tf.getBackend()
  if (supportsKernels(kernels, active))
    return { result: await work(info.backend), backend: info.backend }
  const below = BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(info.backend) + 1)
  for (const backend of below) {
    try {
      await activate(backend, false)
    } catch {
      continue
    }
    if (!supportsKernels(kernels, TF_NAME[backend])) continue
    try {
      return { result: await work(backend), backend }
    } finally {
      await tf.setBackend(active)
    }
  }
  await tf.setBackend(active)
  throw new Error(`No backend here implements ${kernels.join(', ')}`)
}
