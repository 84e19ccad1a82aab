import fs from 'node:fs/promises'
import path from 'node:path'
import sharp, { type Metadata } from 'sharp'
import { readExif, type PhotoExif } from './exif'
import { readHead, type PhotoSource } from './read'
import {
  decodeReason,
  describeUnknownContent,
  HEVC_REASON,
  notAPhotoReason,
  SUPPORTED_FORMATS,
} from './reasons'

export const THUMBNAIL_SIZE = 256
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
export async function decodePhoto(
  source: PhotoSource,
  thumbnailDir: string,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<DecodeResult> {
  if (source.size === 0)
    return { ok: false, error: 'Empty file (0 bytes): there is no image in it.' }
  let meta: Metadata | undefined
  try {
    meta = await sharp(source.data, { failOn: 'error', limitInputPixels: false }).metadata()
    const refused = refusal(meta, maxPixels)
    if (refused) return { ok: false, error: refused }
    const thumbnail = await writeThumbnail(source, thumbnailDir, maxPixels)
    const upright = (meta.orientation ?? 1) >= 5
    return {
      ok: true,
      photo: {
        format: formatName(meta),
        width: upright ? meta.height! : meta.width!,
        height: upright ? meta.width! : meta.height!,
        orientation: meta.orientation ?? null,
        exif: await readExif(source.data),
        thumbnail,
      },
    }
  } catch (error) {
    return { ok: false, error: await failureReason(error, source, meta, thumbnailDir, maxPixels) }
  }
}

async function failureReason(
  error: unknown,
  source: PhotoSource,
  meta: Metadata | undefined,
  thumbnailDir: string,
  maxPixels: number,
): Promise<string> {
  if (meta?.format === 'heif' && meta.compression === 'hevc') return HEVC_REASON
  if (/unsupported image format/i.test(String(error))) {
    return notAPhotoReason(
      describeUnknownContent(await readHead(source.data).catch(() => Buffer.alloc(0))),
    )
  }
  // libvips keeps one error log for all its threads, so a message read while other photos were
  // decoding can be lost or mixed up. Decoding again alone (a few tries) gives this file's own.
  let detail = error
  for (let attempt = 0; attempt < 3 && !hasDetail(detail); attempt++) {
    detail = (await alone(() => decodeAgain(source, meta, thumbnailDir, maxPixels))) ?? detail
  }
  if (!hasDetail(detail)) {
    const name = meta?.format ? `${meta.format.toUpperCase()} ` : ''
    return `Damaged ${name}image: it could not be decoded (the decoder gave no details).`
  }
  return decodeReason(detail)
}

function hasDetail(error: unknown): boolean {
  return !/^(unknown error)?$/i.test(String((error as Error)?.message ?? error).trim())
}

async function decodeAgain(
  source: PhotoSource,
  meta: Metadata | undefined,
  thumbnailDir: string,
  maxPixels: number,
): Promise<unknown> {
  try {
    if (meta) await writeThumbnail(source, thumbnailDir, maxPixels)
    else await sharp(source.data, { failOn: 'error' }).metadata()
    return null
  } catch (again) {
    return again
  }
}

let queue: Promise<unknown> = Promise.resolve()

/** Runs `task` when no other `alone` task runs. */
function alone<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task)
  queue = run.catch(() => undefined)
  return run
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

async function writeThumbnail(source: PhotoSource, thumbnailDir: string, maxPixels: number) {
  const relative = path.join(source.hash.slice(0, 2), `${source.hash}.webp`)
  const target = path.join(thumbnailDir, relative)
  // Shrink-on-load: sharp asks the JPEG/WebP decoder for a reduced image before resizing.
  const { data, info } = await sharp(source.data, { failOn: 'error', limitInputPixels: maxPixels })
    .rotate()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true })
  await fs.mkdir(path.dirname(target), { recursive: true })
  await fs.writeFile(target, data)
  return { file: relative, width: info.width, height: info.height, bytes: data.length }
}
