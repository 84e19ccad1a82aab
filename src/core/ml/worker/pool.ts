import os from 'node:os'
import type { ComputeBackend } from '../../../shared/contract'
import {
  CUDA_INSTALL_COMMAND,
  cpuThreads,
  nvidiaGpuName,
  unavailableReason,
} from '../backbone/onnx'
import { initBackend } from '../backend'
import { notice } from '../notices'
import { EmbedWorker, type EmbedWorkerInfo, type WorkerInit } from './client'
import type { EmbedRuntime } from './protocol'

/** TF.js backends that run the backbone on a GPU. */
const TFJS_GPU: readonly ComputeBackend[] = ['webgpu', 'tensorflow-gpu']

function cpuWorkers(env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.KINDRED_EMBED_WORKERS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return Math.max(1, Math.min(4, os.availableParallelism()))
}

/**
 * How many workers to run: one per core (at most 4) on the CPU, one for a GPU. On the CPU,
 * one single-threaded session per worker did more per CPU-second than one session with a
 * thread per core (no idle threads between operators), and TF.js WASM is single-threaded in
 * Node anyway.
 */
export function workerCount(
  embedder: EmbedWorkerInfo['embedder'],
  env: NodeJS.ProcessEnv = process.env,
): number {
  const onCpu = !onGpu(embedder)
  const fromEnv = Number(env.KINDRED_EMBED_WORKERS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return onCpu ? cpuWorkers(env) : 1
}

/** Whether the embedder runs on a GPU (any provider or backend but the CPU ones). */
export function onGpu(embedder: EmbedWorkerInfo['embedder']): boolean {
  return embedder.runtime === 'onnxruntime'
    ? embedder.provider !== 'cpu'
    : embedder.provider !== 'wasm' && embedder.provider !== 'cpu'
}

/** ONNX Runtime's CPU threads per worker: the cores shared among the CPU workers. */
function ortThreads(env: NodeJS.ProcessEnv): number {
  return Math.max(1, Math.floor(cpuThreads(env) / cpuWorkers(env)))
}

export interface PoolOptions {
  /** TF.js backend to prefer (KINDRED_BACKEND otherwise). A GPU one also embeds. */
  backend?: ComputeBackend
  /** 'auto' (default, or KINDRED_EMBEDDER): ONNX Runtime unless only TF.js has the GPU. */
  runtime?: EmbedRuntime | 'auto'
  env?: NodeJS.ProcessEnv
  /** At most this many workers (a probe needs one). */
  workers?: number
}

function runtimeWanted(options: PoolOptions, env: NodeJS.ProcessEnv): EmbedRuntime | 'auto' {
  const wanted = options.runtime ?? env.KINDRED_EMBEDDER?.trim() ?? 'auto'
  if (wanted !== 'auto' && wanted !== 'onnxruntime' && wanted !== 'tfjs')
    throw new Error(`KINDRED_EMBEDDER=${wanted} is not known; use onnxruntime, tfjs or auto`)
  return wanted
}

/** Says once what would make embedding faster here. */
function adviseOn(embedder: EmbedWorkerInfo['embedder']): void {
  if (embedder.runtime === 'onnxruntime' && embedder.provider === 'cuda') return
  // Only where an NVIDIA driver is loaded (unavailableReason says why not otherwise).
  if (nvidiaGpuName() && unavailableReason('cuda')?.includes('not installed')) {
    notice(
      'ort-cuda',
      `This machine has an NVIDIA GPU, but ONNX Runtime's CUDA provider is not installed, so photos are described on ${embedder.device}. To use the GPU: ${CUDA_INSTALL_COMMAND} (needs CUDA 12 and cuDNN 9).`,
    )
  }
}

/** Several embedding workers; each pass goes to the worker with the fewest passes queued. */
export class EmbedPool {
  private readonly queued: number[]

  private constructor(private readonly workers: EmbedWorker[]) {
    this.queued = workers.map(() => 0)
  }

  get info(): EmbedWorkerInfo {
    return (this.workers[0] as EmbedWorker).info
  }

  get size(): number {
    return this.workers.length
  }

  /**
   * Starts the best embedder, best first: ONNX Runtime on CUDA, DirectML or CoreML; a TF.js
   * GPU backend (WebGPU through Dawn, or tfjs-node-gpu); ONNX Runtime on the CPU cores; and
   * TF.js (WASM) only when ONNX Runtime cannot load at all.
   */
  static async start(modelDir: string, options: PoolOptions = {}): Promise<EmbedPool> {
    const env = options.env ?? process.env
    const runtime = runtimeWanted(options, env)
    const tfjs = async (): Promise<EmbedPool> => {
      const first = await EmbedWorker.start({ modelDir, runtime: 'tfjs', backend: options.backend })
      if (runtime !== 'tfjs') adviseOn(first.info.embedder)
      return EmbedPool.withMore(
        first,
        { modelDir, runtime: 'tfjs', backend: options.backend },
        env,
        options.workers,
      )
    }
    if (runtime === 'tfjs') return tfjs()
    const tfBackend =
      runtime === 'auto' ? (await initBackend(options.backend, env)).backend : undefined
    const gpuOnly = tfBackend !== undefined && TFJS_GPU.includes(tfBackend)
    const init: WorkerInit = { modelDir, runtime: 'onnxruntime', gpuOnly, threads: ortThreads(env) }
    let first: EmbedWorker
    try {
      first = await EmbedWorker.start(init)
    } catch (error) {
      if (runtime === 'onnxruntime') throw error
      if (!gpuOnly) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
        notice(
          'ort-missing',
          `ONNX Runtime could not start (${reason}); photos are described with TF.js, several times slower. Reinstall with: npm install onnxruntime-node`,
        )
      }
      return tfjs()
    }
    adviseOn(first.info.embedder)
    return EmbedPool.withMore(first, init, env, options.workers)
  }

  private static async withMore(
    first: EmbedWorker,
    init: WorkerInit,
    env: NodeJS.ProcessEnv,
    most = Infinity,
  ): Promise<EmbedPool> {
    const extra = Math.min(most, workerCount(first.info.embedder, env)) - 1
    // The rest load exactly what the first one chose.
    const same: WorkerInit =
      init.runtime === 'tfjs'
        ? { ...init, backend: first.info.embedder.provider as ComputeBackend }
        : init
    const started = await Promise.allSettled(
      Array.from({ length: extra }, () => EmbedWorker.start(same)),
    )
    const workers = [first]
    for (const s of started) if (s.status === 'fulfilled') workers.push(s.value)
    return new EmbedPool(workers)
  }

  async embed(pixels: Uint8Array, count: number): Promise<Float32Array> {
    const index = this.queued.indexOf(Math.min(...this.queued))
    this.queued[index] = (this.queued[index] as number) + 1
    try {
      return await (this.workers[index] as EmbedWorker).embed(pixels, count)
    } finally {
      this.queued[index] = (this.queued[index] as number) - 1
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()))
  }
}
