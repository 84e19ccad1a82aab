import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExportMode } from '../../src/shared/contract'
import { renameCluster } from '../../src/core/edits'
import {
  createExport,
  exportGroups,
  listExports,
  planExport,
  runExport,
  undoExport,
} from '../../src/core/export'
import { openLibrary, type Library } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { buildFixture, CLASSES, type Fixture } from '../edits/fixture'

const open: Library[] = []
afterEach(() => {
  for (const lib of open.splice(0)) lib.close()
})

/** Three groups of 3 photos; groups 1 and 2 get names that sanitise to the same folder. */
async function fixture(): Promise<Fixture & { dest: string }> {
  const fx = await buildFixture(3)
  open.push(fx.lib)
  renameCluster(fx.lib, fx.clusterIds[0]!, 'Cats/Big')
  renameCluster(fx.lib, fx.clusterIds[1]!, 'cats:big')
  return { ...fx, dest: path.join(tempDir('kindred-export-'), 'Sorted') }
}

function photoPaths(lib: Library): Map<number, string> {
  const rows = lib.db.prepare(`SELECT id, path FROM photos`).all() as { id: number; path: string }[]
  return new Map(rows.map((r) => [r.id, r.path]))
}

function items(lib: Library, exportId: number) {
  return lib.db
    .prepare(
      `SELECT photo_id, source, target, done FROM export_items WHERE export_id = ? ORDER BY target`,
    )
    .all(exportId) as { photo_id: number; source: string; target: string; done: number }[]
}

/** The original bytes of a fixture photo, read from ../shared. */
function original(source: string): Buffer {
  const [cls, file] = source.split(path.sep).slice(-2)
  const dir = cls === 'loose' ? 'bonsai' : cls!
  return fs.readFileSync(sharedPath('datasets', 'caltech20', dir, file!))
}

describe('export plan (dry run)', () => {
  it('names folders after groups, resolves collisions, counts files and bytes, writes nothing', async () => {
    const { lib, dest, photosByClass, clusterIds } = await fixture()
    const { summary, files } = planExport(lib, {
      destination: dest,
      mode: 'copy',
      includeUnsorted: true,
    })
    expect(summary.folders.map((f) => [f.name, f.files])).toEqual([
      ['Unsorted', 1],
      ['Cats_Big', 3],
      ['cats_big (2)', 3],
      ['Group 3', 3],
    ])
    expect(summary.files).toBe(10)
    const bytes = photosByClass
      .flat()
      .reduce((sum, id) => sum + fs.statSync(photoPaths(lib).get(id)!).size, 0)
    expect(summary.bytes).toBe(
      bytes + fs.statSync(files.find((f) => f.target.includes('Unsorted'))!.source).size,
    )
    expect(summary.renamed).toBe(0)
    expect(fs.existsSync(dest)).toBe(false)
    const only = planExport(lib, {
      destination: dest,
      mode: 'copy',
      clusterIds: [clusterIds[2]!],
    })
    expect(only.summary.folders).toHaveLength(1)
  })

  it('refuses bad options with clear words, and records nothing', async () => {
    const { lib, dest } = await fixture()
    const file = path.join(tempDir(), 'a-file')
    fs.writeFileSync(file, 'x')
    expect(() => planExport(lib, { destination: ' ', mode: 'copy' })).toThrow(
      'Choose a destination folder',
    )
    expect(() => planExport(lib, { destination: dest, mode: 'teleport' as ExportMode })).toThrow(
      '"teleport" is not an export mode',
    )
    expect(() => planExport(lib, { destination: file, mode: 'copy' })).toThrow(
      'is a file, not a folder',
    )
    await expect(
      createExport(lib, { destination: dest, mode: 'copy', clusterIds: [999] }),
    ).rejects.toThrow(/Group 999 does not exist/)
    expect(listExports(lib)).toEqual([])
    expect(fs.existsSync(dest)).toBe(false)
  })
})

describe('export modes', () => {
  it('copies: same bytes in new files, every file recorded, progress to the end', async () => {
    const { lib, dest } = await fixture()
    const seen: [number, number][] = []
    const { exportId, files } = await exportGroups(
      lib,
      { destination: dest, mode: 'copy' },
      { onProgress: (done, total) => seen.push([done, total]) },
    )
    expect(files).toBe(9)
    expect(seen[0]).toEqual([0, 9])
    expect(seen.at(-1)).toEqual([9, 9])
    for (const item of items(lib, exportId)) {
      expect(item.done).toBe(1)
      expect(fs.readFileSync(item.target).equals(fs.readFileSync(item.source))).toBe(true)
      expect(fs.statSync(item.target).ino).not.toBe(fs.statSync(item.source).ino)
    }
    expect(fs.readdirSync(dest).sort()).toEqual(['Cats_Big', 'Group 3', 'cats_big (2)'])
    expect(fs.readdirSync(path.join(dest, 'Group 3')).sort()).toEqual([
      'image_0001.jpg',
      'image_0002.jpg',
      'image_0003.jpg',
    ])
    expect(listExports(lib)).toMatchObject([
      { id: exportId, mode: 'copy', state: 'done', files: 9, destination: dest },
    ])
  })

  it('hard-links: the same inode', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'hardlink' })
    for (const item of items(lib, exportId)) {
      expect(fs.statSync(item.target).ino).toBe(fs.statSync(item.source).ino)
      expect(fs.statSync(item.source).nlink).toBe(2)
    }
    expect(await undoExport(lib, exportId)).toEqual({ reverted: 9, kept: [] })
    for (const item of items(lib, exportId)) {
      expect(fs.existsSync(item.target)).toBe(false)
      expect(fs.statSync(item.source).nlink).toBe(1)
    }
    expect(fs.readdirSync(dest)).toEqual([])
  })

  it('symlinks: links that point at the original photos', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'symlink' })
    for (const item of items(lib, exportId)) {
      expect(fs.lstatSync(item.target).isSymbolicLink()).toBe(true)
      expect(fs.readlinkSync(item.target)).toBe(item.source)
      expect(fs.readFileSync(item.target).equals(original(item.source))).toBe(true)
    }
    expect(await undoExport(lib, exportId)).toEqual({ reverted: 9, kept: [] })
    for (const item of items(lib, exportId)) {
      expect(fs.existsSync(item.target)).toBe(false)
      expect(fs.readFileSync(item.source).equals(original(item.source))).toBe(true)
    }
  })

  it('moves, updates library paths, and undo puts every photo and path back', async () => {
    const { lib, dest, photosDir } = await fixture()
    const before = photoPaths(lib)
    const { exportId } = await exportGroups(lib, {
      destination: dest,
      mode: 'move',
      includeUnsorted: true,
    })
    const moved = items(lib, exportId)
    expect(moved).toHaveLength(10)
    for (const item of moved) {
      expect(fs.existsSync(item.source)).toBe(false)
      expect(fs.readFileSync(item.target).equals(original(item.source))).toBe(true)
      expect(photoPaths(lib).get(item.photo_id)).toBe(item.target)
    }
    const result = await undoExport(lib, exportId)
    expect(result).toEqual({ reverted: 10, kept: [] })
    expect(photoPaths(lib)).toEqual(before)
    for (const [, file] of before) expect(fs.readFileSync(file).equals(original(file))).toBe(true)
    expect(fs.readdirSync(dest)).toEqual([])
    expect(fs.readdirSync(photosDir).sort()).toEqual([...CLASSES, 'loose'].sort())
    expect(listExports(lib)[0]).toMatchObject({ state: 'undone' })
    await expect(undoExport(lib, exportId)).rejects.toThrow(
      `Export ${exportId} was already undone.`,
    )
  })

  it('undo of a copy removes only the copies and the folders it made', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'copy' })
    const keep = path.join(dest, 'Group 3', 'mine.txt')
    fs.writeFileSync(keep, 'added by a person after the export')
    expect(await undoExport(lib, exportId)).toEqual({ reverted: 9, kept: [] })
    expect(fs.readdirSync(dest)).toEqual(['Group 3'])
    expect(fs.readdirSync(path.join(dest, 'Group 3'))).toEqual(['mine.txt'])
    for (const item of items(lib, exportId)) expect(fs.existsSync(item.source)).toBe(true)
  })
})

describe('never overwrites', () => {
  it('gives a new name when a file already exists, at planning and at run time', async () => {
    const { lib, dest } = await fixture()
    const precious = path.join(dest, 'Group 3', 'image_0001.jpg')
    fs.mkdirSync(path.dirname(precious), { recursive: true })
    fs.writeFileSync(precious, 'precious')
    const { summary } = planExport(lib, { destination: dest, mode: 'copy' })
    expect(summary.renamed).toBe(1)
    const { exportId } = await createExport(lib, { destination: dest, mode: 'move' })
    // A file that appears between planning and running is not replaced either.
    const late = path.join(dest, 'Cats_Big', 'image_0002.jpg')
    fs.mkdirSync(path.dirname(late), { recursive: true })
    fs.writeFileSync(late, 'late')
    await runExport(lib, exportId)
    expect(fs.readFileSync(precious, 'utf8')).toBe('precious')
    expect(fs.readFileSync(late, 'utf8')).toBe('late')
    const targets = items(lib, exportId).map((i) => path.relative(dest, i.target))
    expect(targets).toContain(path.join('Group 3', 'image_0001 (2).jpg'))
    expect(targets).toContain(path.join('Cats_Big', 'image_0002 (2).jpg'))
    expect(
      fs.readFileSync(path.join(dest, 'Cats_Big', 'image_0002 (2).jpg')).subarray(0, 2),
    ).toEqual(Buffer.from([0xff, 0xd8]))
    // Undo leaves the files it did not make.
    await undoExport(lib, exportId)
    expect(fs.readFileSync(precious, 'utf8')).toBe('precious')
    expect(fs.readFileSync(late, 'utf8')).toBe('late')
  })

  it('names files from different source folders apart inside one group folder', async () => {
    const { lib, dest, clusterIds } = await fixture()
    const { mergeClusters } = await import('../../src/core/edits')
    mergeClusters(lib, [clusterIds[1]!], clusterIds[0]!)
    const { files } = planExport(lib, { destination: dest, mode: 'copy' })
    const names = files
      .filter((f) => f.target.includes('Cats_Big'))
      .map((f) => path.basename(f.target))
      .sort()
    expect(names).toEqual([
      'image_0001 (2).jpg',
      'image_0001.jpg',
      'image_0002 (2).jpg',
      'image_0002.jpg',
      'image_0003 (2).jpg',
      'image_0003.jpg',
    ])
  })
})

describe('interrupted exports', () => {
  it('cancels between files, then resumes to the end', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await createExport(lib, { destination: dest, mode: 'copy' })
    const controller = new AbortController()
    await expect(
      runExport(lib, exportId, {
        signal: controller.signal,
        onProgress: (done) => done === 4 && controller.abort(),
      }),
    ).rejects.toThrow(/abort/i)
    expect(items(lib, exportId).filter((i) => i.done).length).toBe(4)
    expect(listExports(lib)[0]).toMatchObject({
      state: 'interrupted',
      placed: 4,
      error: 'Cancelled. 4 of 9 files are done: resume or undo the export.',
    })
    const seen: number[] = []
    await runExport(lib, exportId, { onProgress: (done) => seen.push(done) })
    expect(seen[0]).toBe(4)
    expect(seen.at(-1)).toBe(9)
    expect(items(lib, exportId).every((i) => i.done === 1)).toBe(true)
    // Nothing was placed twice: no "(2)" copies.
    expect(items(lib, exportId).some((i) => path.basename(i.target).includes(' (2)'))).toBe(false)
    expect(listExports(lib)[0]).toMatchObject({ state: 'done' })
  })

  it('recognises a file placed just before a crash instead of copying it again', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await createExport(lib, { destination: dest, mode: 'copy' })
    const first = items(lib, exportId)[0]!
    fs.mkdirSync(path.dirname(first.target), { recursive: true })
    fs.copyFileSync(first.source, first.target) // done on disk, not yet in the journal
    await runExport(lib, exportId)
    expect(items(lib, exportId).map((i) => i.target)).toContain(first.target)
    expect(fs.readdirSync(path.dirname(first.target)).length).toBe(3)
  })

  it('undoes a move that was cancelled half-way', async () => {
    const { lib, dest } = await fixture()
    const before = photoPaths(lib)
    const { exportId } = await createExport(lib, { destination: dest, mode: 'move' })
    const controller = new AbortController()
    await expect(
      runExport(lib, exportId, {
        signal: controller.signal,
        onProgress: (done) => done === 3 && controller.abort(),
      }),
    ).rejects.toThrow()
    expect([...photoPaths(lib).values()].filter((p) => p.startsWith(dest))).toHaveLength(3)
    expect(await undoExport(lib, exportId)).toEqual({ reverted: 3, kept: [] })
    expect(photoPaths(lib)).toEqual(before)
    for (const [, file] of before) expect(fs.existsSync(file)).toBe(true)
    await expect(runExport(lib, exportId)).rejects.toThrow('was undone')
  })
})

describe('awkward destinations and sources', () => {
  it('does not put a group folder where a file of that name exists', async () => {
    const { lib, dest } = await fixture()
    fs.mkdirSync(dest, { recursive: true })
    fs.writeFileSync(path.join(dest, 'Group 3'), 'a file, not a folder')
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'copy' })
    expect(fs.readFileSync(path.join(dest, 'Group 3'), 'utf8')).toBe('a file, not a folder')
    expect(fs.readdirSync(path.join(dest, 'Group 3 (2)'))).toHaveLength(3)
    expect(items(lib, exportId)).toHaveLength(9)
  })

  it('skips a photo deleted after planning', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await createExport(lib, { destination: dest, mode: 'copy' })
    const gone = items(lib, exportId)[0]!
    fs.unlinkSync(gone.source)
    expect(await runExport(lib, exportId)).toEqual({ files: 8, skipped: 1 })
    expect(fs.existsSync(gone.target)).toBe(false)
    expect(listExports(lib)[0]).toMatchObject({ state: 'done', files: 8 })
  })

  it('keeps a moved photo in the export when its original place is taken again, and says so', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'move' })
    const blocked = items(lib, exportId)[0]!
    fs.writeFileSync(blocked.source, 'a new file with the old name')
    const result = await undoExport(lib, exportId)
    expect(result.reverted).toBe(8)
    expect(result.kept).toEqual([
      {
        target: blocked.target,
        reason: `${blocked.source} exists again, and Kindred never overwrites a file`,
      },
    ])
    expect(fs.readFileSync(blocked.source, 'utf8')).toBe('a new file with the old name')
    expect(photoPaths(lib).get(blocked.photo_id)).toBe(blocked.target)
    expect(listExports(lib)[0]).toMatchObject({ state: 'failed' })
    // Once the way is clear, undoing again finishes the job.
    fs.unlinkSync(blocked.source)
    expect(await undoExport(lib, exportId)).toEqual({ reverted: 1, kept: [] })
    expect(photoPaths(lib).get(blocked.photo_id)).toBe(blocked.source)
  })
})

describe('a file that cannot be exported', () => {
  it('stops with words a person understands, keeps what is done, and resumes once fixed', async () => {
    const { lib, dest } = await fixture()
    const { exportId } = await createExport(lib, { destination: dest, mode: 'copy' })
    const list = items(lib, exportId)
    const bad = list[4]!
    const saved = fs.readFileSync(bad.source)
    fs.unlinkSync(bad.source)
    fs.mkdirSync(bad.source) // a folder where the photo was: it cannot be copied
    await expect(runExport(lib, exportId)).rejects.toThrow(
      `Could not copy ${bad.source} to ${bad.target}: it is a folder, not a photo.`,
    )
    const record = lib.db
      .prepare(`SELECT state, error FROM exports WHERE id = ?`)
      .get(exportId) as {
      state: string
      error: string
    }
    expect(record.state).toBe('failed')
    expect(record.error).toMatch(/4 of 9 files are done: resume or undo the export\.$/)
    expect(items(lib, exportId).filter((i) => i.done).length).toBe(4)
    expect(fs.existsSync(bad.target)).toBe(false)
    fs.rmdirSync(bad.source)
    fs.writeFileSync(bad.source, saved)
    expect(await runExport(lib, exportId)).toEqual({ files: 9, skipped: 0 })
    expect(fs.readFileSync(bad.target).equals(saved)).toBe(true)
  })
})

describe('after a restart', () => {
  it('undoes a move from the journal alone, after reopening the library', async () => {
    const { lib, libDir, dest } = await fixture()
    const before = photoPaths(lib)
    const { exportId } = await createExport(lib, { destination: dest, mode: 'move' })
    const controller = new AbortController()
    await expect(
      runExport(lib, exportId, {
        signal: controller.signal,
        onProgress: (done) => done === 5 && controller.abort(),
      }),
    ).rejects.toThrow()
    lib.close()
    open.splice(0)
    const again = openLibrary(libDir)
    open.push(again)
    expect(listExports(again)[0]).toMatchObject({
      id: exportId,
      state: 'interrupted',
      files: 9,
      placed: 5,
    })
    expect(await undoExport(again, exportId)).toEqual({ reverted: 5, kept: [] })
    expect(photoPaths(again)).toEqual(before)
    for (const [, file] of before) expect(fs.readFileSync(file).equals(original(file))).toBe(true)
  })
})

describe('file names', () => {
  it('makes photo file names safe for every OS, keeping the extension', async () => {
    const { lib, dest, photosByClass } = await fixture()
    const id = photosByClass[0]![0]!
    const old = photoPaths(lib).get(id)!
    const odd = path.join(path.dirname(old), 'shot: 1? <best>.jpg ')
    fs.renameSync(old, odd)
    lib.db.prepare(`UPDATE photos SET path = ? WHERE id = ?`).run(odd, id)
    const { exportId } = await exportGroups(lib, { destination: dest, mode: 'copy' })
    const item = items(lib, exportId).find((i) => i.photo_id === id)!
    expect(path.basename(item.target)).toBe('shot_ 1_ _best_.jpg')
    expect(fs.readFileSync(item.target).equals(fs.readFileSync(odd))).toBe(true)
  })
})
