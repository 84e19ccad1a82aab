import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { EmbedderInfo } from '../../../shared/contract'
import type { FromWorker, ToWorker } from './protocol'

export interface EmbedWorkerInfo {
  embedder: EmbedderInfo
  model: string
  dim: number
  skipped: { name: string; reason: string }[]
}

/** How a worker loads its backbone (the init message without its type). */
export type WorkerInit = Omit<Extract<ToWorker, { type: 'init' }>, 'type'>

/** tsx's ESM API (import condition), located without import.meta.resolve (absent in vitest). */
function tsxApiUrl(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json')
  return pathToFileURL(path.join(path.dirname(pkg), 'dist/esm/api/index.mjs')).href
}

/**
 * The worker's entry is TypeScript. Node 20 loads a worker's entry before any `--import`
 * hooks from execArgv apply, so a one-line bootstrap registers tsx in the worker first and
 * then imports the entry. A built (.js) entry is imported directly.
 */
function startWorker(entry: URL): Worker {
  const target = JSON.stringify(entry.href)
  const code = entry.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => { tsx.register(); return import(${target}) })`
    : `import(${target})`
  return new Worker(code, { eval: true })
}

let workerEntry = new URL('./embed-worker.ts', import.meta.url)

/**
 * Hosts that bundle the engine (Electron) point this at their built worker file, since the
 * TypeScript source beside this module is not shipped.
 */
export function setEmbedWorkerEntry(entry: URL): void {
  workerEntry = entry
}

/** A worker thread holding one backbone; `embed` sends views and resolves with features. */
export class EmbedWorker {
  private nextId = 1
  private readonly pending = new Map<
    number,
    { resolve(f: Float32Array): void; reject(e: Error): void }
  >()
  private failure: Error | undefined

  private constructor(
    private readonly worker: Worker,
    readonly info: EmbedWorkerInfo,
  ) {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'embedded') this.settle(message.id)?.resolve(message.features)
      else if (message.type === 'error' && message.id !== undefined) {
        this.settle(message.id)?.reject(new Error(message.message))
      }
    })
    const failAll = (error: Error) => {
      this.failure ??= error
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
    }
    worker.on('error', failAll)
    worker.on('exit', (code) =>
      failAll(new Error(`the embedding worker stopped (exit code ${code})`)),
    )
  }

  private settle(id: number) {
    const entry = this.pending.get(id)
    this.pending.delete(id)
    return entry
  }

  static async start(init: WorkerInit): Promise<EmbedWorker> {
    const worker = startWorker(workerEntry)
    let onMessage: (message: FromWorker) => void = () => {}
    let onError: (error: Error) => void = () => {}
    let onExit: (code: number) => void = () => {}
    try {
      const info = await new Promise<EmbedWorkerInfo>((resolve, reject) => {
        onMessage = (message) => {
          if (message.type === 'ready') {
            const { embedder, model, dim, skipped } = message
            resolve({ embedder, model, dim, skipped })
          } else reject(new Error(message.type === 'error' ? message.message : 'unexpected reply'))
        }
        onError = reject
        onExit = (code) =>
          reject(new Error(`the embedding worker exited during start (code ${code})`))
        worker.on('message', onMessage).on('error', onError).on('exit', onExit)
        worker.postMessage({ type: 'init', ...init } satisfies ToWorker)
      })
      return new EmbedWorker(worker, info)
    } catch (error) {
      await worker.terminate()
      throw error
    } finally {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit)
    }
  }

  /** `count` views back to back in `pixels` → count × dim L2-normalised features. */
  embed(pixels: Uint8Array, count: number): Promise<Float32Array> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ type: 'embed', id, pixels, count } satisfies ToWorker, [
        pixels.buffer as ArrayBuffer,
      ])
    })
  }

  /**
   * Asks the worker to finish its passes, release its model and end; terminates it only if it
   * has not ended within `graceMs` (terminating a thread inside a native pass can crash).
   */
  async close(graceMs = 30_000): Promise<'ended' | 'terminated'> {
    this.failure ??= new Error('the embedding worker was closed')
    for (const p of this.pending.values()) p.reject(new Error('the embedding worker was closed'))
    this.pending.clear()
    if (this.worker.threadId < 0) return 'ended'
    const ended = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.postMessage({ type: 'close' } satisfies ToWorker)
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs)
    })
    const outcome = await Promise.race([ended, late])
    clearTimeout(timer)
    if (outcome !== 'late') return 'ended'
    await this.worker.terminate()
    return 'terminated'
  }
}
