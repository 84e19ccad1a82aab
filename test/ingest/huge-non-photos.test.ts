/**
 * A huge file that is no photo (a disk image or a video named .jpg) is judged by its first
 * bytes, never read or hashed in full, and not opened again on the next import while its size
 * and modification time stay the same.
 */
import fsp from 'node:fs/promises'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { exifSample, folderWith, freshLibrary, importInto, photo } from './helpers'

const GB = 1024 ** 3

afterEach(() => {
  vi.restoreAllMocks()
})

/** Counts the opens and whole-file reads of `file` made while `task` runs. */
async function readsOf<T>(
  file: string,
  task: () => Promise<T>,
): Promise<{ result: T; opens: number; wholeReads: number }> {
  const open = vi.spyOn(fsp, 'open')
  const readFile = vi.spyOn(fsp, 'readFile')
  try {
    const result = await task()
    const count = (spy: typeof open | typeof readFile) =>
      spy.mock.calls.filter(([name]) => String(name) === file).length
    return { result, opens: count(open), wholeReads: count(readFile) }
  } finally {
    open.mockRestore()
    readFile.mockRestore()
  }
}

describe('huge files that are not photos', () => {
  it('are refused from their header, and not read again while unchanged', async () => {
    const dir = folderWith({ 'real.jpg': exifSample('Canon_40D.jpg') })
    const huge = path.join(dir, 'disk-image.jpg')
    fs.writeFileSync(huge, '')
    fs.truncateSync(huge, 8 * GB) // sparse: instant, and no disk space
    const video = path.join(dir, 'clip.jpg')
    const header = Buffer.alloc(32)
    header.writeUInt32BE(24, 0)
    header.write('ftypisom\0\0\x02\0isomiso2', 4, 'latin1')
    fs.writeFileSync(video, header)
    fs.truncateSync(video, 2 * GB)
    const lib = freshLibrary()

    const first = await readsOf(huge, () => importInto(lib, [dir]))
    expect(first.result.imported).toBe(1)
    expect(first.opens).toBe(1) // the header, and nothing more
    expect(first.wholeReads).toBe(0)
    const reason = (file: string) => first.result.failed.find((f) => f.path === file)?.error
    expect(reason(huge)).toBe(
      'Not a photo: the file contains data of an unknown kind, not JPEG, PNG, WebP, AVIF, TIFF, GIF or HEIC/HEIF.',
    )
    expect(reason(video)).toMatch(/^Not a photo: the file contains a video or other ISO media file/)
    expect(photo(lib, huge)).toMatchObject({ status: 'failed', hash: null, size: 8 * GB })

    const second = await readsOf(huge, () => importInto(lib, [dir]))
    expect(second.opens).toBe(0)
    expect(second.wholeReads).toBe(0)
    expect(second.result).toMatchObject({ imported: 0, updated: 0, unchanged: 1 })
    expect(second.result.failed.map((f) => [path.basename(f.path), f.error])).toEqual([
      ['clip.jpg', reason(video)],
      ['disk-image.jpg', reason(huge)],
    ])

    // Once the file changes, it is judged again (from its header only).
    fs.utimesSync(huge, new Date(), new Date(Date.now() + 5000))
    const third = await readsOf(huge, () => importInto(lib, [dir]))
    expect(third.opens).toBe(1)
    expect(third.wholeReads).toBe(0)
    expect(photo(lib, huge).status).toBe('failed')
  })

  it('still reads a small file again when its failure may pass (a damaged photo)', async () => {
    const dir = folderWith({ 'damaged.jpg': exifSample('Canon_40D.jpg') })
    const file = path.join(dir, 'damaged.jpg')
    fs.truncateSync(file, 2000)
    const lib = freshLibrary()
    await importInto(lib, [dir])
    expect(photo(lib, file).status).toBe('failed')
    const again = await readsOf(file, () => importInto(lib, [dir]))
    expect(again.wholeReads).toBe(1)
  })
})
