/**
 * What an export may touch: only files it created in this run. Temporary files have names no one
 * else uses and are created exclusively; the export keeps file dates; it refuses destinations
 * that are relative or inside the library's photo folders; the viewer finds moved photos.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createExport,
  exportGroups,
  planExport,
  runExport,
  undoExport,
} from '../../src/core/export'
import { resolvePhotoFile } from '../../src/core/engine/photo-files'
import type { Library } from '../../src/core/store/library'
import { tempDir } from '../helpers/tmp'
import { buildFixture, type Fixture } from '../edits/fixture'

const open: Library[] = []
afterEach(() => {
  vi.restoreAllMocks()
  for (const lib of open.splice(0)) lib.close()
})

async function fixture(): Promise<Fixture & { dest: string }> {
  const fx = await buildFixture(2)
  open.push(fx.lib)
  return { ...fx, dest: path.join(tempDir('kindred-export-'), 'Sorted') }
}

function items(lib: Library, exportId: number) {
  return lib.db
    .prepare(
      `SELECT photo_id, source, target, done, partial FROM export_items WHERE export_id = ? ORDER BY target`,
    )
    .all(exportId) as {
    photo_id: number
    source: string
    target: string
    done: number
    partial: string | null
  }[]
}

/** Every file under `dir` (relative paths), hidden ones included. */
function listAll(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort()
}

describe('an export never deletes or overwrites what it did not make', () => {
  it('leaves a file named like the old temporary name alone', async () => {
    const { lib, dest } = await fixture()
    const { files } = planExport(lib, { destination: dest, mode: 'copy' })
    const first = files[0]!
    fs.mkdirSync(path.dirname(first.target), { recursive: true })
    const mine = `${first.target}.kindred-partial`
    fs.writeFileSync(mine, 'a file of the user that happens to have this name')
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'copy' })
    expect(fs.readFileSync(mine, 'utf8')).toBe('a file of the user that happens to have this name')
    expect(items(lib, exportId).every((i) => i.done === 1 && i.partial === null)).toBe(true)
    await undoExport(lib, exportId)
    expect(fs.readFileSync(mine, 'utf8')).toBe('a file of the user that happens to have this name')
  })

  it('creates its temporary file exclusively: a taken name gets another, nothing is truncated', async () => {
    const { lib, dest } = await fixture()
    const { files } = planExport(lib, { destination: dest, mode: 'copy' })
    const first = files[0]!
    const dir = path.dirname(first.target)
    fs.mkdirSync(dir, { recursive: true })
    // The first random name an export draws is already a file of someone else.
    const fixed = Buffer.from('0123456789ab', 'hex')
    const taken = path.join(
      dir,
      `.${path.basename(first.target)}.${fixed.toString('hex')}.kindred-partial`,
    )
    fs.writeFileSync(taken, 'precious')
    const real = crypto.randomBytes.bind(crypto)
    let calls = 0
    vi.spyOn(crypto, 'randomBytes').mockImplementation(((size: number) =>
      calls++ === 0 ? fixed : real(size)) as typeof crypto.randomBytes)
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'copy' })
    expect(calls).toBeGreaterThan(files.length) // the taken name was drawn, then another
    expect(fs.readFileSync(taken, 'utf8')).toBe('precious')
    const placed = items(lib, exportId)
    expect(placed.map((i) => i.target)).toEqual(files.map((f) => f.target).sort())
    for (const item of placed) {
      expect(fs.readFileSync(item.target).equals(fs.readFileSync(item.source))).toBe(true)
    }
  })

  it('leaves files already at the destination as they were, and undo does too', async () => {
    const { lib, dest } = await fixture()
    const { files } = planExport(lib, { destination: dest, mode: 'copy' })
    const dir = path.dirname(files[0]!.target)
    fs.mkdirSync(dir, { recursive: true })
    const existing = files.map((f) => f.target).filter((t) => path.dirname(t) === dir)
    for (const file of existing) fs.writeFileSync(file, `older ${path.basename(file)}`)
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'move' })
    await undoExport(lib, exportId)
    for (const file of existing) {
      expect(fs.readFileSync(file, 'utf8')).toBe(`older ${path.basename(file)}`)
    }
    expect(listAll(dest)).toEqual(existing.map((f) => path.relative(dest, f)).sort())
  })

  it('undo removes the folders it made, never an empty folder that was there before', async () => {
    const { lib, dest } = await fixture()
    const { files } = planExport(lib, { destination: dest, mode: 'copy' })
    const folders = [...new Set(files.map((f) => path.dirname(f.target)))].sort()
    fs.mkdirSync(folders[0]!, { recursive: true }) // the person's own, empty, before the export
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'copy' })
    await undoExport(lib, exportId)
    expect(fs.readdirSync(dest)).toEqual([path.basename(folders[0]!)])
    expect(fs.readdirSync(folders[0]!)).toEqual([])
  })

  it('removes the temporary file a killed export left, and only that one', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await createExport(lib, { destination: dest, mode: 'copy' })
    const first = items(lib, exportId)[0]!
    // As a kill during the copy leaves it: the name journaled, the file half-written.
    const leftover = path.join(
      path.dirname(first.target),
      `.${path.basename(first.target)}.deadbeef0000.kindred-partial`,
    )
    fs.mkdirSync(path.dirname(leftover), { recursive: true })
    fs.writeFileSync(leftover, fs.readFileSync(first.source).subarray(0, 100))
    lib.db
      .prepare(`UPDATE export_items SET partial = ? WHERE export_id = ? AND target = ?`)
      .run(leftover, exportId, first.target)
    await runExport(lib, exportId)
    expect(fs.existsSync(leftover)).toBe(false)
    expect(listAll(dest).some((f) => f.includes('kindred-partial'))).toBe(false)

    // The same for an undo of an export that stopped there.
    const again = await createExport(lib, {
      destination: path.join(tempDir(), 'Other'),
      mode: 'copy',
    })
    const item = items(lib, again.exportId)[0]!
    const left = `${path.dirname(item.target)}/.x.feedface0000.kindred-partial`
    // The export journals a folder before it makes it, then the name of its temporary file.
    lib.db
      .prepare(`INSERT INTO export_folders (export_id, path) VALUES (?, ?)`)
      .run(again.exportId, path.dirname(left))
    fs.mkdirSync(path.dirname(left), { recursive: true })
    fs.writeFileSync(left, 'half')
    lib.db
      .prepare(`UPDATE export_items SET partial = ? WHERE export_id = ? AND target = ?`)
      .run(left, again.exportId, item.target)
    expect(await undoExport(lib, again.exportId)).toEqual({ reverted: 0, kept: [] })
    expect(fs.existsSync(left)).toBe(false)
    expect(fs.existsSync(path.dirname(left))).toBe(false)
  })
})

describe('file dates', () => {
  it.each(['copy', 'move'] as const)('%s keeps the modification and access times', async (mode) => {
    const { lib, dest, photosByClass } = await fixture()
    const atime = new Date('2003-04-05T06:07:08.000Z')
    const mtime = new Date('2001-02-03T04:05:06.000Z')
    const sources = new Map<number, string>()
    for (const id of photosByClass.flat()) {
      const file = lib.db.prepare(`SELECT path FROM photos WHERE id = ?`).pluck().get(id) as string
      fs.utimesSync(file, atime, mtime)
      sources.set(id, file)
    }
    const { exportId } = await exportGroups(lib, { destination: dest, mode })
    for (const item of items(lib, exportId)) {
      const stats = fs.statSync(item.target)
      expect(stats.mtime.toISOString()).toBe(mtime.toISOString())
      expect(stats.atime.toISOString()).toBe(atime.toISOString())
    }
  })
})

describe('destinations an export refuses', () => {
  it('refuses a relative destination, as adding a folder does', async () => {
    const { lib } = await fixture()
    expect(() => planExport(lib, { destination: 'Sorted', mode: 'copy' })).toThrow(
      `Give the destination folder's full path (not "Sorted").`,
    )
    await expect(createExport(lib, { destination: './out', mode: 'copy' })).rejects.toThrow(
      /full path/,
    )
    expect(lib.db.prepare(`SELECT count(*) FROM exports`).pluck().get()).toBe(0)
  })

  it('refuses a destination inside a photo folder of the library, through links too', async () => {
    const { lib, photosDir } = await fixture()
    for (const destination of [photosDir, path.join(photosDir, 'Sorted', 'deeper')]) {
      expect(() => planExport(lib, { destination, mode: 'copy' })).toThrow(
        `inside ${photosDir}, a photo folder of the library`,
      )
    }
    const link = path.join(tempDir(), 'shortcut')
    fs.symlinkSync(photosDir, link)
    await expect(
      createExport(lib, { destination: path.join(link, 'Sorted'), mode: 'move' }),
    ).rejects.toThrow(/a photo folder of the library/)
    expect(fs.existsSync(path.join(photosDir, 'Sorted'))).toBe(false)
    expect(lib.db.prepare(`SELECT count(*) FROM exports`).pluck().get()).toBe(0)
  })
})

describe('the viewer follows a photo an export moves', () => {
  it('serves the original from its new place, also before the library path is updated', async () => {
    const { lib, dest, photosByClass } = await fixture()
    const id = photosByClass[0]![0]!
    const { exportId } = await createExport(lib, { destination: dest, mode: 'move' })
    const item = items(lib, exportId).find((i) => i.photo_id === id)!
    const bytes = fs.readFileSync(item.source)
    expect(resolvePhotoFile(lib, id, 'full').path).toBe(item.source)

    // Half-way through one file: moved on disk, not yet in the library.
    fs.mkdirSync(path.dirname(item.target), { recursive: true })
    fs.renameSync(item.source, item.target)
    expect(resolvePhotoFile(lib, id, 'full').path).toBe(item.target)

    await runExport(lib, exportId)
    const served = resolvePhotoFile(lib, id, 'full')
    expect(served.path).toBe(item.target)
    expect(fs.readFileSync(served.path).equals(bytes)).toBe(true)

    await undoExport(lib, exportId)
    expect(resolvePhotoFile(lib, id, 'full').path).toBe(item.source)
  })

  it('still serves nothing outside the library folders that no export put there', async () => {
    const { lib, photosByClass } = await fixture()
    const id = photosByClass[0]![0]!
    const elsewhere = path.join(tempDir(), 'x.jpg')
    fs.writeFileSync(elsewhere, 'not a photo of the library')
    lib.db.prepare(`UPDATE photos SET path = ? WHERE id = ?`).run(elsewhere, id)
    expect(() => resolvePhotoFile(lib, id, 'full')).toThrow(/inside the library folders/)
  })
})
