import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { rescanLibrary, type ImportSummary } from '../../src/core/ingest'
import type { Library } from '../../src/core/store/library'
import { exifSample, folderWith, freshLibrary, importInto, photo, thumbnailPath } from './helpers'

/** Stands in for the features H2's embedder stores, to see they survive a move. */
function addEmbedding(lib: Library, photoId: number): void {
  lib.db
    .prepare(
      `INSERT INTO embeddings (photo_id, model, view, dim, vector, created_at) VALUES (?, 'm', 0, 2, ?, 0)`,
    )
    .run(photoId, Buffer.alloc(8))
}
const embeddings = (lib: Library, photoId: number) =>
  lib.db.prepare(`SELECT COUNT(*) FROM embeddings WHERE photo_id = ?`).pluck().get(photoId)

describe('re-importing a folder is incremental', () => {
  let lib: Library
  let dir: string
  let first: ImportSummary
  let second: ImportSummary
  let third: ImportSummary
  let rowsAfterSecond = 0
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    lib = freshLibrary()
    dir = folderWith({
      'a.jpg': exifSample('gps', 'DSCN0010.jpg'),
      'b.jpg': exifSample('gps', 'DSCN0012.jpg'),
      'c.jpg': exifSample('gps', 'DSCN0021.jpg'),
      'd.jpg': exifSample('gps', 'DSCN0025.jpg'),
      'broken.jpg': exifSample('corrupted.jpg'),
    })
    first = await importInto(lib, [dir])
    for (const name of ['a', 'b', 'c', 'd'])
      ids[name] = photo(lib, path.join(dir, `${name}.jpg`)).id
    second = await importInto(lib, [dir])
    rowsAfterSecond = lib.db.prepare(`SELECT COUNT(*) FROM photos`).pluck().get() as number

    addEmbedding(lib, ids.a!)
    addEmbedding(lib, ids.d!)
    fs.mkdirSync(path.join(dir, 'renamed'))
    fs.renameSync(path.join(dir, 'a.jpg'), path.join(dir, 'renamed', 'holiday.jpg')) // moved
    fs.rmSync(path.join(dir, 'b.jpg')) // deleted
    fs.copyFileSync(exifSample('gps', 'DSCN0027.jpg'), path.join(dir, 'e.jpg')) // new
    fs.copyFileSync(exifSample('gps', 'DSCN0029.jpg'), path.join(dir, 'd.jpg')) // edited in place
    fs.utimesSync(path.join(dir, 'd.jpg'), new Date(), new Date(Date.now() + 5000))
    third = await importInto(lib, [dir])
  })

  it('imports everything the first time', () => {
    expect(first).toMatchObject({ imported: 4, unchanged: 0, moved: 0, missing: 0 })
    expect(first.failed).toHaveLength(1)
  })

  it('skips unchanged files the second time (failed ones are tried again)', () => {
    expect(second).toMatchObject({ imported: 0, updated: 0, unchanged: 4, moved: 0, missing: 0 })
    expect(second.failed).toHaveLength(1)
    expect(rowsAfterSecond).toBe(5)
  })

  it('recognises a moved file by content and keeps its id and features', () => {
    expect(third.moved).toBe(1)
    const moved = photo(lib, path.join(dir, 'renamed', 'holiday.jpg'))
    expect(moved.id).toBe(ids.a)
    expect(moved.status).toBe('ok')
    expect(embeddings(lib, ids.a!)).toBe(1)
    expect(fs.existsSync(thumbnailPath(lib, ids.a!))).toBe(true)
  })

  it('marks a deleted file missing, keeping its row', () => {
    expect(third.missing).toBe(1)
    expect(photo(lib, path.join(dir, 'b.jpg'))).toMatchObject({ id: ids.b, status: 'missing' })
  })

  it('adds a new file', () => {
    expect(third.imported).toBe(1)
    expect(photo(lib, path.join(dir, 'e.jpg')).status).toBe('ok')
  })

  it('reads a changed file again under the same id and drops its stale features', () => {
    expect(third.updated).toBe(1)
    const edited = photo(lib, path.join(dir, 'd.jpg'))
    expect(edited.id).toBe(ids.d)
    expect(edited.taken_at).toBe(new Date(2008, 9, 22, 16, 46, 53).getTime())
    expect(embeddings(lib, ids.d!)).toBe(0)
    expect(third.unchanged).toBe(1) // c.jpg
  })

  it('brings a missing photo back when its file returns', async () => {
    fs.copyFileSync(exifSample('gps', 'DSCN0012.jpg'), path.join(dir, 'b-again.jpg'))
    const fourth = await importInto(lib, [dir])
    expect(fourth.moved).toBe(1)
    expect(photo(lib, path.join(dir, 'b-again.jpg'))).toMatchObject({ id: ids.b, status: 'ok' })
  })
})

describe('nested and non-ASCII folders', () => {
  it('marks a photo missing when its parent folder is re-imported', async () => {
    const lib = freshLibrary()
    const dir = folderWith({
      'Ferien 📷 Été/x.jpg': exifSample('Canon_40D.jpg'),
      'Ferien 📷 Été/y.jpg': exifSample('Nikon_D70.jpg'),
    })
    const inner = path.join(dir, 'Ferien 📷 Été')
    expect((await importInto(lib, [inner])).imported).toBe(2)
    fs.rmSync(path.join(inner, 'x.jpg'))
    const outer = await importInto(lib, [dir])
    expect(outer).toMatchObject({ imported: 0, unchanged: 1, missing: 1 })
    expect(photo(lib, path.join(inner, 'x.jpg')).status).toBe('missing')
  })
})

describe('rescanning the whole library', () => {
  it('re-imports every folder and marks the photos of a vanished folder missing', async () => {
    const lib = freshLibrary()
    const stays = folderWith({ 'a.jpg': exifSample('Canon_40D.jpg') })
    const goes = folderWith({ 'b.jpg': exifSample('Nikon_D70.jpg') })
    await importInto(lib, [stays, goes])
    fs.copyFileSync(exifSample('Sony_HDR-HC3.jpg'), path.join(stays, 'new.jpg'))
    fs.rmSync(goes, { recursive: true })

    const summary = await rescanLibrary(lib)
    expect(summary).toMatchObject({ imported: 1, unchanged: 1, missing: 1 })
    expect(summary.failed).toEqual([
      { path: goes, error: expect.stringMatching(/^Folder not found/) },
    ])
    expect(photo(lib, path.join(goes, 'b.jpg')).status).toBe('missing')
  })
})
