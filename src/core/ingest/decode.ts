import fs from 'node:fs/promises'
import path from 'node:path'
import sharp, { type Metadata } from 'sharp'
import { readExif, type PhotoExif } from './exif'
import { readHead, type PhotoSource } from './read'
import { DecodeGate } from './gate'
import { decodeUpright, networkInputOf, THUMBNAIL_SIZE, uprightImage } from './upright'
import {
  cleanMessage,
  decodeReason,
  describeUnknownContent,
  HEVC_REASON,
  notAPhotoReason,
  SUPPORTED_FORMATS,
} from './reasons'

export { THUMBNAIL_SIZE }

/**
 * The network's input for a thumbnail file (`ab/<hash>.webp` → `ab/<hash>.input.webp`): the
 * 224×224 pixels embedding feeds the backbone, cut at import from the same decode as the
 * thumbnail and stored losslessly, so embedding never decodes the original again. They are the
 * pixels a decode of the original gives whenever its short side is 256 or less.
 */
export function networkInputFile(thumbnailFile: string): string {
  return thumbnailFile.replace(/\.webp$/, '.input.webp')
}

/** What earlier versions stored instead (short side 256, JPEG): read when an original is gone. */
export function legacyInputFile(thumbnailFile: string): string {
  return thumbnailFile.replace(/\.webp$/, '.input.jpg')
}

/** sharp's own default (0x3FFF²): decoding more than this could exhaust memory. */
export const DEFAULT_MAX_PIXELS = 268_402_689

export interface DecodedPhoto {
  format: string
  /** Upright (displayed) size, after the EXIF orientation is applied. */
  width: number
  height: number
  orientation: number | null
  exif: PhotoExif
  thumbnail: { file: string; width: number; height: number; bytes: number }
}

export type DecodeResult = { ok: true; photo: DecodedPhoto } | { ok: false; error: string }

const DECODABLE = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif'])

/**
 * Reads the header, EXIF, and writes the thumbnail (`<hash[0:2]>/<hash>.webp` under
 * `thumbnailDir`, so copies and moved files share one). Never throws: failures become reasons.
 */
export async function decodeAndThumbnail(
  source: PhotoSource,
  thumbnailDir: string,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<DecodeResult> {
  if (source.size === 0) {
    return { ok: false, error: 'Empty file (0 bytes): there is no image in it.' }
  }
  const first = await gate.shared(() => attempt(source, thumbnailDir, maxPixels))
  if ('result' in first) return first.result
  // The failure's message may be another photo's (see DecodeGate): decode again alone.
  const again = await gate.exclusive(() => attempt(source, thumbnailDir, maxPixels))
  if ('result' in again) return again.result
  return { ok: false, error: await failureReason(again.error, source, again.meta) }
}

const gate = new DecodeGate()

/** The library cannot be written (disk full, read-only): that stops the import, not one photo. */
export class LibraryWriteError extends Error {}

type Attempt = { result: DecodeResult } | { error: unknown; meta?: Metadata }

async function attempt(
  source: PhotoSource,
  thumbnailDir: string,
  maxPixels: number,
): Promise<Attempt> {
  let meta: Metadata | undefined
  try {
    meta = await sharp(source.data, { failOn: 'error', limitInputPixels: false }).metadata()
    const refused = refusal(meta, maxPixels)
    if (refused) return { result: { ok: false, error: refused } }
    const thumbnail = await writeThumbnail(source, thumbnailDir, maxPixels)
    const upright = (meta.orientation ?? 1) >= 5
    const photo: DecodedPhoto = {
      format: formatName(meta),
      width: upright ? meta.height! : meta.width!,
      height: upright ? meta.width! : meta.height!,
      orientation: meta.orientation ?? null,
      exif: await readExif(source.data),
      thumbnail,
    }
    return { result: { ok: true, photo } }
  } catch (error) {
    if (error instanceof LibraryWriteError) throw error
    return { error, meta }
  }
}

async function failureReason(
  error: unknown,
  source: PhotoSource,
  meta: Metadata | undefined,
): Promise<string> {
  if (meta?.format === 'heif' && meta.compression === 'hevc') return HEVC_REASON
  if (/unsupported image format/i.test(String(error))) {
    const head = await readHead(source.data).catch(() => Buffer.alloc(0))
    return notAPhotoReason(describeUnknownContent(head))
  }
  if (/^(unknown error)?$/i.test(cleanMessage(error).trim())) {
    const name = meta?.format ? `${meta.format.toUpperCase()} ` : ''
    return `Damaged ${name}image: it could not be decoded (the decoder gave no details).`
  }
  return decodeReason(error)
}

function refusal(meta: Metadata, maxPixels: number): string | null {
  if (!DECODABLE.has(meta.format ?? '')) {
    const name = (meta.format ?? 'unknown').toUpperCase()
    const why =
      meta.format === 'svg' ? 'a vector drawing, not a photo' : 'not a supported photo format'
    return `Unsupported format: ${name} is ${why} (Kindred imports ${SUPPORTED_FORMATS}).`
  }
  if (!meta.width || !meta.height) return 'Corrupt image: the header gives no image size.'
  const pixels = meta.width * meta.height
  if (pixels > maxPixels) {
    const mp = (n: number) => `${(n / 1e6).toFixed(1)} megapixels`
    return `Image too large: ${meta.width}×${meta.height} (${mp(pixels)}) is over the ${mp(maxPixels)} Kindred decodes.`
  }
  return null
}

function formatName(meta: Metadata): string {
  if (meta.format !== 'heif') return meta.format ?? 'unknown'
  return meta.compression === 'av1' ? 'avif' : 'heic'
}

/** Writes the thumbnail (long side 256) and the network input, both cut from one decode. */
async function writeThumbnail(source: PhotoSource, thumbnailDir: string, maxPixels: number) {
  const relative = path.join(source.hash.slice(0, 2), `${source.hash}.webp`)
  const target = path.join(thumbnailDir, relative)
  const upright = await decodeUpright(source.data, maxPixels)
  const [{ data, info }, input] = await Promise.all([
    uprightImage(upright)
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80, effort: 2 })
      .toBuffer({ resolveWithObject: true }),
    networkInputOf(upright),
  ])
  try {
    await fs.mkdir(path.dirname(target), { recursive: true })
    await fs.writeFile(target, data)
    await fs.writeFile(path.join(thumbnailDir, networkInputFile(relative)), input)
  } catch (error) {
    throw new LibraryWriteError(
      `Cannot write thumbnails to ${thumbnailDir}: ${cleanMessage(error)}`,
    )
  }
  return { file: relative, width: info.width, height: info.height, bytes: data.length }
}
