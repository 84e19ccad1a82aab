import fs from 'node:fs'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Library } from '../../src/core/store/library'
import { exifSample, formatSample, freshLibrary, importInto, photo, thumbnailPath } from './helpers'

describe('capture dates, GPS and camera from EXIF', () => {
  let lib: Library
  beforeAll(async () => {
    lib = freshLibrary()
    await importInto(lib, [exifSample('gps'), exifSample('orientation')])
  })

  it('reads DateTimeOriginal, GPS and the camera model', () => {
    const row = photo(lib, exifSample('gps', 'DSCN0010.jpg'))
    expect(row.status).toBe('ok')
    expect(row.taken_at_source).toBe('exif')
    // EXIF times carry no zone: 2008:10:22 16:28:39 is read as local time.
    expect(row.taken_at).toBe(new Date(2008, 9, 22, 16, 28, 39).getTime())
    expect(row.gps_lat).toBeCloseTo(43.46745, 4)
    expect(row.gps_lon).toBeCloseTo(11.88513, 4)
    expect(row.camera).toBe('NIKON COOLPIX P6000')
  })

  it('reads a position for every photo of the GPS set', () => {
    const rows = lib.db
      .prepare(`SELECT gps_lat, gps_lon, taken_at_source FROM photos WHERE path LIKE ?`)
      .all(`${exifSample('gps')}/%.jpg`) as {
      gps_lat: number
      gps_lon: number
      taken_at_source: string
    }[]
    expect(rows).toHaveLength(9)
    for (const row of rows) {
      expect(row.gps_lat).toBeGreaterThan(43.4)
      expect(row.gps_lon).toBeGreaterThan(11.8)
      expect(row.taken_at_source).toBe('exif')
    }
  })

  it('falls back to the file time when there is no capture date', () => {
    const file = exifSample('orientation', 'landscape_1.jpg')
    const row = photo(lib, file)
    expect(row.taken_at_source).toBe('mtime')
    expect(row.taken_at).toBe(Math.trunc(fs.statSync(file).mtimeMs))
    expect(row.gps_lat).toBeNull()
    expect(row.camera).toBeNull()
  })
})

describe('formats', () => {
  let lib: Library
  beforeAll(async () => {
    lib = freshLibrary()
    await importInto(lib, [sharedFormats(), exifSample('tiff')])
  })
  const sharedFormats = () => formatSample('.')

  it.each([
    ['4.webp', 'webp'],
    ['animated-loop-3.webp', 'webp'],
    ['animated-loop-3.gif', 'gif'],
    ['pitm.avif', 'avif'],
    ['16-bit-grey-alpha.png', 'png'],
    ['Flag_of_the_Netherlands-16bit.png', 'png'],
    ['with-alpha.png', 'png'],
    ['Channel_digital_image_CMYK_color.jpg', 'jpeg'],
    ['G31D.TIF', 'tiff'],
  ])('imports %s as %s with a WebP thumbnail', async (name, format) => {
    const row = photo(lib, formatSample(name))
    expect(row.status, row.error ?? '').toBe('ok')
    expect(row.format).toBe(format)
    const meta = await sharp(thumbnailPath(lib, row.id)).metadata()
    expect(meta.format).toBe('webp')
    expect(Math.max(meta.width!, meta.height!)).toBe(
      Math.min(256, Math.max(row.width!, row.height!)),
    )
  })

  it('takes the first frame of an animation', async () => {
    const row = photo(lib, formatSample('animated-loop-3.gif'))
    const meta = await sharp(thumbnailPath(lib, row.id)).metadata()
    expect(meta.pages ?? 1).toBe(1)
    expect([row.width, row.height]).toEqual([370, 285])
  })

  it('imports TIFF photos', () => {
    const rows = lib.db
      .prepare(`SELECT status FROM photos WHERE path LIKE ?`)
      .pluck()
      .all(`${exifSample('tiff')}/%`)
    expect(rows).toHaveLength(8)
    expect(new Set(rows)).toEqual(new Set(['ok']))
  })
})
