import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { augmentationsFor, viewSeed } from '../../../src/core/ml/embed/augment'
import {
  decodeNetworkPixels,
  decodeViews,
  toInputBatch,
} from '../../../src/core/ml/embed/preprocess'
import { sharedPath } from '../../helpers/shared'

const VIEW_BYTES = 224 * 224 * 3

describe('photo preprocessing', () => {
  it.each([
    '16-bit-grey-alpha.png',
    'Channel_digital_image_CMYK_color.jpg',
    'animated-loop-3.gif',
    'with-alpha.png',
    'Landscape_6.jpg',
  ])('turns %s into 224×224 RGB views', async (name) => {
    const views = await decodeViews(sharedPath('fixtures', 'formats', name), augmentationsFor(7, 2))
    expect(views).toHaveLength(3)
    for (const v of views) expect(v.length).toBe(VIEW_BYTES)
    expect(views[0]).toEqual(await decodeNetworkPixels(sharedPath('fixtures', 'formats', name)))
  })

  it('mirrors view 1 exactly and keeps augmentations stable per photo', async () => {
    const file = sharedPath('datasets', 'caltech20', 'bonsai', 'image_0001.jpg')
    const [plain, mirrored] = await decodeViews(file, augmentationsFor(1, 1))
    // Pixel (row 100, col 10) of the mirror is pixel (row 100, col 213) of the photo.
    const at = (v: Uint8Array, r: number, c: number) =>
      Array.from(v.subarray((r * 224 + c) * 3, (r * 224 + c) * 3 + 3))
    expect(at(mirrored!, 100, 10)).toEqual(at(plain!, 100, 213))
    expect(augmentationsFor(42, 3)).toEqual(augmentationsFor(42, 3))
    expect(augmentationsFor(42, 3)).not.toEqual(augmentationsFor(43, 3))
    // Views follow the photo's content, not the id import gave it.
    const hash = 'a3f9c2e1'.padEnd(64, '0')
    expect(viewSeed({ id: 5, hash })).toBe(viewSeed({ id: 900, hash }))
    expect(viewSeed({ id: 5, hash })).toBe(0xa3f9c2e1)
    expect(viewSeed({ id: 5, hash: null })).toBe(5)
  })

  it('decodes photos upright from their EXIF orientation', async () => {
    const dir = sharedPath('fixtures', 'exif-samples', 'orientation')
    const reference = await decodeNetworkPixels(`${dir}/landscape_1.jpg`)
    const meanDiff = (a: Uint8Array, b: Uint8Array) =>
      a.reduce((s, v, i) => s + Math.abs(v - (b[i] as number)), 0) / a.length
    // The samples differ only by JPEG loss and the orientation digit drawn on them.
    for (const n of [2, 3, 4, 5, 6, 7, 8]) {
      expect(
        meanDiff(await decodeNetworkPixels(`${dir}/landscape_${n}.jpg`), reference),
      ).toBeLessThan(8)
    }
    const sideways = await sharp(`${dir}/landscape_6.jpg`).resize(224, 224).raw().toBuffer()
    expect(meanDiff(sideways, reference)).toBeGreaterThan(40)
  })

  it('scales pixels to [-1, 1]', () => {
    const pixels = new Uint8Array(VIEW_BYTES)
    pixels[0] = 255
    const batch = toInputBatch([pixels])
    expect(batch[0]).toBeCloseTo(1, 6)
    expect(batch[1]).toBeCloseTo(-1, 6)
  })
})
