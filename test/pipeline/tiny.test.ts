/**
 * Tiny and degenerate libraries through the real pipeline (import → embed → neighbours → SCAN →
 * self-label → assign): each gives a sensible grouping or a clear message, never a crash, and a
 * failed organize says why in words a person understands.
 */
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { organize, organizeParams } from '../../src/core/pipeline'
import { allAlike } from '../../src/core/pipeline/training'
import { listGroups } from '../../src/core/clusters'
import { findResumableJob } from '../../src/core/jobs'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

process.env.KINDRED_MODELS_DIR = sharedPath('models')

const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))

function library(): Library {
  const lib = openLibrary(tempDir('kindred-tiny-lib-'))
  libs.push(lib)
  return lib
}

/** A smooth colour gradient with a shape, `seed` choosing colours, so each image is distinct. */
async function picture(file: string, seed: number, size = 96): Promise<void> {
  const pixels = Buffer.alloc(size * size * 3)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3
      const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / (3 + (seed % 3))) ** 2
      pixels[i] = inside ? (seed * 83) % 256 : (x * 255) / size
      pixels[i + 1] = inside ? (seed * 151) % 256 : (y * 255) / size
      pixels[i + 2] = (seed * 47 + x + y) % 256
    }
  await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 90 })
    .toFile(file)
}

async function folderOf(count: number, make: (file: string, i: number) => Promise<void>) {
  const dir = tempDir('kindred-tiny-photos-')
  for (let i = 0; i < count; i++) await make(path.join(dir, `photo-${i}.jpg`), i)
  return dir
}

function photosPlaced(lib: Library): number {
  const groups = listGroups(lib.db)
  return groups.clusters.reduce((sum, g) => sum + g.size, 0) + groups.unsorted
}

const params = (folder: string, clusters: number | 'auto' = 'auto') =>
  organizeParams({ folders: [folder], clusters, seed: 0, views: 0 })

// Each case embeds and trains a library: slow on a busy machine.
describe('tiny and degenerate libraries', { timeout: 600_000 }, () => {
  it('1 photo: a clear message, and nothing else goes wrong', async () => {
    const lib = library()
    const folder = await folderOf(1, (f, i) => picture(f, i))
    await expect(organize(lib, params(folder))).rejects.toThrow(
      /at least two photos to compare; this library has 1 usable photo\./,
    )
    expect(findResumableJob(lib.db, 'organize')?.error).toMatch(/at least two photos/)
    expect(listGroups(lib.db)).toMatchObject({ runId: null, clusters: [], unsorted: 1 })
  })

  it('2 photos: organized (auto and --clusters 2)', async () => {
    const lib = library()
    const folder = await folderOf(2, (f, i) => picture(f, i * 5 + 1))
    const auto = await organize(lib, params(folder))
    expect(auto.groups.clusters.length).toBeGreaterThanOrEqual(1)
    expect(photosPlaced(lib)).toBe(2)
    await organize(lib, params(folder, 2))
    expect(photosPlaced(lib)).toBe(2)
  })

  it('10 near-identical photos (one shot re-encoded): one group, no crash', async () => {
    const lib = library()
    const dir = tempDir('kindred-tiny-src-')
    const original = path.join(dir, 'shot.png')
    await picture(original, 7, 160)
    const folder = await folderOf(10, (f, i) =>
      sharp(original)
        .resize(160 - i)
        .jpeg({ quality: 60 + 4 * i })
        .toFile(f)
        .then(() => undefined),
    )
    const result = await organize(lib, params(folder))
    expect(result.groups.clusters.length).toBeGreaterThanOrEqual(1)
    expect(photosPlaced(lib)).toBe(10)
    // They are one picture: one group holds them all.
    expect(result.groups.clusters.map((g) => g.size)).toEqual([10])
  })

  it('8 all-black images with --clusters 2: organized, no crash', async () => {
    const lib = library()
    const folder = await folderOf(8, (f, i) =>
      sharp({ create: { width: 64 + i, height: 48 + i, channels: 3, background: '#000' } })
        .jpeg()
        .toFile(f)
        .then(() => undefined),
    )
    const result = await organize(lib, params(folder, 2))
    expect(result.groups.clusters.length).toBeGreaterThanOrEqual(1)
    expect(result.groups.clusters.length).toBeLessThanOrEqual(2)
    expect(photosPlaced(lib)).toBe(8)
  })

  it('tells a library of one picture from one of different photos', () => {
    const dim = 4
    const copies = Float32Array.from([1, 0.02, 0, 0, 0.99, 0, 0.03, 0, 1, 0, 0, 0.02])
    const distinct = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0.7, 0.7, 0, 0])
    expect(allAlike(copies, 3, dim)).toBe(true)
    expect(allAlike(distinct, 3, dim)).toBe(false)
  })

  it('K = number of photos is organized; K above it is refused with a clear message', async () => {
    const lib = library()
    const folder = await folderOf(4, (f, i) => picture(f, i * 3 + 2))
    await organize(lib, params(folder, 4))
    expect(photosPlaced(lib)).toBe(4)
    const other = library()
    await expect(organize(other, params(folder, 6))).rejects.toThrow(
      /Asked for 6 groups, but the library has only 4 usable photos/,
    )
  })
})
