import fs from 'node:fs'
import path from 'node:path'
import exifr from 'exifr'
import { afterEach, describe, expect, it } from 'vitest'
import { renameCluster } from '../../src/core/edits'
import {
  exampleFolderName,
  exportGroups,
  folderNameFor,
  parseFolderPattern,
  planExport,
} from '../../src/core/export'
import { parseCommand } from '../../src/core/engine/schemas'
import { importFolders } from '../../src/core/ingest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { listFiles } from '../e2e/harness'

const open: Library[] = []
afterEach(() => {
  for (const lib of open.splice(0)) lib.close()
})

describe('folder name pattern', () => {
  const july = new Date(2024, 6, 9, 15, 30).getTime() // local time, as EXIF dates are read

  it('fills in the group and the date the photo was taken', () => {
    const name = (p: string, group = 'Beach') =>
      folderNameFor(parseFolderPattern(p), group, july, 'Group 1')
    expect(name('{year}-{month} {group}')).toBe('2024-07 Beach')
    expect(name('{group} {year}.{month}.{day}')).toBe('Beach 2024.07.09')
    expect(name('{Year} {GROUP}')).toBe('2024 Beach')
    expect(name('{group}')).toBe('Beach')
    expect(name('Holidays')).toBe('Holidays')
  })

  it('makes the result safe for every OS, falling back when nothing is left', () => {
    const pattern = parseFolderPattern('{group}')
    expect(folderNameFor(pattern, 'Cats/Dogs: best', july, 'Group 3')).toBe('Cats_Dogs_ best')
    expect(folderNameFor(pattern, '...', july, 'Group 3')).toBe('Group 3')
    expect(folderNameFor(parseFolderPattern('{group}.'), 'CON', july, 'Group 3')).toBe('CON_')
  })

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['{year}/{month}', /cannot contain \/ or \\/],
    ['{year}\\{group}', /cannot contain \/ or \\/],
    [
      '{album} {year}',
      /"\{album\}" is not a placeholder.*\{group\}, \{year\}, \{month\} or \{day\}/,
    ],
    ['{} {group}', /"\{\}" is not a placeholder/],
    ['{year', /does not close/],
    ['{{group}}', /does not close/],
    ['...', /gives an empty folder name/],
  ])('refuses %j with a clear reason', (pattern, reason) => {
    expect(() => parseFolderPattern(pattern)).toThrow(reason)
  })

  it('the contract checks its type and size; the export checks the rest', () => {
    expect(() =>
      parseCommand('export.plan', { destination: '/out', mode: 'copy', folderPattern: 5 }),
    ).toThrow(/folderPattern/)
    expect(() => parseCommand('export.exampleFolder', { folderPattern: 'x'.repeat(501) })).toThrow(
      /too long/,
    )
    expect(
      parseCommand('export.plan', { destination: '/out', mode: 'copy', folderPattern: '{group}' }),
    ).toMatchObject({ folderPattern: '{group}' })
  })
})

/** Local "YYYY-MM" of a date. */
function month(time: number): string {
  const d = new Date(time)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
}

/**
 * Four real camera photos with EXIF dates in four different months, and three Caltech photos
 * without EXIF, imported for real; one finished run puts them all in one group named "Trip".
 * Every file's modified time is set to one day, so a folder named after it shows the EXIF date
 * was ignored; the Caltech photos have only that date.
 */
async function datedLibrary() {
  const root = tempDir('kindred-pattern-')
  const photos = path.join(root, 'photos')
  fs.mkdirSync(photos)
  const cameras = [
    'Canon_40D.jpg',
    'Fujifilm_FinePix_E500.jpg',
    'Nikon_D70.jpg',
    'Sony_HDR-HC3.jpg',
  ]
  for (const f of cameras)
    fs.copyFileSync(sharedPath('fixtures', 'exif-samples', f), path.join(photos, f))
  const plain = ['image_0001.jpg', 'image_0002.jpg', 'image_0003.jpg']
  for (const f of plain)
    fs.copyFileSync(sharedPath('datasets', 'caltech20', 'dolphin', f), path.join(photos, f))
  const fileDate = new Date(2021, 0, 15, 12, 0)
  for (const f of fs.readdirSync(photos)) fs.utimesSync(path.join(photos, f), fileDate, fileDate)
  const lib = openLibrary(path.join(root, 'library'))
  open.push(lib)
  const summary = await importFolders(lib, [photos])
  expect(summary.imported).toBe(cameras.length + plain.length)
  const db = lib.db
  const runId = Number(
    db
      .prepare(
        `INSERT INTO runs (model, state, created_at, finished_at) VALUES ('m', 'done', ?, ?)`,
      )
      .run(Date.now(), Date.now()).lastInsertRowid,
  )
  const clusterId = Number(
    db.prepare(`INSERT INTO clusters (run_id, idx) VALUES (?, 0)`).run(runId).lastInsertRowid,
  )
  const ids = db.prepare(`SELECT id FROM photos ORDER BY id`).pluck().all() as number[]
  const assign = db.prepare(
    `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence) VALUES (?, ?, ?, 0.9, 0.9)`,
  )
  for (const id of ids) assign.run(id, runId, clusterId)
  renameCluster(lib, clusterId, 'Trip')
  // What the cameras wrote, read here independently of the import.
  const expected = new Map<string, string[]>()
  for (const f of cameras) {
    const tags = (await exifr.parse(path.join(photos, f), ['DateTimeOriginal'])) as {
      DateTimeOriginal: Date
    }
    const folder = `${month(tags.DateTimeOriginal.getTime())} Trip`
    expected.set(folder, [...(expected.get(folder) ?? []), f])
  }
  expected.set(`${month(fileDate.getTime())} Trip`, plain)
  return { lib, root, photos, expected, fileDate }
}

describe('export with a folder name pattern', () => {
  it('puts the photos of one group in one folder per month: EXIF date, else file date', async () => {
    const { lib, root, expected, fileDate } = await datedLibrary()
    expect(new Set([...expected.keys()]).size).toBe(5) // the fixture really spans 5 months
    const destination = path.join(root, 'Sorted')
    const options = {
      destination,
      mode: 'copy' as const,
      folderPattern: '{year}-{month} {group}',
    }
    const { summary } = planExport(lib, options)
    expect(summary.folders.map((f) => [f.name, f.files])).toEqual(
      [...expected].sort(([a], [b]) => a.localeCompare(b)).map(([name, fs]) => [name, fs.length]),
    )
    expect(fs.existsSync(destination)).toBe(false) // a dry run writes nothing

    const result = await exportGroups(lib, options)
    expect(result.files).toBe(7)
    const want = [...expected].flatMap(([folder, files]) => files.map((f) => path.join(folder, f)))
    expect(listFiles(destination)).toEqual(want.sort())
    // The copies keep the originals' dates.
    for (const file of listFiles(destination)) {
      expect(fs.statSync(path.join(destination, file)).mtime).toEqual(fileDate)
    }
  })

  it('without a pattern, one folder per group as before', async () => {
    const { lib, root } = await datedLibrary()
    const { summary } = planExport(lib, { destination: path.join(root, 'out'), mode: 'copy' })
    expect(summary.folders).toEqual([{ name: 'Trip', clusterId: expect.any(Number), files: 7 }])
  })

  it('a pattern without {group} still never mixes two groups in one folder', async () => {
    const { lib, root, photos, fileDate } = await datedLibrary()
    // One photo without EXIF leaves the group: Unsorted and "Trip" now share a year.
    lib.db
      .prepare(`DELETE FROM assignments WHERE photo_id = (SELECT id FROM photos WHERE path = ?)`)
      .run(path.join(photos, 'image_0001.jpg'))
    const { summary } = planExport(lib, {
      destination: path.join(root, 'out'),
      mode: 'copy',
      folderPattern: 'Photos {year}',
      includeUnsorted: true,
    })
    const year = `Photos ${fileDate.getFullYear()}`
    expect(summary.folders.filter((f) => f.name.startsWith(year))).toEqual([
      { name: year, clusterId: null, files: 1 },
      { name: `${year} (2)`, clusterId: expect.any(Number), files: 2 },
    ])
    expect(summary.files).toBe(7)
  })

  it('refuses a bad pattern before anything is written, and shows an example of a good one', async () => {
    const { lib, root, expected } = await datedLibrary()
    const destination = path.join(root, 'out')
    expect(() =>
      planExport(lib, { destination, mode: 'copy', folderPattern: '{year}/{group}' }),
    ).toThrow(/cannot contain/)
    await expect(
      exportGroups(lib, { destination, mode: 'copy', folderPattern: '{when}' }),
    ).rejects.toThrow(/"\{when\}" is not a placeholder/)
    expect(fs.existsSync(destination)).toBe(false)
    expect(lib.db.prepare(`SELECT COUNT(*) FROM exports`).pluck().get()).toBe(0)
    // The example is the newest photo of the largest group: the latest month of the fixture.
    const latest = [...expected.keys()].sort().at(-1)
    expect(exampleFolderName(lib, '{year}-{month} {group}')).toBe(latest)
    expect(() => exampleFolderName(lib, '{nope}')).toThrow(/not a placeholder/)
  })
})
