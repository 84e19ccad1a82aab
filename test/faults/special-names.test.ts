/**
 * File names that are not valid UTF-8 (an old Latin-1 disk, a camera card): Linux allows any
 * bytes, so a photo under such a name is imported, stored so that its path converts back to the
 * same bytes, shown with a readable name, decoded for the model, served to the viewer, exported
 * and moved back by an undo.
 */
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createRun, finishRun } from '../../src/core/clusters'
import { resolvePhotoFile } from '../../src/core/engine/photo-files'
import { exportGroups, undoExport } from '../../src/core/export'
import { listFailures } from '../../src/core/library'
import { bytesOfPath, imageInput, osPath, readablePath } from '../../src/core/library/paths'
import { decodeViews } from '../../src/core/ml/embed/preprocess'
import type { Library } from '../../src/core/store/library'
import { tempDir } from '../helpers/tmp'
import { exifSample, fileTempDir, freshLibrary, importInto } from '../ingest/helpers'

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))

describe('names that are not valid UTF-8', () => {
  let lib: Library
  let dir: string
  let cafe: Buffer // "<dir>/caf\xE9.jpg" in Latin-1
  let inner: Buffer // "<dir>/\xFF\xFE odd/inner.jpg"
  const photo = exifSample('Canon_40D.jpg')
  const rows = () =>
    lib.db.prepare(`SELECT id, path, status FROM photos ORDER BY id`).all() as {
      id: number
      path: string
      status: string
    }[]
  const rowFor = (name: Buffer) => rows().find((r) => bytesOfPath(r.path).equals(name))!

  beforeAll(async () => {
    dir = fileTempDir('kindred-names-')
    cafe = bytes(dir, '/caf', [0xe9], '.jpg')
    inner = bytes(dir, '/', [0xff, 0xfe], ' odd')
    fs.writeFileSync(cafe, fs.readFileSync(photo))
    fs.mkdirSync(inner)
    inner = Buffer.concat([inner, Buffer.from('/inner.jpg')])
    fs.writeFileSync(inner, fs.readFileSync(exifSample('Nikon_D70.jpg')))
    fs.writeFileSync(bytes(dir, '/broken', [0xe9], '.jpg'), 'not a photo')
    lib = freshLibrary()
  })

  it('imports them, storing paths that open the very same files', async () => {
    // Node's own text names turn the byte into U+FFFD: a path that opens nothing.
    expect(fs.readdirSync(dir)).toContain('caf\uFFFD.jpg')
    expect(fs.existsSync(path.join(dir, 'caf\uFFFD.jpg'))).toBe(false)

    const summary = await importInto(lib, [dir])
    expect(summary.imported).toBe(2)
    expect(summary.failed.map((f) => [readablePath(f.path), f.error])).toEqual([
      [
        path.join(dir, 'brokené.jpg'),
        expect.stringMatching(/^Not a photo: the file contains text/),
      ],
    ])
    for (const name of [cafe, inner]) {
      const row = rowFor(name)
      expect(row.status).toBe('ok')
      expect(fs.readFileSync(osPath(row.path)).equals(fs.readFileSync(name))).toBe(true)
    }
    expect(readablePath(rowFor(cafe).path)).toBe(path.join(dir, 'café.jpg'))
    expect(readablePath(rowFor(inner).path)).toBe(path.join(dir, 'ÿþ odd', 'inner.jpg'))
    expect(listFailures(lib).items.map((i) => i.path)).toEqual([path.join(dir, 'brokené.jpg')])

    const again = await importInto(lib, [dir])
    expect(again).toMatchObject({ imported: 0, unchanged: 2, missing: 0 })
  })

  it('decodes them for the model and serves them to the viewer', async () => {
    const row = rowFor(cafe)
    const [pixels] = await decodeViews(await imageInput(row.path), [])
    expect(pixels!.length).toBe(224 * 224 * 3)
    const served = resolvePhotoFile(lib, row.id, 'full')
    expect(served.size).toBe(fs.statSync(cafe).size)
    expect(fs.readFileSync(osPath(served.path)).equals(fs.readFileSync(photo))).toBe(true)
  })

  it('exports them under a readable name, and an undone move puts back the exact name', async () => {
    const ids = rows()
      .filter((r) => r.status === 'ok')
      .map((r) => r.id)
    const run = createRun(lib.db, 'test-model', {})
    finishRun(lib.db, run, { photoIds: ids, probs: new Float32Array(ids.map(() => 1)), k: 1 })

    const copies = path.join(tempDir(), 'Sorted')
    const copied = await exportGroups(lib, { destination: copies, mode: 'copy' })
    expect(copied.files).toBe(2)
    expect(fs.readdirSync(path.join(copies, 'Group 1')).sort()).toEqual(['café.jpg', 'inner.jpg'])
    expect(
      fs.readFileSync(path.join(copies, 'Group 1', 'café.jpg')).equals(fs.readFileSync(photo)),
    ).toBe(true)
    // Times are set as seconds in a double (Node has no nanosecond utimes): within a microsecond
    // or so, not to the nanosecond (once 0.73 µs off).
    expect(fs.statSync(path.join(copies, 'Group 1', 'café.jpg')).mtimeMs).toBeCloseTo(
      fs.statSync(cafe).mtimeMs,
      2,
    )

    const moved = path.join(tempDir(), 'Moved')
    const { exportId } = await exportGroups(lib, { destination: moved, mode: 'move' })
    expect(fs.existsSync(cafe)).toBe(false)
    expect(readablePath(rowFor(Buffer.from(path.join(moved, 'Group 1', 'café.jpg'))).path)).toBe(
      path.join(moved, 'Group 1', 'café.jpg'),
    )
    expect(await undoExport(lib, exportId)).toEqual({ reverted: 2, kept: [] })
    expect(fs.readFileSync(cafe).equals(fs.readFileSync(photo))).toBe(true)
    expect(fs.existsSync(inner)).toBe(true)
    expect(rowFor(cafe).status).toBe('ok')
  })
})
