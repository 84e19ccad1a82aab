/**
 * The HTTP answer for a photo, shared by Electron's `kindred-photo://` protocol and the
 * browser-mode server: caching validators, and headers that keep an image an image.
 */
import type { PhotoFile } from './handle'

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
