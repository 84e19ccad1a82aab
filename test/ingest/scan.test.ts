import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanFolder } from '../../src/core/ingest/scan'
import { openLibrary } from '../../src/core/store/library'
import { exifSample, fileTempDir, folderWith, freshLibrary, importInto } from './helpers'

describe('folder scan', () => {
  it('finds photos in nested folders', async () => {
    const dir = folderWith({
      'top.jpg': exifSample('Canon_40D.jpg'),
      'a/b/c/deep.jpg': exifSample('Nikon_D70.jpg'),
    })
    const result = await scanFolder(dir)
    expect(result.files.map((f) => path.relative(dir, f.path))).toEqual([
      'a/b/c/deep.jpg',
      'top.jpg',
    ])
    expect(result.files[0]!.size).toBe(fs.statSync(exifSample('Nikon_D70.jpg')).size)
  })

  it('detects a symbolic link loop instead of following it forever', async () => {
    const dir = folderWith({ 'photos/one.jpg': exifSample('Canon_40D.jpg') })
    fs.symlinkSync('..', path.join(dir, 'photos', 'back-to-top'))
    fs.symlinkSync(path.join(dir, 'photos'), path.join(dir, 'photos', 'itself'))
    const lib = freshLibrary()
    const summary = await importInto(lib, [dir])
    expect(summary.imported).toBe(1)
    const loops = summary.failed.filter((f) => /Symbolic link loop/.test(f.error))
    expect(loops.map((f) => path.basename(f.path)).sort()).toEqual(['back-to-top', 'itself'])
  })

  it('follows links to folders outside, once', async () => {
    const outside = folderWith({ 'elsewhere.jpg': exifSample('Sony_HDR-HC3.jpg') })
    const dir = fileTempDir()
    fs.symlinkSync(outside, path.join(dir, 'link-1'))
    fs.symlinkSync(outside, path.join(dir, 'link-2'))
    const result = await scanFolder(dir)
    expect(result.files).toHaveLength(1)
    expect(result.problems).toEqual([])
  })

  it('never imports the library itself when it lies inside a photo folder', async () => {
    const dir = folderWith({ 'one.jpg': exifSample('Canon_40D.jpg') })
    const lib = openLibrary(path.join(dir, 'Kindred Library'))
    try {
      const first = await importInto(lib, [dir])
      const second = await importInto(lib, [dir])
      expect(first).toMatchObject({ imported: 1, failed: [] })
      expect(second).toMatchObject({ imported: 0, unchanged: 1, failed: [] })
    } finally {
      lib.close()
    }
  })
})
