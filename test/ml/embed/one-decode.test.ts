import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importFolders } from '../../../src/core/ingest'
import { networkInputFile } from '../../../src/core/ingest/decode'
import { DEFAULT_MODEL, embedLibrary, loadEmbeddings } from '../../../src/core/ml/embed'
import { openLibrary, type Library } from '../../../src/core/store/library'
import { sharedPath } from '../../helpers/shared'
import { tempDir } from '../../helpers/tmp'

const env = { KINDRED_MODELS_DIR: sharedPath('models'), KINDRED_EMBED_WORKERS: '1' }

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}

/** Copies photos into a fresh folder (the tests delete them afterwards). */
function photoFolder(files: string[]): string {
  const dir = tempDir()
  for (const file of files)
    fs.copyFileSync(
      file,
      path.join(dir, `${path.basename(path.dirname(file))}-${path.basename(file)}`),
    )
  return dir
}

function inputFiles(lib: Library): string[] {
  const rows = lib.db
    .prepare('SELECT file FROM thumbnails ORDER BY photo_id')
    .pluck()
    .all() as string[]
  return rows.map((file) => path.join(lib.thumbnailDir, networkInputFile(file)))
}

describe('one decode per photo', () => {
  let lib: Library
  beforeEach(() => {
    lib = openLibrary(tempDir())
  })
  afterEach(() => lib.close())

  it('import writes the upright network input beside the thumbnail; embedding falls back to it when the original is gone', async () => {
    const orientation = sharedPath('fixtures', 'exif-samples', 'orientation')
    const caltech = sharedPath('datasets', 'caltech20', 'bonsai')
    const files = [
      path.join(orientation, 'landscape_1.jpg'),
      path.join(orientation, 'landscape_6.jpg'), // stored rotated: EXIF says turn it upright
      ...fs
        .readdirSync(caltech)
        .sort()
        .slice(0, 2)
        .map((f) => path.join(caltech, f)),
    ]
    const folder = photoFolder(files)
    await importFolders(lib, [folder])
    for (const file of inputFiles(lib)) {
      const meta = await sharp(file).metadata()
      expect(meta.format).toBe('jpeg')
      // Short side 256 (none of these photos is smaller), never the original's size.
      expect(Math.min(meta.width!, meta.height!)).toBe(256)
    }
    await embedLibrary(lib, { views: 0, env, fromOriginals: true })
    const fromOriginals = loadEmbeddings(lib.db, DEFAULT_MODEL)
    lib.db.prepare('DELETE FROM embeddings').run()
    // The originals are gone (a drive unplugged after import): view 0 still embeds.
    fs.rmSync(folder, { recursive: true })
    const result = await embedLibrary(lib, { views: 0, env })
    expect(result).toMatchObject({ embedded: 4, failed: [] })
    const stored = loadEmbeddings(lib.db, DEFAULT_MODEL)
    expect(stored.ids).toEqual(fromOriginals.ids)
    const row = (m: typeof stored, i: number) => m.data.subarray(i * 1280, (i + 1) * 1280)
    // Upright like the original decode (the EXIF-rotated file included), and close to it.
    for (let i = 0; i < stored.ids.length; i++)
      expect(dot(row(stored, i), row(fromOriginals, i))).toBeGreaterThan(0.97)
  })

  it('embeds from the original while it is there, whatever became of the stored input', async () => {
    const dir = sharedPath('datasets', 'caltech20', 'Motorbikes')
    const folder = photoFolder(
      fs
        .readdirSync(dir)
        .sort()
        .slice(0, 4)
        .map((f) => path.join(dir, f)),
    )
    await importFolders(lib, [folder])
    await embedLibrary(lib, { views: 0, env })
    const stored = loadEmbeddings(lib.db, DEFAULT_MODEL)
    lib.db.prepare('DELETE FROM embeddings').run()
    await embedLibrary(lib, { views: 0, env, fromOriginals: true })
    const original = loadEmbeddings(lib.db, DEFAULT_MODEL)
    for (let i = 0; i < stored.ids.length; i++) {
      const a = stored.data.subarray(i * 1280, (i + 1) * 1280)
      const b = original.data.subarray(i * 1280, (i + 1) * 1280)
      expect(dot(a, b)).toBeGreaterThan(0.98)
    }
    // A missing or damaged stored input: the original is decoded instead.
    lib.db.prepare('DELETE FROM embeddings').run()
    const [first, second] = inputFiles(lib)
    fs.rmSync(first!)
    fs.writeFileSync(second!, 'not a jpeg')
    const again = await embedLibrary(lib, { views: 0, env })
    expect(again).toMatchObject({ embedded: 4, failed: [] })
  })
})
