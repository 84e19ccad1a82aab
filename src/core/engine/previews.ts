/**
 * Browsers cannot show every format a library holds (TIFF, for one). For those, `full` serves
 * a JPEG rendition made once with sharp and kept in the library's `previews/` folder, named by
 * the photo's content hash so a changed file gets a new one.
 */
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { PhotoId } from '../../shared/contract'
import { imageInput } from '../library/paths'
import { PREVIEW_DIR, type Library } from '../store/library'
import type { PhotoFile } from './handle'

export { PREVIEW_DIR }
/** Long side of a preview: sharp enough full screen, small enough to decode quickly. */
export const PREVIEW_SIZE = 4096

/** What Chromium shows in an <img> as is. */
const SHOWABLE = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/bmp',
  'image/svg+xml',
])

export function needsPreview(file: PhotoFile): boolean {
  return !SHOWABLE.has(file.contentType)
}

const making = new Map<string, Promise<void>>()

/** The JPEG rendition of an original the library knows (`original` comes from resolvePhotoFile). */
export async function previewFile(
  lib: Library,
  photoId: PhotoId,
  original: PhotoFile,
): Promise<PhotoFile> {
  const dir = path.join(lib.dir, PREVIEW_DIR)
  const name = `${photoId}-${original.etag.replace(/[^A-Za-z0-9-]/g, '')}.jpg`
  const target = path.join(dir, name)
  if (!fs.existsSync(target)) {
    let job = making.get(target)
    if (!job) {
      job = render(original.path, dir, target).finally(() => making.delete(target))
      making.set(target, job)
    }
    await job
  }
  const stats = fs.statSync(target)
  return {
    path: target,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    contentType: 'image/jpeg',
    etag: `"p-${name}"`,
  }
}

async function render(source: string, dir: string, target: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true })
  const partial = `${target}.${process.pid}.partial`
  try {
    await sharp(await imageInput(source))
      .rotate()
      .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 90 })
      .toFile(partial)
    fs.renameSync(partial, target)
  } finally {
    fs.rmSync(partial, { force: true })
  }
}
