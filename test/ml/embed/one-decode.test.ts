import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importFolders } from '../../../src/core/ingest'
import { networkInputFile } from '../../../src/core/ingest/decode'
import { DEFAULT_MODEL, embedLibrary, loadEmbeddings } from '../../../src/core/ml/embed'
import { decodeNetworkPixels, decodeStoredInput } from '../../../src/core/ml/embed/preprocess'
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

  it('import stores the exact 224×224 network input; embedding reads it, not the original', async () => {
    const orientation = sharedPath('fixtures', 'exif-samples', 'orientation')
    const caltech = sharedPath('datasets', 'caltech20', 'Motorbikes')
    const small: string[] = []
    for (const f of fs.readdirSync(caltech).sort()) {
      const meta = await sharp(path.join(caltech, f)).metadata()
      if (Math.min(meta.width!, meta.height!) <= 256) small.push(path.join(caltech, f))
      if (small.length === 2) break
    }
    const files = [
      path.join(orientation, 'landscape_1.jpg'),
      path.join(orientation, 'landscape_6.jpg'), // stored rotated: EXIF says turn it upright
      ...small,
    ]
    const folder = photoFolder(files)
    await importFolders(lib, [folder])
    const byName = new Map<string, Uint8Array>()
    const stored = lib.db
      .prepare('SELECT p.path, t.file FROM photos p JOIN thumbnails t ON t.photo_id = p.id')
      .all() as { path: string; file: string }[]
    for (const row of stored) {
      const file = path.join(lib.thumbnailDir, networkInputFile(row.file))
      const meta = await sharp(file).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 224, 224])
      byName.set(path.basename(row.path), await decodeStoredInput(file))
    }
    // Short side 256 or less: the stored pixels are exactly the original's decode.
    for (const file of small) {
      const name = `Motorbikes-${path.basename(file)}`
      expect(Buffer.from(await decodeNetworkPixels(file)).equals(byName.get(name)!)).toBe(true)
    }
    await embedLibrary(lib, { views: 0, env, fromOriginals: true })
    const fromOriginals = loadEmbeddings(lib.db, DEFAULT_MODEL)
    lib.db.prepare('DELETE FROM embeddings').run()
    // The originals are gone: embedding needs only what import stored.
    fs.rmSync(folder, { recursive: true })
    const result = await embedLibrary(lib, { views: 0, env })
    expect(result).toMatchObject({ embedded: 4, failed: [] })
    const fromStored = loadEmbeddings(lib.db, DEFAULT_MODEL)
    expect(fromStored.ids).toEqual(fromOriginals.ids)
    const row = (m: typeof fromStored, i: number) => m.data.subarray(i * 1280, (i + 1) * 1280)
    // Upright like the original decode (the EXIF-rotated file included), and close to it.
    for (let i = 0; i < fromStored.ids.length; i++)
      expect(dot(row(fromStored, i), row(fromOriginals, i))).toBeGreaterThan(0.97)
  })

  it('decodes the original when the stored input is missing or damaged', async () => {
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
    const fromStored = loadEmbeddings(lib.db, DEFAULT_MODEL)
    lib.db.prepare('DELETE FROM embeddings').run()
    const [first, second] = inputFiles(lib)
    fs.rmSync(first!)
    fs.writeFileSync(second!, 'not a webp')
    const again = await embedLibrary(lib, { views: 0, env })
    expect(again).toMatchObject({ embedded: 4, failed: [] })
    const recovered = loadEmbeddings(lib.db, DEFAULT_MODEL)
    for (let i = 0; i < recovered.ids.length; i++) {
      const a = fromStored.data.subarray(i * 1280, (i + 1) * 1280)
      const b = recovered.data.subarray(i * 1280, (i + 1) * 1280)
      expect(dot(a, b)).toBeGreaterThan(0.999)
    }
  })

  it('still embeds from the input an earlier version stored when the original is gone', async () => {
    const dir = sharedPath('datasets', 'caltech20', 'ketch')
    const file = path.join(dir, fs.readdirSync(dir).sort()[0]!)
    const folder = photoFolder([file])
    await importFolders(lib, [folder])
    // What earlier versions stored: the upright photo, short side ≤ 256, as JPEG.
    const [input] = inputFiles(lib)
    fs.rmSync(input!)
    await sharp(file)
      .rotate()
      .jpeg({ quality: 95 })
      .toFile(input!.replace(/\.input\.webp$/, '.input.jpg'))
    fs.rmSync(folder, { recursive: true })
    const result = await embedLibrary(lib, { views: 0, env })
    expect(result).toMatchObject({ embedded: 1, failed: [] })
  })
})
