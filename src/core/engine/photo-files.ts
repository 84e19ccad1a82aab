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
import { osPath, pathFromBytes } from '../library/paths'
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
  size: number
  mtime_ms: number
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

/** A stored path with its links resolved, in stored form; null when it leads nowhere. */
function realPath(file: string): string | null {
  try {
    // The native call: Node's JS realpath turns a name that is not UTF-8 into text, losing it.
    return pathFromBytes(fs.realpathSync.native(osPath(file), { encoding: 'buffer' }))
  } catch {
    return null
  }
}

/** The library's source folders with their links resolved: where originals live. */
function realFolders(lib: Library): string[] {
  const folders = lib.db.prepare(`SELECT path FROM folders`).pluck().all() as string[]
  return folders.map(realPath).filter((dir): dir is string => dir !== null)
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(osPath(file)).isSymbolicLink()
  } catch {
    return false
  }
}

/**
 * An original is served from its real path (links resolved): its recorded path, or where a
 * move export put it. Only while that is inside one of the library's folders (or is the export's
 * own file, not a link) and is still the file that was imported (same size and date): a photo
 * swapped for a link to some other file is never served in its place.
 */
function originalFile(lib: Library, photoId: PhotoId): PhotoFile {
  const row = lib.db
    .prepare(
      `SELECT p.path, p.format, p.hash, p.status, p.size, p.mtime_ms, f.path AS folder
         FROM photos p JOIN folders f ON f.id = p.folder_id WHERE p.id = ?`,
    )
    .get(photoId) as OriginalRow | undefined
  if (!row || row.status !== 'ok') throw notFound(photoId, 'readable original')
  const exported = new Set(exportPlaces(lib, photoId).map((p) => p.target))
  const candidates = [row.path, ...exportPlaces(lib, photoId).flatMap((p) => [p.target, p.source])]
  const places = [...new Set(candidates)].filter(
    (file) => path.isAbsolute(file) && (isInside(row.folder, file) || exported.has(file)),
  )
  if (places.length === 0) throw notFound(photoId, 'original inside the library folders')
  const found = places
    .map((file) => {
      const real = realPath(file)
      return { file, real, stats: real ? statFile(real) : null }
    })
    .find((place) => place.stats !== null)
  if (!found) throw notFound(photoId, 'original file (it was moved or deleted)')
  const real = found.real!
  const stats = found.stats!
  const ownExport = exported.has(found.file) && !isLink(found.file)
  if (!ownExport && !realFolders(lib).some((folder) => isInside(folder, real))) {
    throw new CommandFailure(
      'not-found',
      `Photo ${photoId}'s file now leads outside the library's folders (it was replaced by a link), so it is not shown.`,
    )
  }
  // Dates are stored in whole milliseconds.
  if (stats.size !== row.size || Math.abs(stats.mtimeMs - row.mtime_ms) >= 1) {
    throw new CommandFailure(
      'not-found',
      `Photo ${photoId}'s file has changed since it was imported (another size or date): rescan its folder to show it.`,
    )
  }
  const contentType = contentTypeFor(row.format, real)
  if (!contentType) throw notFound(photoId, 'original in a format that can be shown')
  const hash = row.hash ? `${row.hash.slice(0, 24)}-` : ''
  return {
    path: real,
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
