import os from 'node:os'
import type { ComputeBackend } from '../../../shared/contract'
import { EmbedWorker, type EmbedWorkerInfo } from './client'

/** Backends that compute on the CPU cores themselves, one thread each in Node. */
const CPU_BOUND: readonly ComputeBackend[] = ['wasm', 'cpu']

/**
 * How many workers to run: one for GPU backends; for WASM/CPU one per core (TF.js's WASM
 * backend is single-threaded in Node, so parallel workers are how it uses several cores).
 */
export function workerCount(backend: ComputeBackend, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.KINDRED_EMBED_WORKERS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return CPU_BOUND.includes(backend) ? Math.max(1, Math.min(4, os.availableParallelism())) : 1
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

  static async start(
    modelDir: string,
    backend?: ComputeBackend,
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<EmbedPool> {
    const first = await EmbedWorker.start(modelDir, backend)
    const extra = workerCount(first.info.backend, env) - 1
    const started = await Promise.allSettled(
      Array.from({ length: extra }, () => EmbedWorker.start(modelDir, first.info.backend)),
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
