/**
 * Photos of a kind the library did not have when it was organized go to Unsorted with the reason
 * "doesn't look like any group", through the real pipeline (organize, then import + assign job)
 * and the CLI; photos of the known kinds imported with them still find their groups.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { openLibrary } from '../../src/core/store/library'
import { assignJob, organize, organizeParams } from '../../src/core/pipeline'
import { currentRun, listMembers, photoPaths } from '../../src/core/clusters'
import { importFolders } from '../../src/core/ingest'
import { runJob } from '../../src/core/jobs'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

const run = promisify(execFile)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
process.env.KINDRED_MODELS_DIR = sharedPath('models')
const KNOWN = ['Leopards', 'Motorbikes', 'sunflower']
const NEW_KIND = 'grand_piano'

/** Symlinks to photos `from`..`from+count-1` of each class, in <dir>/<class>/. */
function folder(dir: string, classes: string[], from: number, count: number): string {
  for (const cls of classes) {
    const source = sharedPath('datasets', 'caltech20', cls)
    fs.mkdirSync(path.join(dir, cls), { recursive: true })
    for (const file of fs
      .readdirSync(source)
      .sort()
      .slice(from, from + count))
      fs.symlinkSync(path.join(source, file), path.join(dir, cls, file))
  }
  return dir
}

const work = fs.mkdtempSync(path.join(tempDir(), '..', 'kindred-unsorted-'))
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

describe('a new kind of photo added after organizing', () => {
  // Embeds 60 photos and trains: minutes on a busy machine.
  it(
    'goes to Unsorted with its reason; known kinds added with it find their groups',
    { timeout: 600_000 },
    async () => {
      const library = path.join(work, 'library')
      const lib = openLibrary(library)
      try {
        const photos = folder(path.join(work, 'photos'), KNOWN, 0, 16)
        await organize(lib, organizeParams({ folders: [photos], clusters: 3, seed: 0, views: 0 }))
        const runId = currentRun(lib.db)!.id
        const trainedUnsorted = listMembers(lib.db, null).total
        expect(trainedUnsorted).toBeLessThanOrEqual(3) // the calibrated share of 48 photos

        const later = folder(path.join(work, 'later'), KNOWN, 16, 2)
        folder(later, [NEW_KIND], 0, 12)
        await importFolders(lib, [later])
        await runJob(lib, assignJob(lib))
        expect(currentRun(lib.db)!.id).toBe(runId) // assigned by the stored model, not retrained

        const unsorted = listMembers(lib.db, null, 0, 1000).members
        const paths = photoPaths(
          lib.db,
          unsorted.map((m) => m.photoId),
        )
        const kindOf = (p: string) => path.basename(path.dirname(p))
        const newKind = unsorted.filter((_, i) => kindOf(paths[i]!) === NEW_KIND)
        expect(newKind.length).toBeGreaterThanOrEqual(10) // of 12
        for (const m of newKind) {
          expect(m).toMatchObject({ unsortedReason: 'no-fit', source: 'model' })
          expect(m.runnerUp).not.toBeNull() // the closest group, for review
        }
        const laterKnown = paths.filter((p) => kindOf(p) !== NEW_KIND && p.startsWith(later)).length
        expect(laterKnown).toBeLessThanOrEqual(1) // of 6
      } finally {
        lib.close()
      }

      const { stdout: json } = await run(
        process.execPath,
        [path.join(root, 'bin', 'kindred.js'), 'clusters', '--library', library, '--json'],
        { maxBuffer: 64 << 20 },
      )
      const listed = JSON.parse(json) as {
        unsorted: { members: { path: string; unsortedReason: string | null }[] }
      }
      const pianos = listed.unsorted.members.filter((m) => m.path.includes(NEW_KIND))
      expect(pianos.length).toBeGreaterThanOrEqual(10)
      expect(new Set(pianos.map((m) => m.unsortedReason))).toEqual(new Set(['no-fit']))
      const { stdout: text } = await run(process.execPath, [
        path.join(root, 'bin', 'kindred.js'),
        'clusters',
        '--library',
        library,
      ])
      // The closest group by its name, as the app shows it, not its database id.
      const names = (JSON.parse(json) as { groups: { name: string }[] }).groups.map((g) => g.name)
      const closest = [
        ...text.matchAll(
          /grand_piano\/image_\d+\.jpg {2}doesn't look like any group \(closest: (.+)\)/g,
        ),
      ].map((m) => m[1])
      expect(closest.length).toBeGreaterThanOrEqual(10)
      for (const name of closest) expect(names).toContain(name)
      expect(text).not.toMatch(/#\d/)
    },
  )
})
