import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Library } from '../../src/core/store/library'
import { exifSample, freshLibrary, importInto, photo, thumbnailPath } from './helpers'

/** Mean absolute difference per channel value (0..255) of two equally sized images. */
async function meanAbsDiff(a: Sharp, b: Sharp): Promise<number> {
  const [x, y] = await Promise.all([a.raw().toBuffer(), b.raw().toBuffer()])
  expect(x.length).toBe(y.length)
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!)
  return sum / x.length
}

const rgb = (file: string) => sharp(file).removeAlpha().toColourspace('srgb')

describe('thumbnails are upright for all eight EXIF orientations', () => {
  let lib: Library
  beforeAll(async () => {
    lib = freshLibrary()
    const summary = await importInto(lib, [exifSample('orientation')])
    expect(summary.imported).toBe(16)
  })

  for (const shape of ['landscape', 'portrait']) {
    for (let orientation = 2; orientation <= 8; orientation++) {
      it(`${shape}_${orientation} matches ${shape}_1`, async () => {
        const reference = photo(lib, exifSample('orientation', `${shape}_1.jpg`))
        const rotated = photo(lib, exifSample('orientation', `${shape}_${orientation}.jpg`))
        expect(rotated.orientation).toBe(orientation)
        expect([rotated.width, rotated.height]).toEqual([reference.width, reference.height])

        const refThumb = thumbnailPath(lib, reference.id)
        const thumb = thumbnailPath(lib, rotated.id)
        const meta = await sharp(thumb).metadata()
        expect(Math.max(meta.width!, meta.height!)).toBe(256)
        expect(path.extname(thumb)).toBe('.webp')

        const right = await meanAbsDiff(rgb(thumb), rgb(refThumb))
        // The same picture turned the wrong way (180°) is what a missed orientation looks like.
        const wrong = await meanAbsDiff(rgb(thumb), rgb(refThumb).rotate(180))
        expect(right).toBeLessThan(12)
        expect(wrong).toBeGreaterThan(3 * right)
      })
    }
  }
})
