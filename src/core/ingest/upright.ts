import sharp, { type OutputInfo, type Sharp } from 'sharp'
import { INPUT_SIZE } from '../ml/backbone/constants'
import { toRgb } from '../ml/embed/preprocess'

export const THUMBNAIL_SIZE = 256

/** A photo decoded once, upright, with its short side at most THUMBNAIL_SIZE (raw pixels). */
export interface Upright {
  data: Buffer
  info: OutputInfo
}

/**
 * Decodes the photo once, shrunk on load (JPEG DCT scaling / WebP shrink: a 12 MP JPEG is
 * decoded at 1/8 size), upright (EXIF orientation applied), short side at most 256.
 */
export async function decodeUpright(input: Buffer | string, maxPixels: number): Promise<Upright> {
  return sharp(input, { failOn: 'error', limitInputPixels: maxPixels })
    .rotate()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'outside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
}

export function uprightImage({ data, info }: Upright): Sharp {
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
}

/**
 * The 224×224 RGB pixels embedding feeds the backbone, cut from the one decode. They are the
 * pixels a decode of the original gives whenever its short side is 256 or less.
 */
export function networkPixelsOf(upright: Upright): Promise<Buffer> {
  return toRgb(uprightImage(upright))
}

/** Those pixels as a lossless WebP, the network input import stores. */
export async function networkInputOf(upright: Upright): Promise<Buffer> {
  const pixels = await networkPixelsOf(upright)
  return sharp(pixels, { raw: { width: INPUT_SIZE, height: INPUT_SIZE, channels: 3 } })
    .webp({ lossless: true, effort: 0 })
    .toBuffer()
}
