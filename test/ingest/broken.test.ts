import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ImportSummary } from '../../src/core/ingest'
import type { Library } from '../../src/core/store/library'
import { tempDir } from '../helpers/tmp'
import { exifSample, folderWith, formatSample, freshLibrary, importInto, photo } from './helpers'

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

describe('bad input is recorded with a reason and never stops the import', () => {
  let lib: Library
  let dir: string
  let summary: ImportSummary
  let before: Map<string, string>

  beforeAll(async () => {
    lib = freshLibrary()
    dir = folderWith({
      'good.jpg': exifSample('Canon_40D.jpg'),
      'truncated.jpg': formatSample('truncated.jpg'),
      'truncated.png': formatSample('truncated.png'),
      'corrupt-header.jpg': formatSample('corrupt-header.jpg'),
      'corrupted.jpg': exifSample('corrupted.jpg'),
      'drawing.svg': formatSample('check.svg'),
      'phone.heic': exifSample('heic', 'IMG_5195.HEIC'),
    })
    fs.writeFileSync(path.join(dir, 'empty.jpg'), '')
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'shopping list: film, batteries\n')
    fs.writeFileSync(path.join(dir, 'fake.jpg'), 'this is not a JPEG at all\n')
    fs.writeFileSync(
      path.join(dir, 'archive.jpg'),
      Buffer.from('PK\u0003\u0004rest-of-zip', 'latin1'),
    )
    fs.writeFileSync(path.join(dir, '.DS_Store'), 'finder junk')
    execFileSync('mkfifo', [path.join(dir, 'pipe.jpg')])
    fs.symlinkSync(path.join(dir, 'nowhere.jpg'), path.join(dir, 'dangling.jpg'))
    fs.symlinkSync('self.jpg', path.join(dir, 'self.jpg'))
    before = new Map(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.jpg') && !/pipe|dangling|self/.test(f))
        .map((f) => [f, sha(path.join(dir, f))]),
    )
    summary = await importInto(lib, [dir])
  })

  const reasonFor = (name: string) =>
    summary.failed.find((f) => f.path === path.join(dir, name))?.error

  it('imports the good photo next to the broken ones', () => {
    expect(summary.imported).toBe(1)
    expect(photo(lib, path.join(dir, 'good.jpg')).status).toBe('ok')
  })

  it.each([
    ['truncated.jpg', /truncated/i],
    ['truncated.png', /truncated/i],
    ['corrupted.jpg', /corrupt/i],
    ['corrupt-header.jpg', /header is damaged/i],
    ['empty.jpg', /empty file \(0 bytes\)/i],
    ['notes.txt', /not a photo: the file contains text/i],
    ['fake.jpg', /not a photo: the file contains text/i],
    ['archive.jpg', /ZIP archive/],
    ['drawing.svg', /SVG is a vector drawing/],
    ['pipe.jpg', /named pipe/],
  ])('%s is failed with a reason (%s)', (name, reason) => {
    const row = photo(lib, path.join(dir, name))
    expect(row.status).toBe('failed')
    expect(row.error).toMatch(reason)
    expect(reasonFor(name)).toBe(row.error)
  })

  it('says per file when HEIC cannot be decoded here, and imports it where it can', () => {
    const row = photo(lib, path.join(dir, 'phone.heic'))
    if (row.status === 'ok') expect(row.format).toBe('heic')
    else expect(row.error).toMatch(/HEVC/)
  })

  it('reports broken and looping links without a photo row', () => {
    expect(reasonFor('dangling.jpg')).toMatch(/disappeared|not followed/i)
    expect(reasonFor('self.jpg')).toMatch(/loop/i)
  })

  it('ignores hidden files', () => {
    expect(summary.ignored).toBe(1)
    expect(summary.failed.map((f) => path.basename(f.path))).not.toContain('.DS_Store')
  })

  it('never modifies the originals', () => {
    for (const [name, hash] of before) expect(sha(path.join(dir, name)), name).toBe(hash)
  })

  it('lists every failure in the library', () => {
    const failed = lib.db
      .prepare(`SELECT COUNT(*) FROM photos WHERE status = 'failed'`)
      .pluck()
      .get()
    expect(failed).toBe(summary.failed.length - 2) // the two links have no row
  })
})

describe('limits and permissions', () => {
  it('refuses images over the pixel limit with the size in the reason', async () => {
    const lib = freshLibrary()
    const dir = folderWith({ 'big.tif': formatSample('G31D.TIF') })
    const summary = await importInto(lib, [dir], { maxPixels: 1_000_000 })
    expect(summary.failed).toHaveLength(1)
    expect(summary.failed[0]!.error).toMatch(/too large: 2464×3248 \(8\.0 megapixels\)/)
  })

  it('records unreadable files and folders as permission denied', async (ctx) => {
    if (!permissionsApply()) ctx.skip('running as root without a way to drop to nobody')
    const dir = folderWith({
      'ok.jpg': exifSample('Canon_40D.jpg'),
      'locked.jpg': exifSample('Nikon_D70.jpg'),
      'private/inside.jpg': exifSample('Sony_HDR-HC3.jpg'),
    })
    fs.chmodSync(path.join(dir, 'locked.jpg'), 0o000)
    fs.chmodSync(path.join(dir, 'private'), 0o000)
    const summary = await importUnprivileged(dir)
    fs.chmodSync(path.join(dir, 'private'), 0o755)
    expect(summary.imported).toBe(1)
    expect(summary.failed).toEqual([
      {
        path: path.join(dir, 'locked.jpg'),
        error: 'Permission denied: Kindred may not read this file.',
      },
      {
        path: path.join(dir, 'private'),
        error: 'Folder not read: Permission denied: Kindred may not read this folder.',
      },
    ])
  })

  it('stops with a clear error when a folder does not exist', async () => {
    const lib = freshLibrary()
    const missing = path.join(tempDir(), 'no-such-folder')
    await expect(importInto(lib, [missing])).rejects.toThrow(`Folder not found: ${missing}`)
    expect(lib.db.prepare(`SELECT COUNT(*) FROM folders`).pluck().get()).toBe(0)
  })
})

const cli = path.resolve(import.meta.dirname, '../../bin/kindred.js')
const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli]

/** Permissions stop this process, or it can run the CLI as `nobody` (needs setpriv, readable repo). */
function permissionsApply(): boolean {
  if (process.getuid?.() !== 0) return true
  try {
    execFileSync('setpriv', [...asNobody, '--help'], {
      stdio: 'ignore',
      env: { ...process.env, HOME: os.tmpdir() },
    })
    return true
  } catch {
    return false
  }
}

/**
 * Imports `dir` as a user that file permissions apply to. Tests often run as root, whom chmod
 * does not stop, so then the CLI runs as `nobody` (through setpriv) on a library in `dir`.
 */
async function importUnprivileged(dir: string): Promise<ImportSummary> {
  if (process.getuid?.() !== 0) return importInto(freshLibrary(), [dir])
  fs.chmodSync(dir, 0o777)
  const lib = path.join(dir, 'library')
  const out = execFileSync('setpriv', [...asNobody, 'import', dir, '--library', lib, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir },
  })
  return JSON.parse(out) as ImportSummary
}
