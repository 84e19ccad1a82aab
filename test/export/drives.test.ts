import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createExport, exportGroups, listExports, undoExport } from '../../src/core/export'
import type { Library } from '../../src/core/store/library'
import { buildFixture } from '../edits/fixture'

/** A RAM disk is another file system than the temp folder: exports there cross drives. */
const otherDrive = '/dev/shm'
const crossDrive =
  fs.existsSync(otherDrive) &&
  fs.statSync(otherDrive).dev !== fs.statSync(fs.realpathSync('/tmp')).dev

const open: Library[] = []
const made: string[] = []
afterEach(() => {
  for (const lib of open.splice(0)) lib.close()
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function otherDriveDir(): string {
  const dir = fs.mkdtempSync(path.join(otherDrive, 'kindred-export-'))
  made.push(dir)
  return dir
}

describe.skipIf(!crossDrive)('exports to another drive', () => {
  it('refuses hard links across drives before touching anything', async () => {
    const fx = await buildFixture(2)
    open.push(fx.lib)
    const dest = path.join(otherDriveDir(), 'Sorted')
    await expect(createExport(fx.lib, { destination: dest, mode: 'hardlink' })).rejects.toThrow(
      'Hard links only work when the destination is on the same drive as the photos',
    )
    expect(listExports(fx.lib)).toEqual([])
    expect(fs.existsSync(dest)).toBe(false)
  })

  it('moves across drives by copying, and undo brings the photos back', async () => {
    const fx = await buildFixture(2)
    open.push(fx.lib)
    const { lib } = fx
    const paths = () =>
      lib.db.prepare(`SELECT id, path FROM photos ORDER BY id`).all() as { path: string }[]
    const before = paths()
    const bytes = new Map(before.map((p) => [p.path, fs.readFileSync(p.path)]))
    const mtime = new Date('2002-03-04T05:06:07.000Z')
    for (const p of before) fs.utimesSync(p.path, mtime, mtime)
    const dest = path.join(otherDriveDir(), 'Sorted')
    const { exportId, files } = await exportGroups(lib, { destination: dest, mode: 'move' })
    expect(files).toBe(6)
    const after = paths().filter((p) => p.path.startsWith(dest))
    expect(after).toHaveLength(6)
    // A copy, not a rename: it keeps the file's dates all the same.
    for (const p of after) expect(fs.statSync(p.path).mtime).toEqual(mtime)
    for (const p of before.filter((b) => !paths().some((a) => a.path === b.path))) {
      expect(fs.existsSync(p.path)).toBe(false)
    }
    await undoExport(lib, exportId)
    expect(paths()).toEqual(before)
    for (const [file, content] of bytes) {
      expect(fs.readFileSync(file).equals(content)).toBe(true)
      expect(fs.statSync(file).mtime).toEqual(mtime)
    }
  })
})
