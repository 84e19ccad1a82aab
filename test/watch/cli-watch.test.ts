/**
 * The command line around folder watching: `kindred watch` prints what it picks up until
 * Ctrl+C; `kindred serve` watches unless told `--no-watch`.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/kindred.js')

function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, KINDRED_LIBRARY: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const out = { stdout: '', stderr: '' }
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, out, exited }
}

/** Every process below `pid`, with its command line. */
function descendants(pid: number): string[][] {
  const file = `/proc/${pid}/task/${pid}/children`
  if (!fs.existsSync(file)) return []
  const children = fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  return children.flatMap((child) => {
    const cmdline = fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')
    return [cmdline, ...descendants(child)]
  })
}

describe('kindred watch', () => {
  it('prints each change it picks up as a JSON line, and stops cleanly on Ctrl+C', async () => {
    const library = path.join(tempDir(), 'lib')
    const photos = tempDir('kindred-cli-photos-')
    const photo = (name: string) => sharedPath('fixtures', 'exif-samples', 'gps', name)
    fs.copyFileSync(photo('DSCN0010.jpg'), path.join(photos, 'a.jpg'))
    const imported = spawnSync(process.execPath, [bin, 'import', photos, '--library', library], {
      encoding: 'utf8',
    })
    expect(imported.status, imported.stderr).toBe(0)

    const watch = start(['watch', '--library', library, '--json'])
    await expect
      .poll(() => watch.out.stderr, { timeout: 60_000 })
      .toMatch(/Watching .* Press Ctrl\+C to stop/)
    fs.copyFileSync(photo('DSCN0012.jpg'), path.join(photos, 'b.jpg'))
    await expect.poll(() => watch.out.stdout, { timeout: 60_000 }).toMatch(/\n$/)
    const line = JSON.parse(watch.out.stdout.trim().split('\n')[0]!)
    expect(line).toMatchObject({ added: 1, missing: 0, message: '1 new photo imported' })
    expect(Date.parse(line.at)).not.toBeNaN()

    fs.rmSync(path.join(photos, 'a.jpg'))
    await expect.poll(() => watch.out.stdout.trim().split('\n').length, { timeout: 60_000 }).toBe(2)
    expect(JSON.parse(watch.out.stdout.trim().split('\n')[1]!)).toMatchObject({ missing: 1 })

    watch.child.kill('SIGINT')
    expect(await watch.exited).toBe(0)
  })

  it('says how to add a folder when there is none to watch', () => {
    const library = path.join(tempDir(), 'lib')
    const result = spawnSync(process.execPath, [bin, 'watch', '--library', library], {
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/No folder to watch: add one with `kindred import <folder>`/)
  })
})

describe('kindred serve', () => {
  it.each([
    [[], true],
    [['--no-watch'], false],
  ])('with %j starts an engine that watches: %s', async (flags, watching) => {
    const renderer = tempDir('kindred-renderer-')
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Kindred</title>')
    const library = path.join(tempDir('kindred-serve-'), 'library')
    const serve = start(['serve', '--library', library, '--json', ...flags], {
      KINDRED_RENDERER_DIR: renderer,
    })
    await expect.poll(() => serve.out.stdout, { timeout: 60_000 }).toMatch(/"url"/)
    const engine = descendants(serve.child.pid!).find((cmd) =>
      cmd.some((arg) => arg.endsWith('process-entry.ts')),
    )
    expect(engine).toBeDefined()
    expect(engine!.includes('--watch')).toBe(watching)
    serve.child.kill('SIGINT')
    expect(await serve.exited).toBe(0)
  })
})
