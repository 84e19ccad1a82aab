/**
 * The library folder is never scanned as photos: not when it is the photo folder itself
 * (`kindred import DIR --library DIR`), not when it lies inside one, and its thumbnails folder
 * cannot be imported.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ImportSummary } from '../../src/core/ingest'
import { rescanLibrary } from '../../src/core/ingest'
import { Engine } from '../../src/core/engine/engine'
import type { CommandFailure } from '../../src/core/engine/errors'
import { openLibrary } from '../../src/core/store/library'
import { exifSample, folderWith, importInto } from './helpers'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function kindredImport(folder: string, library: string): ImportSummary {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'import', folder, '--library', library, '--json'],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  )
  expect(result.status, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as ImportSummary
}

describe('a library that is its own photo folder', () => {
  it('imports the photos only, never its database, lock, thumbnails or previews', () => {
    const dir = folderWith({
      'one.jpg': exifSample('Canon_40D.jpg'),
      'trip/two.jpg': exifSample('Nikon_D70.jpg'),
    })
    const first = kindredImport(dir, dir)
    expect(first).toMatchObject({ imported: 2, failed: [] })
    // What a used library holds beside its database: a preview, a WAL left by a crash, a lock.
    fs.mkdirSync(path.join(dir, 'previews'))
    fs.copyFileSync(exifSample('Sony_HDR-HC3.jpg'), path.join(dir, 'previews', '1-x.jpg'))
    fs.writeFileSync(path.join(dir, 'kindred.db-wal'), 'not a photo')
    fs.writeFileSync(path.join(dir, 'kindred.db-shm'), 'not a photo')
    fs.writeFileSync(path.join(dir, 'jobs.lock'), '12345')
    expect(fs.readdirSync(path.join(dir, 'thumbnails')).length).toBeGreaterThan(0)

    const second = kindredImport(dir, dir)
    expect(second).toMatchObject({ imported: 0, unchanged: 2, failed: [], ignored: 0 })
    const lib = openLibrary(dir)
    try {
      const paths = lib.db.prepare(`SELECT path FROM photos ORDER BY path`).pluck().all()
      expect(paths).toEqual([path.join(dir, 'one.jpg'), path.join(dir, 'trip', 'two.jpg')])
    } finally {
      lib.close()
    }
  })

  it('skips the same entries of a library inside a photo folder, and imports the rest', async () => {
    const dir = folderWith({ 'one.jpg': exifSample('Canon_40D.jpg') })
    const lib = openLibrary(path.join(dir, 'Library'))
    try {
      fs.writeFileSync(path.join(lib.dir, 'jobs.lock'), '1')
      await importInto(lib, [dir])
      const again = await importInto(lib, [dir])
      expect(again).toMatchObject({ imported: 0, unchanged: 1, failed: [] })
      expect(lib.db.prepare(`SELECT count(*) FROM photos`).pluck().get()).toBe(1)
    } finally {
      lib.close()
    }
  })
})

describe("the library's own folders", () => {
  it('are refused by library.addFolder before anything is recorded', async () => {
    const engine = await Engine.open(path.join(folderWith({}), 'Library'))
    try {
      const thumbnails = path.join(engine.libraryDir, 'thumbnails')
      const refused = await engine.invoke('library.addFolder', { path: thumbnails }).then(
        () => null,
        (error: CommandFailure) => error,
      )
      expect(refused).toMatchObject({ code: 'invalid-arguments' })
      expect(refused!.message).toMatch(/where the library keeps its own files/)
      expect((await engine.invoke('library.summary', {})).folders).toEqual([])
    } finally {
      await engine.close()
    }
  })

  it('refuses to import the thumbnails folder, or a folder inside it, and records nothing', async () => {
    const dir = folderWith({ 'one.jpg': exifSample('Canon_40D.jpg') })
    const lib = openLibrary(path.join(folderWith({}), 'Library'))
    try {
      await importInto(lib, [dir])
      const sub = fs.readdirSync(lib.thumbnailDir)[0]!
      for (const folder of [lib.thumbnailDir, path.join(lib.thumbnailDir, sub)]) {
        await expect(importInto(lib, [folder])).rejects.toThrow(
          `${folder} is inside ${lib.thumbnailDir}, where the library keeps its own files`,
        )
      }
      expect(lib.db.prepare(`SELECT path FROM folders`).pluck().all()).toEqual([dir])
      expect(lib.db.prepare(`SELECT count(*) FROM photos`).pluck().get()).toBe(1)

      // A thumbnails folder added by an older version is left out of a rescan, with a reason.
      lib.db.prepare(`INSERT INTO folders (path, added_at) VALUES (?, 0)`).run(lib.thumbnailDir)
      const summary = await rescanLibrary(lib)
      expect(summary.failed).toEqual([
        { path: lib.thumbnailDir, error: expect.stringMatching(/own files \(thumbnails\)/) },
      ])
      expect(lib.db.prepare(`SELECT count(*) FROM photos`).pluck().get()).toBe(1)
    } finally {
      lib.close()
    }
  })
})
