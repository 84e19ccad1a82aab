/**
 * kill -9 of the engine in the middle of an export (on a slow disk, so the kill lands between
 * files or inside one): nothing is lost, the export says honestly that it was interrupted, the
 * viewer still finds every photo, and both resume and undo finish the job cleanly.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExportMode } from '../../src/shared/contract'
import { Engine } from '../../src/core/engine/engine'
import { forkEngine } from '../../src/core/engine/fork'
import { resolvePhotoFile } from '../../src/core/engine/photo-files'
import { EngineSupervisor } from '../../src/core/engine/supervisor'
import { listExports } from '../../src/core/export'
import { openLibrary, type Library } from '../../src/core/store/library'
import { jobEnd } from '../engine/fixtures'
import { buildFixture } from '../edits/fixture'
import { tempDir } from '../helpers/tmp'

const ENTRY = path.resolve(import.meta.dirname, '../../src/core/engine/process-entry.ts')
const SLOW_DISK = path.resolve(import.meta.dirname, 'slow-disk.ts')

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** Every file under `dir`, hidden ones included (a leftover temporary file would show). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.lstatSync(path.join(dir, f)).isFile())
    .sort()
}

interface Item {
  photo_id: number
  source: string
  target: string
  done: number
}

function itemsOf(lib: Library, exportId: number): Item[] {
  return lib.db
    .prepare(`SELECT photo_id, source, target, done FROM export_items WHERE export_id = ?`)
    .all(exportId) as Item[]
}

/** Starts an export in an engine process on a slow disk and SIGKILLs it after `after` files. */
async function exportThenKill(
  libDir: string,
  destination: string,
  mode: ExportMode,
  after: number,
): Promise<number> {
  const child = forkEngine(ENTRY, libDir, ['--import', 'tsx', '--import', SLOW_DISK])
  const exited = new Promise<string>((resolve) => child.onExit(resolve))
  const supervisor = new EngineSupervisor(() => child, { maxRestarts: 0 })
  cleanups.push(() => supervisor.close())
  await supervisor.started()
  const reached = new Promise<void>((resolve) => {
    supervisor.onEvent((event) => {
      if (event.type !== 'progress') return
      const p = event.progress
      if (p.kind === 'export' && p.status === 'progress' && p.done >= after) resolve()
    })
  })
  const { exportId } = await supervisor.invoke('export.start', {
    destination,
    mode,
    includeUnsorted: true,
  })
  await reached
  child.kill()
  expect(await exited).toBe('killed by SIGKILL')
  return exportId
}

/** What a person would check right after the crash. */
function checkAfterKill(libDir: string, exportId: number, originals: Map<number, string>) {
  const lib = openLibrary(libDir)
  try {
    const [record] = listExports(lib)
    expect(record).toMatchObject({ id: exportId, state: 'interrupted' })
    expect(record!.placed).toBeGreaterThan(0)
    expect(record!.placed).toBeLessThan(record!.files)
    expect(record!.error).toMatch(/resume or undo it/)
    // Nothing lost: every photo's bytes are at its source or its target, and the viewer finds it.
    for (const item of itemsOf(lib, exportId)) {
      const places = [item.source, item.target].filter((f) => fs.existsSync(f))
      expect(places.length, item.source).toBeGreaterThan(0)
      for (const file of places) expect(sha(file)).toBe(originals.get(item.photo_id))
      const served = resolvePhotoFile(lib, item.photo_id, 'full')
      expect(sha(served.path)).toBe(originals.get(item.photo_id))
    }
  } finally {
    lib.close()
  }
}

async function reopened(libDir: string): Promise<Engine> {
  const engine = await Engine.open(libDir)
  cleanups.push(() => engine.close())
  return engine
}

async function setUp() {
  const fx = await buildFixture(6)
  const originals = new Map<number, string>()
  const paths = new Map<number, string>()
  for (const row of fx.lib.db.prepare(`SELECT id, path FROM photos`).all() as {
    id: number
    path: string
  }[]) {
    originals.set(row.id, sha(row.path))
    paths.set(row.id, row.path)
  }
  fx.lib.close()
  return { ...fx, originals, paths, destination: path.join(tempDir('kindred-export-'), 'Sorted') }
}

describe('kill -9 during an export', () => {
  it.each(['copy', 'move'] as const)(
    '%s: resumes after the kill and ends with every file in place, once',
    async (mode) => {
      const { libDir, originals, destination } = await setUp()
      const exportId = await exportThenKill(libDir, destination, mode, 4)
      checkAfterKill(libDir, exportId, originals)

      const engine = await reopened(libDir)
      expect((await engine.invoke('export.list', {}))[0]).toMatchObject({ state: 'interrupted' })
      const job: { id?: number } = {}
      const ended = jobEnd(engine, () => job.id)
      job.id = (await engine.invoke('export.resume', { exportId })).jobId
      expect((await ended).at(-1)).toMatchObject({ progress: { status: 'done' } })
      const [record] = await engine.invoke('export.list', {})
      expect(record).toMatchObject({ state: 'done', placed: originals.size, files: originals.size })

      const lib = openLibrary(libDir)
      try {
        const items = itemsOf(lib, exportId)
        // One file per photo, no temporary file left, no "(2)" copy of a file placed twice.
        expect(filesUnder(destination)).toEqual(
          items.map((i) => path.relative(destination, i.target)).sort(),
        )
        for (const item of items) {
          expect(sha(item.target)).toBe(originals.get(item.photo_id))
          expect(fs.existsSync(item.source)).toBe(mode === 'copy')
          if (mode === 'move') {
            const stored = lib.db.prepare(`SELECT path FROM photos WHERE id = ?`).pluck()
            expect(stored.get(item.photo_id)).toBe(item.target)
          }
        }
      } finally {
        lib.close()
      }
    },
  )

  it('move: undo after the kill puts every photo back where it was', async () => {
    const { libDir, originals, paths, destination } = await setUp()
    const exportId = await exportThenKill(libDir, destination, 'move', 5)
    checkAfterKill(libDir, exportId, originals)

    const engine = await reopened(libDir)
    await engine.invoke('export.undo', { exportId })
    expect((await engine.invoke('export.list', {}))[0]).toMatchObject({ state: 'undone' })
    expect(filesUnder(destination)).toEqual([])
    const lib = openLibrary(libDir)
    try {
      for (const [id, file] of paths) {
        expect(sha(file)).toBe(originals.get(id))
        expect(lib.db.prepare(`SELECT path FROM photos WHERE id = ?`).pluck().get(id)).toBe(file)
      }
    } finally {
      lib.close()
    }
  })
})
