import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/shared/contract'
import { createRun, finishRun } from '../../src/core/clusters'
import { createExport, runExport } from '../../src/core/export'
import { Engine } from '../../src/core/engine/engine'
import { openLibrary } from '../../src/core/store/library'
import sharp from 'sharp'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { BROKEN, jobEnd, photoFolder, PHOTOS, commandFailure } from './fixtures'

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

/** An engine on a fresh library with the fixture photos imported through `library.addFolder`. */
async function importedEngine(): Promise<{
  engine: Engine
  folder: string
  events: EngineEvent[]
}> {
  const engine = await Engine.open(tempDir('kindred-lib-'))
  engines.push(engine)
  const folder = photoFolder()
  const job: { id?: number } = {}
  const ended = jobEnd(engine, () => job.id)
  const added = await engine.invoke('library.addFolder', { path: folder })
  job.id = added.jobId
  expect(added.folder.path).toBe(folder)
  const events = await ended
  return { engine, folder, events }
}

describe('Engine on a real library', () => {
  it('imports a folder as a job with progress per stage', async () => {
    const shared = await importedEngine()
    const { engine, events } = shared
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []))
    const stages = progress
      .filter((p) => p.status === 'stage-done')
      .map((p) => ('stage' in p ? p.stage : null))
    expect(stages).toEqual(['scan-folders', 'import'])
    expect(progress.at(-1)).toMatchObject({ status: 'done', kind: 'import' })
    const reading = progress.filter((p) => p.status === 'progress' && p.stage === 'import')
    expect(reading.at(-1)).toMatchObject({ done: PHOTOS.length + 1, total: PHOTOS.length + 1 })
    expect(events.some((e) => e.type === 'library.changed')).toBe(true)

    const summary = await engine.invoke('library.summary', {})
    expect(summary.photos).toEqual({ ok: PHOTOS.length, failed: 1, missing: 0, duplicates: 0 })
    expect(summary.folders).toHaveLength(1)
    const jobs = await engine.invoke('jobs.list', {})
    expect(jobs[0]).toMatchObject({ kind: 'import', state: 'done' })

    const failures = await engine.invoke('library.failures', { offset: 0, limit: 10 })
    expect(failures.total).toBe(1)
    expect(failures.items[0]!.path).toBe(path.join(shared.folder, path.basename(BROKEN)))
    expect(failures.items[0]!.error.length).toBeGreaterThan(5)
  })

  it('gives photo details with EXIF, and not-found for unknown ids', async () => {
    const { engine, folder } = await importedEngine()
    const id = photoId(engine, path.join(folder, 'DSCN0010.jpg'))
    const details = await engine.invoke('photos.details', { photoId: id })
    expect(details).toMatchObject({
      id,
      format: 'jpeg',
      takenAtSource: 'exif',
      clusterId: null,
      source: null,
      unsortedReason: 'not-organized',
    })
    expect(details.gps!.lat).toBeCloseTo(43.47, 1)
    expect(details.camera).toMatch(/NIKON/i)
    expect((await commandFailure(engine.invoke('photos.details', { photoId: 999_999 }))).code).toBe(
      'not-found',
    )
  })

  it('serves only thumbnails and originals the library knows', async () => {
    const { engine, folder } = await importedEngine()
    const original = path.join(folder, 'Canon_40D.jpg')
    const id = photoId(engine, original)
    const thumb = await engine.photoFile(id, 'thumbnail')
    expect(thumb.contentType).toBe('image/webp')
    expect(fs.statSync(thumb.path).size).toBe(thumb.size)
    const full = await engine.photoFile(id, 'full')
    expect(full).toMatchObject({
      path: original,
      contentType: 'image/jpeg',
      size: fs.statSync(original).size,
    })
    expect(full.etag).not.toBe(thumb.etag)

    const broken = photoId(engine, path.join(folder, path.basename(BROKEN)))
    for (const [badId, kind] of [
      [999_999, 'full'],
      [999_999, 'thumbnail'],
      [broken, 'full'],
      [broken, 'thumbnail'],
      [0, 'full'],
      [-1, 'thumbnail'],
    ] as const) {
      expect((await commandFailure(engine.photoFile(badId, kind))).code, `${badId} ${kind}`).toBe(
        'not-found',
      )
    }
  })

  it('refuses database rows that point outside the library', async () => {
    const { engine, folder } = await importedEngine()
    const id = photoId(engine, path.join(folder, 'Nikon_D70.jpg'))
    const lib = openLibrary(engine.libraryDir)
    try {
      // A tampered or stale row: a thumbnail path climbing out, an original outside its folder.
      lib.db
        .prepare(`UPDATE thumbnails SET file = '../../../../../../etc/passwd' WHERE photo_id = ?`)
        .run(id)
      lib.db.prepare(`UPDATE photos SET path = '/etc/passwd' WHERE id = ?`).run(id)
    } finally {
      lib.close()
    }
    expect((await commandFailure(engine.photoFile(id, 'thumbnail'))).code).toBe('not-found')
    expect((await commandFailure(engine.photoFile(id, 'full'))).code).toBe('not-found')
  })

  it('library.import re-imports folders as one job and says what it read in its done event', async () => {
    const { engine, folder } = await importedEngine()
    const job: { id?: number } = {}
    const ended = jobEnd(engine, () => job.id)
    const started = await engine.invoke('library.import', { paths: [folder, folder] })
    job.id = started.jobId
    // Not organized yet: nothing to assign the photos to.
    expect(started.assignJobId).toBeNull()
    expect(started.folders.map((f) => f.path)).toEqual([folder, folder])
    const done = (await ended).flatMap((e) =>
      e.type === 'progress' && e.progress.status === 'done' ? [e.progress] : [],
    )
    const read = done.at(-1)?.summary?.imported
    expect(read).toMatchObject({ imported: 0, updated: 0, moved: 0 })
    expect(read!.unchanged + read!.failed.length).toBe(PHOTOS.length + 1)
    const missing = await commandFailure(
      engine.invoke('library.import', { paths: [folder, path.join(folder, 'nope')] }),
    )
    expect(missing).toMatchObject({ code: 'invalid-arguments', message: /^Folder not found: / })
    expect((await commandFailure(engine.invoke('library.import', { paths: [] }))).message).toMatch(
      /paths: Give a folder/,
    )
  })

  it('rejects bad folders and malformed commands with clear messages', async () => {
    const { engine, folder } = await importedEngine()
    const relative = await commandFailure(engine.invoke('library.addFolder', { path: 'photos' }))
    expect(relative).toMatchObject({
      code: 'invalid-arguments',
      message: `Give the folder's full path (not "photos").`,
    })
    const missing = await commandFailure(
      engine.invoke('library.addFolder', { path: path.join(folder, 'nope') }),
    )
    expect(missing).toMatchObject({
      code: 'invalid-arguments',
      message: `Folder not found: ${path.join(folder, 'nope')}`,
    })
    const file = await commandFailure(
      engine.invoke('library.addFolder', { path: path.join(folder, 'Canon_40D.jpg') }),
    )
    expect(file.message).toMatch(/is a file, not a folder/)
    const malformed = await commandFailure(
      engine.invoke('clusters.list', { sort: 'colour' } as never),
    )
    expect(malformed.code).toBe('invalid-arguments')
    const unknown = await commandFailure(engine.invoke('library.format' as never, {} as never))
    expect(unknown.message).toBe('Unknown command "library.format".')
    expect(
      (await commandFailure(engine.invoke('library.removeFolder', { folderId: 4242 }))).code,
    ).toBe('not-found')
  })
})

function photoId(engine: Engine, file: string): number {
  const lib = openLibrary(engine.libraryDir)
  try {
    return lib.db.prepare(`SELECT id FROM photos WHERE path = ?`).pluck().get(file) as number
  } finally {
    lib.close()
  }
}

describe('Engine edits on a trained run', () => {
  it('lists groups, renames, moves, merges, undoes and redoes, with events', async () => {
    const { engine } = await importedEngine()
    const edits = await engine.invoke('edits.state', {})
    expect(edits).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null })
    expect((await commandFailure(engine.invoke('edits.undo', {}))).code).toBe('conflict')
    expect(await engine.invoke('clusters.list', { sort: 'size' })).toEqual({
      runId: null,
      clusters: [],
      unsorted: PHOTOS.length,
    })

    writeRun(engine)

    const events: EngineEvent[] = []
    engine.onEvent((event) => events.push(event))
    const { clusters, unsorted } = await engine.invoke('clusters.list', { sort: 'size' })
    expect(unsorted).toBe(0)
    expect(clusters.map((c) => [c.name, c.size])).toEqual([
      ['Group 1', 4],
      ['Group 2', 2],
    ])
    const [big, small] = clusters as [(typeof clusters)[0], (typeof clusters)[0]]

    await engine.invoke('clusters.rename', { clusterId: small.id, name: '  Cameras ' })
    expect(events.map((e) => e.type)).toEqual(['clusters.changed', 'edits.changed'])
    expect(events[1]).toMatchObject({ state: { canUndo: true, undoLabel: expect.any(String) } })

    const members = await engine.invoke('clusters.members', {
      clusterId: big.id,
      offset: 0,
      limit: 2,
    })
    expect(members.total).toBe(4)
    expect(members.members).toHaveLength(2)
    await engine.invoke('photos.move', { photoIds: [members.members[0]!.photoId], to: null })
    expect((await engine.invoke('clusters.list', { sort: 'name' })).unsorted).toBe(1)
    const details = await engine.invoke('photos.details', { photoId: members.members[0]!.photoId })
    expect(details).toMatchObject({ clusterId: null, source: 'user', unsortedReason: 'moved' })

    await engine.invoke('clusters.merge', { clusterIds: [small.id], into: big.id })
    const merged = await engine.invoke('clusters.list', { sort: 'size' })
    expect(merged.clusters.map((c) => [c.id, c.size])).toEqual([[big.id, 5]])
    expect(
      (
        await commandFailure(
          engine.invoke('clusters.members', { clusterId: 777, offset: 0, limit: 5 }),
        )
      ).code,
    ).toBe('not-found')

    await engine.invoke('edits.undo', {})
    const undone = await engine.invoke('clusters.list', { sort: 'name' })
    expect(undone.clusters.map((c) => c.name)).toEqual(['Cameras', 'Group 1'])
    const redo = await engine.invoke('edits.redo', {})
    expect(redo.canRedo).toBe(false)
    expect((await engine.invoke('clusters.list', { sort: 'size' })).clusters).toHaveLength(1)
    expect(
      (await commandFailure(engine.invoke('clusters.rename', { clusterId: 4242, name: 'x' }))).code,
    ).toBe('not-found')
  })
})

/** A finished run with two groups (4 and 2 photos), written the way the pipeline writes one. */
function writeRun(engine: Engine): void {
  const lib = openLibrary(engine.libraryDir)
  try {
    const ids = lib.db
      .prepare(`SELECT id FROM photos WHERE status = 'ok' ORDER BY id`)
      .pluck()
      .all() as number[]
    const probs = new Float32Array(ids.flatMap((_, i) => (i < 4 ? [0.9, 0.1] : [0.2, 0.8])))
    finishRun(lib.db, createRun(lib.db, 'test-model', {}), { photoIds: ids, probs, k: 2 })
  } finally {
    lib.close()
  }
}

describe('Engine export', () => {
  it('plans, runs as a job, lists and undoes an export of the groups', async () => {
    const { engine } = await importedEngine()
    writeRun(engine)
    const destination = path.join(tempDir('kindred-export-'), 'sorted')
    const options = { destination, mode: 'copy' as const }
    const plan = await engine.invoke('export.plan', options)
    expect(plan.files).toBe(PHOTOS.length)
    expect(plan.folders.map((f) => [f.name, f.files])).toEqual([
      ['Group 1', 4],
      ['Group 2', 2],
    ])
    expect(fs.existsSync(destination)).toBe(false)

    const job: { id?: number } = {}
    const ended = jobEnd(engine, () => job.id)
    const started = await engine.invoke('export.start', options)
    job.id = started.jobId
    const events = await ended
    expect(events.at(-1)).toMatchObject({
      type: 'progress',
      progress: { status: 'done', kind: 'export' },
    })
    expect(fs.readdirSync(path.join(destination, 'Group 1'))).toHaveLength(4)
    expect(fs.readdirSync(path.join(destination, 'Group 2'))).toHaveLength(2)
    const [record] = await engine.invoke('export.list', {})
    expect(record).toMatchObject({
      id: started.exportId,
      state: 'done',
      files: PHOTOS.length,
      mode: 'copy',
    })

    await engine.invoke('export.undo', { exportId: started.exportId })
    expect(fs.existsSync(path.join(destination, 'Group 1'))).toBe(false)
    expect((await engine.invoke('export.list', {}))[0]!.state).toBe('undone')
    expect(
      (await commandFailure(engine.invoke('export.undo', { exportId: started.exportId }))).code,
    ).toBe('conflict')
    expect((await commandFailure(engine.invoke('export.undo', { exportId: 999 }))).code).toBe(
      'not-found',
    )
  })
})

describe('Engine export that stopped half-way', () => {
  it('lists it as interrupted after a restart, resumes it to the end, and refuses a second resume', async () => {
    const { engine } = await importedEngine()
    writeRun(engine)
    const destination = path.join(tempDir('kindred-export-'), 'sorted')
    const lib = openLibrary(engine.libraryDir)
    let exportId: number
    try {
      ;({ exportId } = await createExport(lib, { destination, mode: 'copy' }))
      const controller = new AbortController()
      await expect(
        runExport(lib, exportId, {
          signal: controller.signal,
          onProgress: (done) => done === 2 && controller.abort(),
        }),
      ).rejects.toThrow()
      // As a killed engine leaves it: still marked running.
      lib.db
        .prepare(`UPDATE exports SET state = 'running', error = NULL WHERE id = ?`)
        .run(exportId)
    } finally {
      lib.close()
    }
    await engine.close()
    engines.splice(0)
    const again = await Engine.open(engine.libraryDir)
    engines.push(again)
    const [record] = await again.invoke('export.list', {})
    expect(record).toMatchObject({
      id: exportId,
      state: 'interrupted',
      files: PHOTOS.length,
      placed: 2,
    })
    expect(record!.error).toMatch(/resume or undo it/)

    const job: { id?: number } = {}
    const ended = jobEnd(again, () => job.id)
    job.id = (await again.invoke('export.resume', { exportId })).jobId
    expect((await ended).at(-1)).toMatchObject({ progress: { status: 'done', kind: 'export' } })
    expect((await again.invoke('export.list', {}))[0]).toMatchObject({
      state: 'done',
      placed: PHOTOS.length,
      error: null,
    })
    const files = fs.readdirSync(destination, { recursive: true }) as string[]
    expect(
      files.filter((f) => f.endsWith('.jpg') || f.endsWith('.png') || f.endsWith('.webp')),
    ).toHaveLength(PHOTOS.length)
    expect((await commandFailure(again.invoke('export.resume', { exportId }))).code).toBe(
      'conflict',
    )
    expect((await commandFailure(again.invoke('export.resume', { exportId: 999 }))).code).toBe(
      'not-found',
    )
    await again.invoke('export.undo', { exportId })
    expect((await commandFailure(again.invoke('export.resume', { exportId }))).message).toMatch(
      /undone/,
    )
  })
})

describe('Engine photo renditions', () => {
  it('serves a JPEG rendition of a TIFF original, made once inside the library', async () => {
    const engine = await Engine.open(tempDir('kindred-lib-'))
    engines.push(engine)
    const folder = tempDir('kindred-tiff-')
    const tiff = path.join(folder, 'G31D.TIF')
    fs.copyFileSync(sharedPath('fixtures', 'formats', 'G31D.TIF'), tiff)
    const job: { id?: number } = {}
    const ended = jobEnd(engine, () => job.id)
    job.id = (await engine.invoke('library.addFolder', { path: folder })).jobId
    await ended
    const id = photoId(engine, tiff)
    const full = await engine.photoFile(id, 'full')
    expect(full.contentType).toBe('image/jpeg')
    expect(full.path.startsWith(path.join(engine.libraryDir, 'previews') + path.sep)).toBe(true)
    const meta = await sharp(full.path).metadata()
    const original = await sharp(tiff).metadata()
    expect(meta.format).toBe('jpeg')
    expect(Math.max(meta.width!, meta.height!)).toBe(
      Math.min(4096, Math.max(original.width!, original.height!)),
    )
    const again = await engine.photoFile(id, 'full')
    expect(again).toEqual(full)
  })
})

describe('Engine after a crash', () => {
  it('shows jobs a dead engine left running as interrupted, and resumable', async () => {
    const dir = tempDir('kindred-lib-')
    const lib = openLibrary(dir)
    lib.db
      .prepare(
        `INSERT INTO jobs (kind, params, state, stage, created_at, updated_at) VALUES ('organize', '{}', 'running', 'scan', 1, 1)`,
      )
      .run()
    lib.close()
    const engine = await Engine.open(dir)
    engines.push(engine)
    const [job] = await engine.invoke('jobs.list', {})
    expect(job).toMatchObject({ kind: 'organize', state: 'failed', stage: 'scan' })
    expect(job!.error).toMatch(/Interrupted/)
  })

  it('leaves the jobs of another live process alone', async () => {
    const dir = tempDir('kindred-lib-')
    const lib = openLibrary(dir)
    lib.db
      .prepare(
        `INSERT INTO jobs (kind, params, state, created_at, updated_at) VALUES ('import', '{}', 'running', 1, 1)`,
      )
      .run()
    lib.close()
    // pid 1 is alive and is not us: as if a CLI import held the library.
    fs.writeFileSync(path.join(dir, 'jobs.lock'), '1')
    const engine = await Engine.open(dir)
    engines.push(engine)
    expect((await engine.invoke('jobs.list', {}))[0]).toMatchObject({ state: 'running' })
  })
})
