import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { exifSample, folderWith, freshLibrary, importInto } from './helpers'

describe('a library that cannot be written', () => {
  it('stops the import with a clear error instead of failing every photo', async () => {
    const lib = freshLibrary()
    const dir = folderWith({
      'a.jpg': exifSample('Canon_40D.jpg'),
      'b.jpg': exifSample('Nikon_D70.jpg'),
    })
    // A file where the thumbnail folder should be: writing any thumbnail fails, even as root.
    fs.rmSync(lib.thumbnailDir, { recursive: true })
    fs.writeFileSync(lib.thumbnailDir, 'not a folder')
    await expect(importInto(lib, [dir])).rejects.toThrow(
      `Cannot write thumbnails to ${lib.thumbnailDir}`,
    )
    expect(
      lib.db.prepare(`SELECT COUNT(*) FROM photos WHERE status = 'failed'`).pluck().get(),
    ).toBe(0)
    expect(fs.readdirSync(dir).sort()).toEqual(['a.jpg', 'b.jpg'])
  })
})
