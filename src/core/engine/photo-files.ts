/**
 * Finds the file behind a photo id for the photo protocol and the browser-mode server. Only
 * files the library knows are ever served: a thumbnail inside the library's thumbnail folder,
 * or an original whose path is recorded for a readable photo inside one of the library's
 * folders. Ids, never paths, come from the outside.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { PhotoId, PhotoKind } from '../../shared/contract'
import { isInside } from '../library/inside'
import { osPath } from '../library/paths'
import type { Library } from '../store/library'
import { CommandFailure } from './errors'
import type { PhotoFile } from './handle'

/** Content types we serve, by sharp's format name or file extension. Anything else is refused. */
const CONTENT_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
  tif: 'image/tiff',
  heif: 'image/heif',
  heic: 'image/heic',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
}

export { isInside }

export function contentTypeFor(format: string | null, file: string): string | null {
  const byFormat = format ? CONTENT_TYPES[format.toLowerCase()] : undefined
  return byFormat ?? CONTENT_TYPES[path.extname(file).slice(1).toLowerCase()] ?? null
}

const notFound = (photoId: PhotoId, what: string): CommandFailure =>
  new CommandFailure('not-found', `Photo ${photoId} has no ${what}.`)

function statFile(file: string): fs.Stats | null {
  try {
    const stats = fs.statSync(osPath(file))
    return stats.isFile() ? stats : null
  } catch {
    return null
  }
}

function thumbnailFile(lib: Library, photoId: PhotoId): PhotoFile {
  const row = lib.db.prepare(`SELECT file FROM thumbnails WHERE photo_id = ?`).get(photoId) as
    { file: string } | undefined
  if (!row) throw notFound(photoId, 'thumbnail')
  const file = path.resolve(lib.thumbnailDir, row.file)
  // Thumbnails are ours: resolve links too, so nothing can point outside the folder.
  let real: string
  try {
    real = fs.realpathSync(file)
  } catch {
    throw notFound(photoId, 'thumbnail file')
  }
  if (!isInside(fs.realpathSync(lib.thumbnailDir), real)) throw notFound(photoId, 'thumbnail')
  const stats = statFile(real)
  const contentType = contentTypeFor(null, real)
  if (!stats || !contentType) throw notFound(photoId, 'thumbnail file')
  return {
    path: real,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    contentType,
    etag: `"t-${path.basename(real)}-${stats.size}-${Math.floor(stats.mtimeMs)}"`,
  }
}

interface OriginalRow {
  path: string
  format: string | null
  hash: string | null
  status: string
  folder: string
}

/**
 * Where a move export put (or is putting) this photo: while it runs, a file can be in its new
 * place before the library's path follows it, and the new place is outside the photo folders.
 */
function exportPlaces(lib: Library, photoId: PhotoId): { source: string; target: string }[] {
  return lib.db
    .prepare(
      `SELECT i.source, i.target FROM export_items i JOIN exports e ON e.id = i.export_id
        WHERE i.photo_id = ? AND e.mode = 'move' AND e.state != 'undone' ORDER BY e.id DESC`,
    )
    .all(photoId) as { source: string; target: string }[]
}

/** The places the original may be, in order: its recorded path, then where an export moved it. */
function originalPlaces(lib: Library, photoId: PhotoId, row: OriginalRow): string[] {
  const known = (file: string) => path.isAbsolute(file) && isInside(row.folder, file)
  const places = exportPlaces(lib, photoId)
  const moved = new Set(places.map((p) => p.target))
  const candidates = [row.path, ...places.flatMap((p) => [p.target, p.source])]
  return [...new Set(candidates)].filter((file) => known(file) || moved.has(file))
}

function originalFile(lib: Library, photoId: PhotoId): PhotoFile {
  const row = lib.db
    .prepare(
      `SELECT p.path, p.format, p.hash, p.status, f.path AS folder
         FROM photos p JOIN folders f ON f.id = p.folder_id WHERE p.id = ?`,
    )
    .get(photoId) as OriginalRow | undefined
  if (!row || row.status !== 'ok') throw notFound(photoId, 'readable original')
  const places = originalPlaces(lib, photoId, row)
  if (places.length === 0) throw notFound(photoId, 'original inside the library folders')
  const found = places
    .map((file) => ({ file, stats: statFile(file) }))
    .find((place) => place.stats !== null)
  if (!found) throw notFound(photoId, 'original file (it was moved or deleted)')
  const { file, stats } = found as { file: string; stats: fs.Stats }
  const contentType = contentTypeFor(row.format, file)
  if (!contentType) throw notFound(photoId, 'original in a format that can be shown')
  const hash = row.hash ? `${row.hash.slice(0, 24)}-` : ''
  return {
    path: file,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    contentType,
    etag: `"o-${hash}${stats.size}-${Math.floor(stats.mtimeMs)}"`,
  }
}

/** The file to serve for a photo id; CommandFailure('not-found') for anything else. */
export function resolvePhotoFile(lib: Library, photoId: PhotoId, kind: PhotoKind): PhotoFile {
  if (!Number.isSafeInteger(photoId) || photoId <= 0) throw notFound(photoId, 'such id')
  return kind === 'thumbnail' ? thumbnailFile(lib, photoId) : originalFile(lib, photoId)
}
