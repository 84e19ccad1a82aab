/**
 * Stopping `kindred` by its PID (SIGTERM from a service manager, `kill`, a closed terminal)
 * stops everything it started: no process is left running the command, holding the library
 * lock or listening on the port.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { startServe, stillAnswers, type ServeProcess } from './server-fixture'

const root = path.resolve(__dirname, '../..')

/** Live processes in a process group (Linux: field 5 of /proc/<pid>/stat). */
function groupMembers(pgid: number): number[] {
  const members: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry))
    } catch {
      // It ended while we looked.
    }
  }
  return members
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

const leftovers: number[] = []
afterEach(() => {
  for (const pgid of leftovers.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL')
    } catch {
      // Already gone, as it should be.
    }
  }
})

describe('stopping kindred by its PID', () => {
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`${signal} stops kindred serve: the port closes and no process is left`, async () => {
      const serve: ServeProcess = await startServe()
      const pgid = serve.child.pid!
      leftovers.push(pgid)
      expect(await stillAnswers(serve)).toBe(true)
      expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(2) // the CLI and its engine

      process.kill(serve.child.pid!, signal)
      expect(await serve.exited).toBe(0)
      await expect.poll(() => portOpen(serve.port), { timeout: 5_000 }).toBe(false)
      await expect.poll(() => groupMembers(pgid), { timeout: 5_000 }).toEqual([])
      expect(fs.existsSync(path.join(serve.library, 'jobs.lock'))).toBe(false)
      await serve.stop()
    }, 120_000)
  }

  it('Ctrl+C the moment serve prints its address stops it cleanly', async () => {
    // The stop signal is sent from the very event that delivers the address, not after a poll:
    // serve must already be listening for it when it says it is ready.
    for (let attempt = 0; attempt < 3; attempt++) {
      const renderer = tempDir('kindred-renderer-')
      fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Kindred</title>')
      const library = path.join(tempDir(), 'library')
      const child = spawn(
        process.execPath,
        [path.join(root, 'bin', 'kindred.js'), 'serve', '--library', library, '--json'],
        {
          env: { ...process.env, KINDRED_RENDERER_DIR: renderer },
          stdio: ['ignore', 'pipe', 'ignore'],
          detached: true,
        },
      )
      leftovers.push(child.pid!)
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"url"')) child.kill('SIGINT')
      })
      expect(await exited).toBe(0)
      expect(fs.existsSync(path.join(library, 'jobs.lock'))).toBe(false)
    }
  }, 180_000)

  it('SIGTERM during an import stops it, keeps what was read and releases the library lock', async () => {
    const library = path.join(tempDir(), 'library')
    const cli = spawn(
      process.execPath,
      [
        path.join(root, 'bin', 'kindred.js'),
        'import',
        sharedPath('datasets', 'caltech20'),
        '--library',
        library,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    )
    leftovers.push(cli.pid!)
    let stderr = ''
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    cli.stdout.resume()
    const exited = new Promise<number | null>((resolve) =>
      cli.once('exit', (code) => resolve(code)),
    )
    // Wait until photos are being imported (the lock is held), then stop it.
    await expect
      .poll(() => /^import: \d+\/\d+/m.test(stderr), { timeout: 90_000, interval: 50 })
      .toBe(true)
    expect(fs.existsSync(path.join(library, 'jobs.lock'))).toBe(true)

    process.kill(cli.pid!, 'SIGTERM')
    expect(await exited).toBe(1)
    expect(stderr).toMatch(/Import cancelled; the photos read so far were saved/)
    // Nothing runs on: the lock is released at once, not when some orphan finishes.
    expect(groupMembers(cli.pid!)).toEqual([])
    expect(fs.existsSync(path.join(library, 'jobs.lock'))).toBe(false)
    const lib = openLibrary(library)
    try {
      const saved = lib.db.prepare(`SELECT count(*) FROM photos`).pluck().get() as number
      expect(saved).toBeGreaterThan(0)
    } finally {
      lib.close()
    }
  }, 120_000)
})
