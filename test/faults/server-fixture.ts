import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { request, type Reply } from '../server/http'

const root = path.resolve(__dirname, '../..')

export interface ServeProcess {
  child: ChildProcess
  port: number
  token: string
  library: string
  /** Everything the process wrote on stderr so far. */
  stderr(): string
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
  stop(): Promise<void>
}

/**
 * `kindred serve` in a process of its own (the CLI's, as bin/kindred.js runs it), on a fresh
 * library and a one-page renderer, on a free port. A crash shows as a dead process, exactly as
 * a person would see it.
 */
export async function startServe(): Promise<ServeProcess> {
  const made: string[] = []
  const keep = (prefix: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
    made.push(dir)
    return dir
  }
  const renderer = keep('kindred-renderer-')
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Kindred</title>')
  const library = path.join(keep('kindred-faults-'), 'library')
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'kindred.js'), 'serve', '--library', library, '--json'],
    {
      env: { ...process.env, KINDRED_RENDERER_DIR: renderer },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A group of its own, so that stop() reaches every process it started.
      detached: true,
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  const started = Date.now()
  while (!stdout.includes('"url"')) {
    if (child.exitCode !== null || Date.now() - started > 60_000) {
      killGroup(child, 'SIGKILL')
      throw new Error(`kindred serve did not start: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const printed = JSON.parse(stdout) as { url: string; port: number }
  return {
    child,
    port: printed.port,
    token: new URL(printed.url).searchParams.get('token')!,
    library,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT')
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      // Whatever is left of the group (nothing, when the server stops as it should).
      killGroup(child, 'SIGKILL')
      for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal)
  } catch {
    // The group is gone already.
  }
}

export const JSON_TYPE = { 'Content-Type': 'application/json' }

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` }
}

/** POST /api/<command> with the token, as JSON. */
export function api(
  serve: { port: number; token: string },
  command: string,
  body: string,
): Promise<Reply> {
  return request(serve.port, {
    path: `/api/${command}`,
    method: 'POST',
    headers: { ...bearer(serve.token), ...JSON_TYPE },
    body,
  })
}

/** The server is still up and answers a real command. */
export async function stillAnswers(serve: { port: number; token: string }): Promise<boolean> {
  try {
    const reply = await api(serve, 'library.summary', '{}')
    return reply.status === 200 && (JSON.parse(reply.text) as { ok: boolean }).ok
  } catch {
    return false
  }
}
