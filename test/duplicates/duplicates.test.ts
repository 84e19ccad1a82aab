/**
 * Near-duplicate sets on real photos embedded with the real backbone: edited copies of a photo
 * join it, other photos of the same kind do not; keeping one hides the rest from groups, search
 * and exports (files stay on disk), and Undo brings them back.
 */
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DuplicateReport } from '../../src/shared/contract'
import { listGroups, searchPhotos } from '../../src/core/clusters'
import {
  compareKeepers,
  DEFAULT_DUPLICATE_THRESHOLD,
  findDuplicateSets,
  laplacianVariance,
} from '../../src/core/duplicates'
import { keepOneHideRest, redoEdit, showPhotos, undoEdit, editState } from '../../src/core/edits'
import { planExport } from '../../src/core/export/plan'
import { openLibrary, type Library } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import {
  duplicatePhotos,
  embedAndLink,
  idsByName,
  oneGroupRun,
  removeSuiteDirs,
  suiteDir,
} from './fixture'

const names = (report: DuplicateReport) =>
  report.sets.map((s) => s.photos.map((p) => p.fileName).sort())
const setOf = (report: DuplicateReport, name: string) =>
  report.sets.find((s) => s.photos.some((p) => p.fileName === name))

describe('near-duplicate sets on real photos', { timeout: 600_000 }, () => {
  let lib: Library
  let folder: string
  let ids: Map<string, number>

  beforeAll(async () => {
    folder = await duplicatePhotos()
    lib = openLibrary(suiteDir('kindred-dups-lib-'))
    await embedAndLink(lib, folder)
    oneGroupRun(lib)
    ids = idsByName(lib)
  }, 600_000)
  afterAll(() => {
    lib?.close()
    removeSuiteDirs()
  })

  it('puts a photo with its re-save and crop, and a brightened copy with its original', async () => {
    const report = await findDuplicateSets(lib)
    expect(report.ready).toBe(true)
    expect(report.threshold).toBe(DEFAULT_DUPLICATE_THRESHOLD)
    expect(names(report)).toEqual([
      ['butterfly-1-cropped.jpg', 'butterfly-1-resaved.jpg', 'butterfly-1.jpg'],
      ['butterfly-2-brighter.jpg', 'butterfly-2.jpg'],
    ])
    // Other butterflies (the same kind, different photos) and the sunflower are in no set.
    for (const alone of ['butterfly-3.jpg', 'butterfly-4.jpg', 'sunflower-1.jpg'])
      expect(setOf(report, alone)).toBeUndefined()
    for (const set of report.sets) expect(set.similarity).toBeGreaterThanOrEqual(report.threshold)
  })

  it('suggests the photo with the most pixels, never the crop', async () => {
    const set = setOf(await findDuplicateSets(lib), 'butterfly-1.jpg')!
    const pixels = set.photos.map((p) => p.width! * p.height!)
    const keeper = set.photos.find((p) => p.photoId === set.keeper)!
    expect(set.photos[0]!.photoId).toBe(set.keeper)
    expect(keeper.width! * keeper.height!).toBe(Math.max(...pixels))
    expect(keeper.fileName).not.toBe('butterfly-1-cropped.jpg')
    for (const p of set.photos) expect(p.sharpness).toBeGreaterThan(0)
  })

  it('finds fewer pairs at a stricter threshold, more at a looser one', async () => {
    const pairs = (r: DuplicateReport) =>
      new Set(
        r.sets.flatMap((s) =>
          s.photos.flatMap((a) => s.photos.map((b) => `${a.photoId}-${b.photoId}`)),
        ),
      )
    const strict = pairs(await findDuplicateSets(lib, 0.99))
    const normal = pairs(await findDuplicateSets(lib))
    const loose = pairs(await findDuplicateSets(lib, 0.5))
    for (const p of strict) expect(normal.has(p)).toBe(true)
    for (const p of normal) expect(loose.has(p)).toBe(true)
    expect(loose.size).toBeGreaterThan(normal.size)
  })

  it('keeps one and hides the rest from groups, search and exports, undoably', async () => {
    const keep = ids.get('butterfly-1-resaved.jpg')!
    const hide = [ids.get('butterfly-1.jpg')!, ids.get('butterfly-1-cropped.jpg')!]
    const groupSize = () => listGroups(lib.db).clusters[0]!.size
    const exported = () =>
      planExport(lib, { destination: tempDir('kindred-dups-out-'), mode: 'copy' }).files.map(
        (f) => f.photoId,
      )
    const before = groupSize()
    keepOneHideRest(lib, keep, hide)

    expect(groupSize()).toBe(before - 2)
    expect(searchPhotos(lib.db, { text: 'butterfly-1' }).photos.map((p) => p.photoId)).toEqual([
      keep,
    ])
    expect(exported()).not.toContain(hide[0])
    expect(exported()).toContain(keep)
    for (const name of ['butterfly-1.jpg', 'butterfly-1-cropped.jpg'])
      expect(fs.existsSync(path.join(folder, name))).toBe(true)
    const report = await findDuplicateSets(lib)
    const set = setOf(report, 'butterfly-1.jpg')!
    expect(set.keeper).toBe(keep)
    expect(
      set.photos
        .filter((p) => p.hidden)
        .map((p) => p.photoId)
        .sort(),
    ).toEqual(hide.sort())
    expect(report.hidden.map((p) => p.photoId).sort()).toEqual(hide.sort())
    // Resolved sets come after the ones still to look at.
    expect(report.sets.at(-1)).toEqual(set)
    expect(editState(lib.db).undoLabel).toBe('Keep 1 photo, hide 2 photos')

    undoEdit(lib.db)
    expect(groupSize()).toBe(before)
    expect((await findDuplicateSets(lib)).hidden).toEqual([])
    redoEdit(lib.db)
    expect(groupSize()).toBe(before - 2)

    showPhotos(lib, hide)
    expect(groupSize()).toBe(before)
    expect(editState(lib.db).undoLabel).toBe('Show 2 photos again')
    undoEdit(lib.db)
    expect(groupSize()).toBe(before - 2)
    showPhotos(lib, hide)
  })

  it('refuses photos that are not in the library, and changes nothing', () => {
    const journal = () => lib.db.prepare(`SELECT count(*) FROM edits`).pluck().get()
    const edits = journal()
    expect(() => keepOneHideRest(lib, ids.get('butterfly-2.jpg')!, [999_999])).toThrow(
      /999999 is not in the library/,
    )
    expect(() => keepOneHideRest(lib, 5, [5])).toThrow(/Choose the photos/)
    expect(journal()).toBe(edits)
    expect(lib.db.prepare(`SELECT count(*) FROM photos WHERE hidden = 1`).pluck().get()).toBe(0)
  })
})

describe('near duplicates before organizing', () => {
  it('says it is not ready and finds nothing', async () => {
    const lib = openLibrary(tempDir('kindred-dups-empty-'))
    try {
      const report = await findDuplicateSets(lib)
      expect(report).toMatchObject({ ready: false, sets: [], hidden: [] })
    } finally {
      lib.close()
    }
  })
})

describe('sharpness', () => {
  it('is lower for a blurred copy of a real photo and the same for a brighter one', async () => {
    const dir = tempDir('kindred-sharpness-')
    const source = sharedPath('datasets', 'caltech20', 'sunflower', 'image_0002.jpg')
    const file = (name: string) => path.join(dir, name)
    await sharp(source).png().toFile(file('photo.png'))
    await sharp(source).blur(2).png().toFile(file('blurred.png'))
    await sharp(source).linear(0.8, 10).png().toFile(file('dimmer.png'))
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } })
      .png()
      .toFile(file('flat.png'))
    const photo = await laplacianVariance(file('photo.png'))
    expect(await laplacianVariance(file('blurred.png'))).toBeLessThan(photo / 2)
    const dimmer = await laplacianVariance(file('dimmer.png'))
    expect(Math.abs(dimmer / photo - 1)).toBeLessThan(0.1)
    expect(await laplacianVariance(file('flat.png'))).toBe(0)
    await expect(laplacianVariance(file('missing.png'))).rejects.toThrow()
  })
})

describe('the suggested keeper', () => {
  const photo = (photoId: number, width: number, bytes: number, sharpness: number | null) => ({
    photoId,
    fileName: `${photoId}.jpg`,
    width,
    height: width,
    bytes,
    sharpness,
    hidden: false,
  })
  const best = (...photos: ReturnType<typeof photo>[]) =>
    [...photos].sort(compareKeepers)[0]!.photoId

  it('has the most pixels, then is the sharpest unless its file is markedly smaller', () => {
    expect(best(photo(1, 300, 9_000, 0.9), photo(2, 400, 5_000, 0.1))).toBe(2)
    // A burst: about the same file size, the sharper frame wins.
    expect(best(photo(1, 400, 50_000, 0.3), photo(2, 400, 47_000, 0.6))).toBe(2)
    // A re-save: much smaller and, by its artefacts, "sharper"; the original wins.
    expect(best(photo(1, 400, 50_000, 0.3), photo(2, 400, 30_000, 0.6))).toBe(1)
    expect(best(photo(1, 400, 50_000, null), photo(2, 400, 50_000, 0.2))).toBe(2)
    expect(best(photo(3, 400, 50_000, 0.2), photo(2, 400, 50_000, 0.2))).toBe(2)
  })
})
