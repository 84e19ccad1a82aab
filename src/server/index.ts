/**
 * `kindred serve` without the CLI around it: starts the engine in a supervised child process
 * (a crash restarts it, the page hears `engine.crashed` / `engine.restarted`) and the server.
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { forkEngine } from '../core/engine/fork'
import { EngineSupervisor } from '../core/engine/supervisor'
import { rendererBuilt, startServer, type RunningServer } from './server'

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The built renderer; KINDRED_RENDERER_DIR serves one built elsewhere. */
export const RENDERER_DIR = path.resolve(
  process.env.KINDRED_RENDERER_DIR ?? path.join(PROJECT_ROOT, 'out', 'renderer'),
)
const ENGINE_ENTRY = path.join(PROJECT_ROOT, 'src', 'core', 'engine', 'process-entry.ts')

/** Builds the app with electron-vite when out/renderer is missing; throws how to do it by hand. */
export function ensureRendererBuilt(log: (line: string) => void): void {
  if (rendererBuilt(RENDERER_DIR)) return
  log('The app is not built yet (out/renderer is missing): building it with electron-vite…')
  const cli = path.join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const result = spawnSync(process.execPath, [cli, 'build'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (result.status !== 0 || !rendererBuilt(RENDERER_DIR)) {
    throw new Error(
      `Could not build the app. Run \`npx electron-vite build\` in ${PROJECT_ROOT} and try again.`,
    )
  }
}

export interface ServeOptions {
  libraryDir: string
  port: number
  rendererDir?: string
  /** Pick up photos added, changed or removed in the library's folders (default: true). */
  watch?: boolean
  /** Poll every folder instead of the OS's change notices (network drives). */
  poll?: boolean
}

export interface Serving extends RunningServer {
  engine: EngineSupervisor
}

/**
 * Node options for the engine process: this process's own, plus tsx's loader for the engine's
 * TypeScript entry when this process did not get it on its command line (bin/kindred.js
 * registers tsx in-process instead).
 */
export function engineExecArgv(execArgv: string[] = process.execArgv): string[] {
  if (execArgv.some((arg) => /\btsx\b/.test(arg))) return execArgv
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  return [...execArgv, '--import', pathToFileURL(path.join(tsxDir, 'dist', 'loader.mjs')).href]
}

export async function serve(options: ServeOptions): Promise<Serving> {
  const args = options.watch === false ? [] : ['--watch', ...(options.poll ? ['--poll'] : [])]
  const engine = new EngineSupervisor(() =>
    forkEngine(ENGINE_ENTRY, options.libraryDir, engineExecArgv(), args),
  )
  try {
    await engine.started()
  } catch (error) {
    await engine.close()
    throw error
  }
  try {
    const server = await startServer({
      engine,
      rendererDir: options.rendererDir ?? RENDERER_DIR,
      port: options.port,
    })
    return {
      ...server,
      engine,
      async close() {
        await server.close()
        await engine.close()
      },
    }
  } catch (error) {
    await engine.close()
    throw error
  }
}
