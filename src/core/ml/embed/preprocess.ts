import sharp, { type Sharp } from 'sharp'
import { INPUT_SIZE } from '../backbone/constants'

/** 224×224 RGB pixels of one view, row-major, 3 bytes per pixel. */
export type Pixels = Uint8Array

/** An augmented view: a crop of the upright photo, maybe mirrored (see augment.ts). */
export interface Crop {
  /** Fractions of the upright image: left, top, width, height in [0, 1]. */
  left: number
  top: number
  width: number
  height: number
  flip: boolean
}

/** The backbone's input: `image` centre-cropped and resized to 224×224 RGB. */
export function toRgb(image: Sharp): Promise<Buffer> {
  return image
    .resize(INPUT_SIZE, INPUT_SIZE) // default fit 'cover', centre
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer()
}

/** The photo upright (EXIF orientation applied), centre-cropped and resized to 224×224 RGB. */
export async function decodeNetworkPixels(file: string | Buffer): Promise<Pixels> {
  return toRgb(sharp(file, { failOn: 'none' }).rotate())
}

/** The 224×224 input import stored (lossless): the exact pixels, or an error if it isn't one. */
export async function decodeStoredInput(file: string): Promise<Pixels> {
  const { data, info } = await sharp(file, { failOn: 'error' })
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  if (info.width !== INPUT_SIZE || info.height !== INPUT_SIZE || info.channels !== 3)
    throw new Error(`not a ${INPUT_SIZE}×${INPUT_SIZE} network input: ${file}`)
  return data
}

/** The input earlier versions stored (upright, short side ≤ 256, JPEG): resized like a photo. */
export async function decodeInput(file: string): Promise<Pixels> {
  return toRgb(sharp(file, { failOn: 'error' }))
}

/**
 * View 0 (the plain photo) plus augmented crops. View 0 is always `decodeNetworkPixels`, so it does
 * not depend on how many views are asked for; the crops share one decode, shrunk on load to
 * at most twice the input size (enough pixels for any crop that is later resized to 224).
 */
export async function decodeViews(
  file: string | Buffer,
  crops: readonly Crop[],
): Promise<Pixels[]> {
  const [plain, views] = await Promise.all([decodeNetworkPixels(file), decodeCrops(file, crops)])
  return [plain, ...views]
}

/** Only the augmented crops (for photos whose view 0 is already stored). */
export async function decodeCrops(
  file: string | Buffer,
  crops: readonly Crop[],
): Promise<Pixels[]> {
  if (crops.length === 0) return []
  const { data, info } = await sharp(file, { failOn: 'none' })
    .rotate()
    .resize(2 * INPUT_SIZE, 2 * INPUT_SIZE, { fit: 'outside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  const upright = () =>
    sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
  return Promise.all(
    crops.map((crop) => {
      const left = Math.min(info.width - 1, Math.floor(crop.left * info.width))
      const top = Math.min(info.height - 1, Math.floor(crop.top * info.height))
      const width = Math.max(1, Math.min(info.width - left, Math.round(crop.width * info.width)))
      const height = Math.max(1, Math.min(info.height - top, Math.round(crop.height * info.height)))
      let image = upright().extract({ left, top, width, height })
      if (crop.flip) image = image.flop()
      return toRgb(image)
    }),
  )
}

/** Packs views into a [-1, 1] float32 NHWC batch (x / 127.5 − 1). */
export function toInputBatch(views: readonly Pixels[]): Float32Array {
  const per = INPUT_SIZE * INPUT_SIZE * 3
  const out = new Float32Array(views.length * per)
  views.forEach((pixels, n) => {
    if (pixels.length !== per) throw new Error(`a view has ${pixels.length} bytes, expected ${per}`)
    const base = n * per
    for (let i = 0; i < per; i++) out[base + i] = (pixels[i] as number) / 127.5 - 1
  })
  return out
}
