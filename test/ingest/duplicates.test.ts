import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exifSample, folderWith, freshLibrary, importInto, photo } from './helpers'

describe('exact duplicates', () => {
  it('groups copies under one representative', async () => {
    const lib = freshLibrary()
    const dir = folderWith({
      'original.jpg': exifSample('Nikon_D70.jpg'),
      'copy.jpg': exifSample('Nikon_D70.jpg'),
      'nested/another copy.jpg': exifSample('Nikon_D70.jpg'),
      'different.jpg': exifSample('Sony_HDR-HC3.jpg'),
    })
    const summary = await importInto(lib, [dir])
    expect(summary).toMatchObject({ imported: 4, duplicates: 2 })

    const copies = ['original.jpg', 'copy.jpg', 'nested/another copy.jpg'].map((name) =>
      photo(lib, path.join(dir, name)),
    )
    const representative = copies.filter((row) => row.duplicate_of === null)
    expect(representative).toHaveLength(1)
    const repId = representative[0]!.id
    for (const row of copies) if (row.id !== repId) expect(row.duplicate_of).toBe(repId)
    expect(new Set(copies.map((row) => row.hash)).size).toBe(1)
    expect(photo(lib, path.join(dir, 'different.jpg')).duplicate_of).toBeNull()

    // The representative's file goes away: another copy takes over, none points to a gone row.
    const repPath = copies.find((row) => row.id === repId)!.path
    fs.rmSync(repPath)
    const again = await importInto(lib, [dir])
    expect(again.missing).toBe(1)
    const left = copies.filter((row) => row.id !== repId).map((row) => photo(lib, row.path))
    const newRep = Math.min(...left.map((row) => row.id))
    expect(left.find((row) => row.id === newRep)!.duplicate_of).toBeNull()
    for (const row of left) if (row.id !== newRep) expect(row.duplicate_of).toBe(newRep)
    expect(photo(lib, repPath)).toMatchObject({ status: 'missing', duplicate_of: null })
  })

  it('shares one thumbnail file between copies', async () => {
    const lib = freshLibrary()
    const dir = folderWith({
      'a.jpg': exifSample('Canon_40D.jpg'),
      'b.jpg': exifSample('Canon_40D.jpg'),
    })
    await importInto(lib, [dir])
    const files = lib.db.prepare(`SELECT DISTINCT file FROM thumbnails`).pluck().all()
    expect(files).toHaveLength(1)
  })
})
