/**
 * Special paths given as a library, a photo folder or an export destination: system views
 * (/proc, /sys, /dev), a FIFO, a device, a file where a folder is expected, and a destination
 * swapped for a link into /proc. Each gets a clear refusal at once: nothing hangs, nothing is
 * created there, and the job queue keeps working.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine/engine'
import { createExport, runExport } from '../../src/core/export'
import { makeFolder, makeFolderAsync } from '../../src/core/fs/user-folders'
import { importFolders } from '../../src/core/ingest'
import { startJob } from '../../src/core/jobs'
import { openLibrary, type Library } from '../../src/core/store/library'
import { buildFixture } from '../edits/fixture'
import { jobEnd } from '../engine/fixtures'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

const root = path.resolve(__dirname, '../..')

/** A temp folder holding a FIFO, a plain file and a folder, by name. */
function specialFiles(): { fifo: string; file: string; dir: string } {
  const dir = tempDir('kindred-special-')
  const fifo = path.join(dir, 'pipe')
  execFileSync('mkfifo', [fifo])
  const file = path.join(dir, 'photo.jpg')
  fs.writeFileSync(file, 'not a folder')
  return { fifo, file, dir }
}

/** Settles within `ms`, or rejects saying it hung. */
function ends<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`hung for more than ${ms} ms`)), ms).unref(),
    ),
  ])
}

async function refusal(work: () => unknown): Promise<{ code?: string; message: string }> {
  try {
    await ends(Promise.resolve().then(work))
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('it was accepted')
}

const opened: { close(): unknown }[] = []
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close()
})

describe('a library in a special place', () => {
  // Made now (test names show them) and kept for the whole describe block.
  const specials = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-special-'))
  const fifo = path.join(specials, 'pipe')
  execFileSync('mkfifo', [fifo])
  const file = path.join(specials, 'photo.jpg')
  fs.writeFileSync(file, 'not a folder')
  afterAll(() => fs.rmSync(specials, { recursive: true, force: true }))
  const cases: [string, RegExp][] = [
    ['/proc/kindred-library', /inside \/proc, which shows the running system/],
    ['/proc/self/kindred-library', /inside \/proc/],
    ['/sys/kindred-library', /inside \/sys/],
    ['/dev/kindred-library', /inside \/dev/],
    ['/dev/null', /is a device, not a folder/],
    ['/dev/null/library', /\/dev\/null, part of the library location .* is a device/],
    [fifo, /is a named pipe \(FIFO\), not a folder/],
    [file, /is a file, not a folder/],
    [path.join(file, 'library'), /photo\.jpg, part of the library location .* is a file/],
  ]
  it.each(cases)('%s is refused with a clear message', async (where, message) => {
    const failure = await refusal(() => opened.push(openLibrary(where)))
    expect(failure.message).toMatch(message)
    expect(failure.code).toBe('invalid-arguments')
  })

  it('kindred status --library /proc/x ends at once with the reason', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'bin', 'kindred.js'), 'status', '--library', '/proc/x'],
      { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' },
    )
    expect(result.error).toBeUndefined() // a timeout would show here
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/\/proc\/x cannot be used: it is inside \/proc/)
  }, 70_000)

  it('a library symlinked into /proc is refused too', async () => {
    const link = path.join(tempDir(), 'library')
    fs.symlinkSync('/proc/self', link)
    expect((await refusal(() => opened.push(openLibrary(link)))).message).toMatch(/inside \/proc/)
  })
})

describe('a photo folder in a special place', () => {
  it('library.addFolder and import refuse system views, FIFOs, devices and files', async () => {
    const { fifo, file, dir } = specialFiles()
    const procLink = path.join(dir, 'photos')
    fs.symlinkSync('/proc/self', procLink)
    const engine = await Engine.open(path.join(tempDir(), 'library'))
    opened.push(engine)
    const cases: [string, RegExp][] = [
      ['/proc/self', /inside \/proc/],
      ['/sys/kernel', /inside \/sys/],
      ['/dev', /inside \/dev/],
      ['/dev/null', /is a device, not a folder/],
      [fifo, /is a named pipe \(FIFO\), not a folder/],
      [file, /is a file, not a folder/],
      [procLink, /inside \/proc/],
    ]
    for (const [where, message] of cases) {
      const failure = await refusal(() => engine.invoke('library.addFolder', { path: where }))
      expect(failure.message, where).toMatch(message)
      expect(failure.code, where).toBe('invalid-arguments')
    }
    expect((await engine.invoke('library.summary', {})).folders).toEqual([])
    const lib = openLibrary(path.join(tempDir(), 'library'))
    opened.push(lib)
    for (const where of ['/proc/self', '/sys/kernel']) {
      await expect(ends(importFolders(lib, [where])), where).rejects.toThrow(/cannot be used/)
    }
  })
})

describe('special files and links inside a photo folder', () => {
  it('are listed as failed with a reason; the scan never wanders into /proc, /sys or /dev', async () => {
    const photos = tempDir('kindred-photos-')
    fs.copyFileSync(
      sharedPath('fixtures', 'exif-samples', 'Canon_40D.jpg'),
      path.join(photos, 'a.jpg'),
    )
    execFileSync('mkfifo', [path.join(photos, 'pipe.jpg')])
    const links: [string, string][] = [
      ['zero.jpg', '/dev/zero'],
      ['environ.jpg', '/proc/self/environ'],
      // /proc/self/root is the whole file system: following it would scan every disk.
      ['system', '/proc/self'],
      ['root', '/proc/self/root'],
      ['kernel', '/sys/kernel'],
    ]
    for (const [name, target] of links) fs.symlinkSync(target, path.join(photos, name))
    const lib = openLibrary(path.join(tempDir(), 'library'))
    opened.push(lib)
    const summary = await ends(importFolders(lib, [photos]), 60_000)
    expect(summary.imported).toBe(1)
    const failed = new Map(summary.failed.map((f) => [path.basename(f.path), f.error]))
    expect(failed.get('pipe.jpg')).toMatch(/named pipe \(FIFO\)/)
    expect(failed.get('zero.jpg')).toMatch(/inside \/dev/)
    expect(failed.get('environ.jpg')).toMatch(/Link not followed: it is inside \/proc/)
    expect(failed.get('system')).toMatch(/Link not followed: it is inside \/proc/)
    expect(failed.get('root')).toMatch(/Link not followed: it is inside \/proc/)
    expect(failed.get('kernel')).toMatch(/Link not followed: it is inside \/sys/)
  }, 70_000)
})

describe('a model folder in a special place', () => {
  it('models.install fails on system views, non-folders and a FIFO inside, and ends', async () => {
    const { fifo, file, dir } = specialFiles()
    const engine = await Engine.open(path.join(tempDir(), 'library'))
    opened.push(engine)
    for (const [from, message] of [
      ['/proc/self', /inside \/proc/],
      ['/dev/null', /is a device, not a folder/],
      [fifo, /named pipe \(FIFO\), not a folder/],
      [file, /is a file, not a folder/],
    ] as const) {
      const { progress } = await runJob(engine, () => engine.invoke('models.install', { from }))
      expect(progress, from).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(message),
      })
    }
    // A folder whose first model file is a FIFO: copying it would block the engine for good.
    const models = path.join(dir, 'models')
    fs.mkdirSync(models)
    execFileSync('mkfifo', [path.join(models, 'block0.depthwise.bias.npy')])
    const { progress } = await runJob(engine, () =>
      engine.invoke('models.install', { from: models }),
    )
    expect(progress).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/is a named pipe \(FIFO\), not a model file/),
    })
    expect(await engine.invoke('library.summary', {})).toBeTruthy() // the engine still answers
  }, 60_000)
})

/** A library with three named groups, opened by an engine. */
async function engineWithGroups(): Promise<{ engine: Engine; libDir: string }> {
  const fixture = await buildFixture(3)
  fixture.lib.close()
  const engine = await Engine.open(fixture.libDir)
  opened.push(engine)
  return { engine, libDir: fixture.libDir }
}

/**
 * Holds the library's job queue (one queue per library folder, in this process) with a job
 * that waits until `open()` is called, so that what happens before the next job is certain.
 */
function holdQueue(libDir: string): { open(): void } {
  const lib = openLibrary(libDir)
  let open!: () => void
  const gate = new Promise<void>((resolve) => (open = resolve))
  const held = startJob(lib, {
    kind: 'import',
    params: {},
    stages: [{ stage: 'import', run: () => gate }],
  })
  opened.push({ close: () => held.finished.finally(() => lib.close()) })
  return { open }
}

async function runJob(engine: Engine, start: () => Promise<{ jobId: number }>) {
  const job: { id?: number } = {}
  const ended = jobEnd(engine, () => job.id)
  job.id = (await start()).jobId
  const events = await ends(ended, 30_000)
  const last = events.at(-1)!
  return { jobId: job.id, progress: last.type === 'progress' ? last.progress : undefined }
}

describe('an export destination in a special place', () => {
  it('export.plan and export.start refuse it at once, and nothing is queued', async () => {
    const { engine } = await engineWithGroups()
    const { fifo, file } = specialFiles()
    const cases: [string, RegExp][] = [
      ['/proc/x', /inside \/proc/],
      ['/proc/self/x', /inside \/proc/],
      ['/sys/x', /inside \/sys/],
      ['/dev/x', /inside \/dev/],
      ['/dev/null', /is a device, not a folder/],
      ['/dev/null/x', /\/dev\/null, part of the destination .* is a device/],
      [fifo, /is a named pipe \(FIFO\)/],
      [file, /is a file, not a folder/],
      [path.join(file, 'x'), /part of the destination .* is a file/],
    ]
    for (const [destination, message] of cases) {
      for (const command of ['export.plan', 'export.start'] as const) {
        const failure = await refusal(() => engine.invoke(command, { destination, mode: 'copy' }))
        expect(failure.message, `${command} ${destination}`).toMatch(message)
        expect(failure.code, `${command} ${destination}`).toBe('invalid-arguments')
      }
    }
    expect(await engine.invoke('jobs.list', {})).toEqual([])
    expect(await engine.invoke('export.list', {})).toEqual([])
  })

  it('a destination swapped for a link into /proc fails the job, and later jobs still run', async () => {
    const { engine, libDir } = await engineWithGroups()
    const destination = path.join(tempDir(), 'Sorted')
    // The export is planned while the destination is a real folder, then it becomes a link
    // into /proc before the job runs (the queue is held by a job started just before).
    const gate = holdQueue(libDir)
    const exportJob = await engine.invoke('export.start', { destination, mode: 'copy' })
    fs.rmSync(destination, { recursive: true, force: true })
    fs.symlinkSync('/proc/self', destination)
    gate.open()

    const ended = new Map<number, string>()
    const stop = engine.onEvent((event) => {
      if (
        event.type === 'progress' &&
        ['done', 'failed', 'cancelled'].includes(event.progress.status)
      )
        ended.set(event.progress.jobId, event.progress.status)
    })
    await expect.poll(() => ended.get(exportJob.jobId), { timeout: 30_000 }).toBe('failed')
    stop()
    const jobs = await engine.invoke('jobs.list', {})
    const failed = jobs.find((j) => j.id === exportJob.jobId)!
    expect(failed.state).toBe('failed')
    expect(failed.error).toMatch(/inside \/proc/)
    const [record] = await engine.invoke('export.list', {})
    expect(record).toMatchObject({ state: 'failed' })

    // The queue keeps working: a later job runs to its end.
    const later = await runJob(engine, () => engine.invoke('library.rescan', {}))
    expect(later.progress?.status).toBe('done')
  })

  it('runExport alone (the CLI way) fails at once on such a destination and records it', async () => {
    const fixture = await buildFixture(3)
    const lib: Library = fixture.lib
    opened.push(lib)
    const destination = path.join(tempDir(), 'Sorted')
    const { exportId } = await createExport(lib, { destination, mode: 'copy' })
    fs.symlinkSync('/proc/self', destination)
    await expect(ends(runExport(lib, exportId))).rejects.toThrow(/inside \/proc/)
    const state = lib.db.prepare(`SELECT state FROM exports WHERE id = ?`).pluck().get(exportId)
    expect(state).toBe('failed')
  })
})

describe('making folders', () => {
  // Node's recursive mkdir retries forever where mkdir answers ENOENT under a parent that
  // exists, as everywhere in /proc; folders on user paths are made one level at a time.
  it('ends with an error inside /proc, synchronously and not', async () => {
    expect(() => makeFolder('/proc/kindred-x/y/z')).toThrow(/ENOENT/)
    await expect(ends(makeFolderAsync('/proc/kindred-x/y/z'))).rejects.toThrow(/ENOENT/)
    await expect(ends(makeFolderAsync('/proc/self/kindred-x'))).rejects.toThrow(/ENOENT/)
  })

  it('makes every missing level of a normal path, and refuses a file on the way', async () => {
    const base = tempDir()
    makeFolder(path.join(base, 'a', 'b'))
    await makeFolderAsync(path.join(base, 'a', 'c', 'd'))
    expect(fs.statSync(path.join(base, 'a', 'b')).isDirectory()).toBe(true)
    expect(fs.statSync(path.join(base, 'a', 'c', 'd')).isDirectory()).toBe(true)
    fs.writeFileSync(path.join(base, 'file'), 'x')
    expect(() => makeFolder(path.join(base, 'file', 'x'))).toThrow(/is a file, not a folder/)
    await expect(makeFolderAsync(path.join(base, 'file', 'x'))).rejects.toThrow(/is a file/)
  })
})
