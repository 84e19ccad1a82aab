/**
 * Watching an organized library's photo folder with the engine, on real Caltech photos: new
 * photos go into the groups (or Unsorted) without a rescan, changed ones are read again, removed
 * ones are marked missing and keep their group, temporary files and folders switched off are
 * left alone.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/core/engine/engine'
import { openLibrary } from '../../src/core/store/library'
import {
  FAST,
  caltechPhoto,
  copyClassPhotos,
  nextReport,
  organizedEngine,
  untilJobEnds,
} from './helpers'

const LABELS = ['Motorbikes', 'sunflower']

describe('engine watching photo folders', () => {
  let work: string
  let photos: string
  let engine: Engine

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-watch-'))
    photos = path.join(work, 'photos')
    fs.mkdirSync(photos)
    copyClassPhotos(photos, LABELS, 0, 15)
    engine = await organizedEngine(path.join(work, 'library'), photos, { watch: FAST })
    expect(engine.watchedFolders).toEqual([photos])
    await engine.watchReady()
  })

  afterAll(async () => {
    await engine?.close()
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  const photoId = async (name: string): Promise<number | undefined> => {
    const found = await engine.invoke('photos.search', { text: name, offset: 0, limit: 5 })
    return found.photos.find((p) => p.fileName === name)?.photoId
  }
  const total = async () => {
    const { clusters, unsorted } = await engine.invoke('clusters.list', { sort: 'size' })
    return clusters.reduce((sum, c) => sum + c.size, 0) + unsorted
  }

  it('puts new photos into the groups (or Unsorted) and says so', async () => {
    const before = await total()
    const report = await nextReport(engine, () => copyClassPhotos(photos, LABELS, 20, 22))
    expect(report).toMatchObject({ added: 4, changed: 0, missing: 0, failed: 0 })
    expect(report.grouped + report.unsorted).toBe(4)
    expect(report.grouped).toBeGreaterThan(0)
    expect(report.message).toMatch(/^4 new photos/)
    expect(await total()).toBe(before + 4)
    for (const label of LABELS) {
      const id = await photoId(`${label}-20.jpg`)
      expect(id).toBeDefined()
      const details = await engine.invoke('photos.details', { photoId: id! })
      expect(details.source).toBe('model')
      expect(details.clusterId !== null || details.unsortedReason === 'no-fit').toBe(true)
    }
    // One import job (and one assign job) for the whole copy, not one per photo.
    const jobs = await engine.invoke('jobs.list', {})
    expect(jobs.slice(0, 2).map((j) => [j.kind, j.state])).toEqual([
      ['assign', 'done'],
      ['import', 'done'],
    ])
    expect(jobs.filter((j) => j.kind === 'import')).toHaveLength(2)
  })

  it('reads a changed photo again', async () => {
    const file = path.join(photos, 'Motorbikes-3.jpg')
    const id = await photoId('Motorbikes-3.jpg')
    const report = await nextReport(engine, () =>
      fs.copyFileSync(caltechPhoto('Motorbikes', 40), file),
    )
    expect(report).toMatchObject({ added: 0, changed: 1, missing: 0 })
    expect(report.message).toBe('1 changed photo read again')
    const details = await engine.invoke('photos.details', { photoId: id! })
    expect(details.size).toBe(fs.statSync(file).size)
  })

  it('marks a removed photo missing, keeps its group, and brings it back when it returns', async () => {
    const file = path.join(photos, 'sunflower-5.jpg')
    const id = (await photoId('sunflower-5.jpg'))!
    const { clusterId } = await engine.invoke('photos.details', { photoId: id })
    const kept = path.join(work, 'kept.jpg')
    fs.copyFileSync(file, kept)
    const report = await nextReport(engine, () => fs.rmSync(file))
    expect(report).toMatchObject({ added: 0, missing: 1 })
    expect(report.message).toBe('1 missing')
    expect((await engine.invoke('library.summary', {})).photos.missing).toBe(1)
    expect(await photoId('sunflower-5.jpg')).toBeUndefined()

    const back = await nextReport(engine, () => fs.copyFileSync(kept, file))
    expect(back.missing).toBe(0)
    expect((await engine.invoke('library.summary', {})).photos.missing).toBe(0)
    expect(await photoId('sunflower-5.jpg')).toBe(id)
    expect((await engine.invoke('photos.details', { photoId: id })).clusterId).toBe(clusterId)
  })

  it('leaves temporary and hidden files alone: they start no import', async () => {
    const importJobs = async () =>
      (await engine.invoke('jobs.list', {})).filter((j) => j.kind === 'import').length
    const before = await importJobs()
    const photo = caltechPhoto('sunflower', 30)
    for (const name of ['download.jpg.part', 'edit.jpg~', '~$lock.jpg', '.hidden.jpg', 'x.tmp'])
      fs.copyFileSync(photo, path.join(photos, name))
    // A real photo afterwards: its batch is the only import, and it holds only that photo.
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const report = await nextReport(engine, () =>
      fs.copyFileSync(caltechPhoto('sunflower', 31), path.join(photos, 'real.jpg')),
    )
    expect(report).toMatchObject({ added: 1, failed: 0 })
    expect(await importJobs()).toBe(before + 1)
    const lib = openLibrary(engine.libraryDir)
    try {
      const paths = lib.db.prepare(`SELECT path FROM photos`).pluck().all() as string[]
      expect(paths.map((p) => path.basename(p))).toContain('real.jpg')
      expect(paths.filter((p) => /part|~|hidden|\.tmp/.test(p))).toEqual([])
    } finally {
      lib.close()
    }
  })

  it('does not watch a folder switched off, and watches it again when switched on', async () => {
    const other = path.join(work, 'other')
    fs.mkdirSync(other)
    copyClassPhotos(other, ['Motorbikes'], 50, 52)
    await untilJobEnds(engine, () => engine.invoke('library.addFolder', { path: other }))
    expect(engine.watchedFolders.sort()).toEqual([other, photos].sort())
    await engine.watchReady()
    const folderId = () =>
      engine.invoke('library.summary', {}).then((s) => s.folders.find((f) => f.path === other)!.id)
    const off = await engine.invoke('library.watchFolder', {
      folderId: await folderId(),
      watch: false,
    })
    expect(off.watched).toBe(false)
    expect(engine.watchedFolders).toEqual([photos])

    fs.copyFileSync(caltechPhoto('Motorbikes', 53), path.join(other, 'ignored.jpg'))
    const report = await nextReport(engine, () =>
      fs.copyFileSync(caltechPhoto('sunflower', 33), path.join(photos, 'watched.jpg')),
    )
    expect(report.added).toBe(1)
    expect(await photoId('watched.jpg')).toBeDefined()
    expect(await photoId('ignored.jpg')).toBeUndefined()
    const summary = await engine.invoke('library.summary', {})
    expect(summary.folders.find((f) => f.path === other)).toMatchObject({
      photoCount: 2,
      watched: false,
    })

    // Switched on again, the folder is read at once: the photo copied while it was off comes in.
    const caught = await nextReport(engine, () => {
      void folderId().then((id) =>
        engine.invoke('library.watchFolder', { folderId: id, watch: true }),
      )
    })
    expect(caught).toMatchObject({ added: 1, missing: 0 })
    expect(await photoId('ignored.jpg')).toBeDefined()
    expect(engine.watchedFolders.sort()).toEqual([other, photos].sort())
    await engine.watchReady()
    const later = await nextReport(engine, () =>
      fs.copyFileSync(caltechPhoto('Motorbikes', 54), path.join(other, 'later.jpg')),
    )
    expect(later.added).toBe(1)
  })

  it('refuses to switch a folder that is not there', async () => {
    await expect(
      engine.invoke('library.watchFolder', { folderId: 999, watch: false }),
    ).rejects.toMatchObject({
      code: 'not-found',
    })
  })
})
