import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp'
import { request } from './http'

const root = path.resolve(__dirname, '../..')

function childPids(pid: number): number[] {
  // /proc/<pid>/task/<pid>/children lists a process's children on Linux.
  const file = `/proc/${pid}/task/${pid}/children`
  return fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
    : []
}

describe('kindred serve', () => {
  it('prints a tokened URL, serves with the token only, and stops cleanly on SIGINT', async () => {
    const renderer = tempDir('kindred-renderer-')
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Kindred</title>')
    const library = path.join(tempDir('kindred-serve-'), 'library')
    // The CLI's entry through tsx, the way a development checkout runs it.
    const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')
    const cli = spawn(
      process.execPath,
      [
        '--import',
        tsx,
        path.join(root, 'src/cli/main.ts'),
        'serve',
        '--library',
        library,
        '--json',
      ],
      {
        env: { ...process.env, KINDRED_RENDERER_DIR: renderer },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)))
    await expect.poll(() => stdout.includes('"url"'), { timeout: 60_000 }).toBe(true)
    const printed = JSON.parse(stdout) as { url: string; port: number; library: string }
    expect(printed.library).toBe(library)
    expect(printed.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${printed.port}/\\?token=[\\w-]{43}$`),
    )
    const token = new URL(printed.url).searchParams.get('token')!

    expect((await request(printed.port, { path: '/' })).status).toBe(401)
    const api = await request(printed.port, {
      path: '/api/library.summary',
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(api.status).toBe(200)
    expect(JSON.parse(api.text).result.dir).toBe(library)
    const engines = childPids(cli.pid!)
    expect(engines).toHaveLength(1)

    cli.kill('SIGINT')
    expect(await exited).toBe(0)
    // The engine child process is gone too, and the library's job lock is released.
    expect(fs.existsSync(`/proc/${engines[0]}`)).toBe(false)
    expect(fs.existsSync(path.join(library, 'jobs.lock'))).toBe(false)
  })

  it('refuses a bad port with a clear message', async () => {
    const cli = spawn(
      process.execPath,
      [path.join(root, 'bin', 'kindred.js'), 'serve', '--port', 'http'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toContain('--port must be a number from 0 to 65535, not "http".')
  })
})
