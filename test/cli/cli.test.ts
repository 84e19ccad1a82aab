import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function kindred(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/kindred.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, KINDRED_LIBRARY: undefined, ...env },
    timeout: 120_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

function photosFolder(): string {
  const dir = tempDir('kindred-cli-photos-')
  for (const name of ['DSCN0010.jpg', 'DSCN0012.jpg']) {
    fs.copyFileSync(sharedPath('fixtures', 'exif-samples', 'gps', name), path.join(dir, name))
  }
  fs.copyFileSync(sharedPath('fixtures', 'formats', 'truncated.jpg'), path.join(dir, 'broken.jpg'))
  return dir
}

describe('kindred CLI', () => {
  it('prints help', () => {
    const { code, stdout } = kindred(['--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/Usage: kindred/)
    expect(stdout).toMatch(/import/)
    expect(stdout).toMatch(/status/)
  })

  it('imports with --json: one JSON document on stdout, nothing on stderr', () => {
    const library = path.join(tempDir(), 'lib')
    const photos = photosFolder()
    const { code, stdout, stderr } = kindred(['import', photos, '--library', library, '--json'])
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const summary = JSON.parse(stdout)
    expect(summary).toMatchObject({ library, imported: 2, unchanged: 0, duplicates: 0, missing: 0 })
    expect(summary.failed).toEqual([
      { path: path.join(photos, 'broken.jpg'), error: expect.stringMatching(/truncated/) },
    ])

    const again = JSON.parse(kindred(['--json', '--library', library, 'import', photos]).stdout)
    expect(again).toMatchObject({ imported: 0, unchanged: 2 })

    const status = kindred(['status', '--json'], { KINDRED_LIBRARY: library })
    expect(status.code).toBe(0)
    const summaryNow = JSON.parse(status.stdout)
    expect(summaryNow.photos).toEqual({ ok: 2, failed: 1, missing: 0, duplicates: 0 })
    expect(summaryNow.folders).toHaveLength(1)
    expect(summaryNow.folders[0]).toMatchObject({ path: photos, photoCount: 2 })
    expect(summaryNow.failures.total).toBe(1)
    expect(summaryNow.bytes).toBeGreaterThan(0)
    expect(summaryNow.organized).toBeNull()
  })

  it('prints a readable summary and plain progress lines when not on a terminal', () => {
    const library = path.join(tempDir(), 'lib')
    const { code, stdout, stderr } = kindred(['import', photosFolder(), '--library', library])
    expect(code).toBe(0)
    expect(stdout).toMatch(/Imported 2 new photos/)
    expect(stdout).toMatch(/broken\.jpg\n\s+Damaged or truncated image/)
    expect(stderr).toMatch(/^import: 3 to do$/m)
    expect(stderr).toMatch(/^import: 3\/3 \(100\.0%\), [\d.]+\/s, ETA/m)
    expect(stderr).not.toContain(String.fromCharCode(27)) // no terminal control codes in plain mode

    const status = kindred(['status', '--library', library])
    expect(status.stdout).toMatch(/photos\s+2/)
    expect(status.stdout).toMatch(/failed\s+1/)
    expect(status.stdout).toContain('Not organized yet: run `kindred organize`.')
  })

  it('fails with a clear error and a non-zero exit for a folder that does not exist', () => {
    const library = path.join(tempDir(), 'lib')
    const missing = path.join(tempDir(), 'nope')
    const text = kindred(['import', missing, '--library', library])
    expect(text.code).not.toBe(0)
    expect(text.stderr).toContain(`Folder not found: ${missing}`)
    expect(text.stdout).toBe('')

    const json = kindred(['import', missing, '--library', library, '--json'])
    expect(json.code).not.toBe(0)
    expect(json.stderr).toContain('Folder not found')
    expect(JSON.parse(json.stdout)).toEqual({ error: `Folder not found: ${missing}` })
  })

  it('rejects a library path that is a file', () => {
    const file = path.join(tempDir(), 'not-a-folder')
    fs.writeFileSync(file, 'x')
    const { code, stderr } = kindred(['status', '--library', file])
    expect(code).not.toBe(0)
    expect(stderr).toMatch(/is a file, not a folder/)
  })

  it('a command that reads a library makes none where there is none, and says so', () => {
    const mistyped = path.join(tempDir(), 'Pictuers', 'library')
    const photos = photosFolder()
    const before = fs.readdirSync(photos).sort()
    const commands = [
      ['status'],
      ['clusters'],
      ['search', 'beach'],
      ['duplicates'],
      ['export', path.join(tempDir(), 'out')],
    ]
    for (const command of commands) {
      for (const library of [mistyped, photos]) {
        const { code, stdout, stderr } = kindred([...command, '--library', library])
        expect(code, command[0]).toBe(1)
        expect(stdout).toBe('')
        expect(stderr).toContain(
          `There is no Kindred library at ${library}. Import a photo folder to make one: kindred import <folder> --library ${library}`,
        )
      }
      const json = kindred([...command, '--library', mistyped, '--json'])
      expect(JSON.parse(json.stdout).error).toMatch(/^There is no Kindred library at /)
    }
    expect(fs.existsSync(path.dirname(mistyped))).toBe(false)
    expect(fs.readdirSync(photos).sort()).toEqual(before)

    // Through KINDRED_LIBRARY the hint needs no --library.
    const viaEnv = kindred(['status'], { KINDRED_LIBRARY: mistyped })
    expect(viaEnv.stderr).toMatch(/make one: kindred import <folder>\n?$/)
  })

  it('rejects an unknown command', () => {
    const { code, stderr } = kindred(['frobnicate'])
    expect(code).not.toBe(0)
    expect(stderr).toMatch(/unknown command/i)
  })
})
