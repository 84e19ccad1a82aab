import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { addFolder, librarySummary, listFailures, listFolders } from '../../src/core/library'
import { removeFolder } from '../../src/core/ingest/remove-folder'
import {
  exifSample,
  folderWith,
  formatSample,
  freshLibrary,
  importInto,
  thumbnailPath,
} from './helpers'

describe('library summary and folders', () => {
  it('counts photos per state, lists folders and failures, and measures the library', async () => {
    const lib = freshLibrary()
    const one = folderWith({
      'a.jpg': exifSample('Canon_40D.jpg'),
      'a-copy.jpg': exifSample('Canon_40D.jpg'),
      'gone.jpg': exifSample('Nikon_D70.jpg'),
      'bad.jpg': formatSample('truncated.jpg'),
    })
    const two = folderWith({ 'b.png': formatSample('with-alpha.png') })
    await importInto(lib, [one, two])
    fs.rmSync(path.join(one, 'gone.jpg'))
    await importInto(lib, [one])

    const summary = librarySummary(lib)
    expect(summary.dir).toBe(lib.dir)
    expect(summary.photos).toEqual({ ok: 2, failed: 1, missing: 1, duplicates: 1 })
    expect(summary.folders.map((f) => [f.path, f.photoCount])).toEqual(
      [
        [one, 2],
        [two, 1],
      ].sort(),
    )
    expect(summary.folders.every((f) => f.lastScanAt !== null)).toBe(true)
    const dbSize = fs.statSync(path.join(lib.dir, 'kindred.db')).size
    expect(summary.bytes).toBeGreaterThan(dbSize)

    const failures = listFailures(lib)
    expect(failures.total).toBe(1)
    expect(failures.items[0]).toMatchObject({ path: path.join(one, 'bad.jpg') })
    expect(failures.items[0]!.error).toMatch(/truncated/)
  })

  it('adds a folder once', () => {
    const lib = freshLibrary()
    const dir = folderWith({})
    const first = addFolder(lib, dir)
    const second = addFolder(lib, `${dir}/./`)
    expect(second.id).toBe(first.id)
    expect(listFolders(lib)).toHaveLength(1)
  })

  it('removing a folder removes its photos from the library, never from disk', async () => {
    const lib = freshLibrary()
    const keep = folderWith({ 'k.jpg': exifSample('Canon_40D.jpg') })
    const drop = folderWith({
      'd.jpg': exifSample('Nikon_D70.jpg'),
      'same-as-k.jpg': exifSample('Canon_40D.jpg'),
    })
    await importInto(lib, [drop, keep])
    const dropId = listFolders(lib).find((f) => f.path === drop)!.id
    const dropThumb = thumbnailPath(
      lib,
      lib.db
        .prepare(`SELECT id FROM photos WHERE path = ?`)
        .pluck()
        .get(path.join(drop, 'd.jpg')) as number,
    )
    const keptId = lib.db
      .prepare(`SELECT id FROM photos WHERE path = ?`)
      .pluck()
      .get(path.join(keep, 'k.jpg')) as number

    expect(removeFolder(lib, dropId)).toEqual({ removedPhotos: 2 })
    expect(fs.readdirSync(drop).sort()).toEqual(['d.jpg', 'same-as-k.jpg'])
    expect(listFolders(lib).map((f) => f.path)).toEqual([keep])
    expect(lib.db.prepare(`SELECT COUNT(*) FROM photos`).pluck().get()).toBe(1)
    // k.jpg was the copy of a photo in the removed folder: it now stands alone.
    expect(
      lib.db.prepare(`SELECT duplicate_of FROM photos WHERE id = ?`).pluck().get(keptId),
    ).toBeNull()
    expect(fs.existsSync(dropThumb)).toBe(false)
    expect(fs.existsSync(thumbnailPath(lib, keptId))).toBe(true)
    expect(() => removeFolder(lib, dropId)).toThrow(/no source folder/)
  })
})
