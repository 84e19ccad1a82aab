import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'

/**
 * Points the WASM backend at its .wasm files in node_modules and picks a thread count
 * (one per core, at most 8). Must run before the backend is first initialised.
 */
export async function prepareWasm(threads = defaultWasmThreads()): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  const require = createRequire(import.meta.url)
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))
  // In Node the emscripten loader reads a file path; keep the trailing separator.
  wasm.setWasmPaths(dist + path.sep)
  wasm.setThreadsCount(threads)
  return threads
}

export function defaultWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.KINDRED_WASM_THREADS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return Math.max(1, Math.min(8, os.availableParallelism()))
}

export async function wasmThreadsInUse(): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  return wasm.getThreadsCount()
}
