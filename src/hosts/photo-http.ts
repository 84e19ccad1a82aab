/**
 * The HTTP answer for a photo, shared by Electron's `kindred-photo://` protocol and the
 * browser-mode server: the engine resolves the id to a file the library knows (a path never
 * comes from the page), answers carry caching validators and headers that keep an image an
 * image, and the file sent is the one the engine checked.
 */
import fs from 'node:fs'
import type { PhotoId, PhotoKind } from '../shared/contract'
import { toCommandError } from '../core/engine/errors'
import type { EngineHandle, PhotoFile } from '../core/engine/handle'
import { osPath } from '../core/library/paths'

export const PHOTO_CACHE_CONTROL = 'private, max-age=3600'

/** Even an SVG original opened on its own can run no script and load nothing. */
export const PHOTO_CSP =
  "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

export interface PhotoHead {
  status: 200 | 304
  headers: Record<string, string>
}

/** True when an If-None-Match header names this ETag (or `*`). */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  const weakless = (tag: string): string => tag.trim().replace(/^W\//, '')
  return ifNoneMatch
    .split(',')
    .some((tag) => tag.trim() === '*' || weakless(tag) === weakless(etag))
}

export function photoHead(file: PhotoFile, ifNoneMatch?: string | null): PhotoHead {
  const headers: Record<string, string> = {
    ETag: file.etag,
    'Cache-Control': PHOTO_CACHE_CONTROL,
    'Last-Modified': new Date(file.mtimeMs).toUTCString(),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': PHOTO_CSP,
  }
  if (etagMatches(ifNoneMatch, file.etag)) return { status: 304, headers }
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': file.contentType, 'Content-Length': String(file.size) },
  }
}

/** A plain-text failure, or the head and (for a GET that is not a 304) the opened file. */
export type PhotoAnswer =
  | { ok: false; status: 404 | 503; message: string }
  | { ok: true; head: PhotoHead; file: fs.promises.FileHandle | null }

export async function answerPhoto(
  engine: EngineHandle,
  target: { photoId: PhotoId; kind: PhotoKind },
  method: string,
  ifNoneMatch: string | null | undefined,
): Promise<PhotoAnswer> {
  let file: PhotoFile
  try {
    file = await engine.photoFile(target.photoId, target.kind)
  } catch (error) {
    const { code, message } = toCommandError(error)
    return { ok: false, status: code === 'not-found' ? 404 : 503, message }
  }
  const head = photoHead(file, ifNoneMatch)
  if (head.status === 304 || method === 'HEAD') return { ok: true, head, file: null }
  const opened = await openChecked(file)
  if (!opened) {
    return { ok: false, status: 404, message: 'The photo file changed while it was being sent.' }
  }
  return { ok: true, head, file: opened }
}

/**
 * Opens the checked file without following a link, and only if it is still the file the
 * engine checked (same size and date): a swap after the check serves nothing.
 */
async function openChecked(file: PhotoFile): Promise<fs.promises.FileHandle | null> {
  let handle: fs.promises.FileHandle
  try {
    handle = await fs.promises.open(
      osPath(file.path),
      fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0),
    )
  } catch {
    return null
  }
  const stats = await handle.stat().catch(() => null)
  if (stats?.isFile() && stats.size === file.size && stats.mtimeMs === file.mtimeMs) return handle
  await handle.close()
  return null
}
