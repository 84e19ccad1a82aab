import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sharedPath } from './shared'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The CLI's entry point. */
export const KINDRED_BIN = path.join(root, 'bin/kindred.js')

/** The CLI's environment in tests: the shared model weights and no default library. */
export function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, KINDRED_LIBRARY: undefined, KINDRED_MODELS_DIR: sharedPath('models') }
}

/** Runs the kindred CLI with the shared model weights and no default library. */
export function kindred(
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KINDRED_BIN, ...args], { env: cliEnv() })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
