/** Serves the built renderer (out/renderer) without ever leaving its folder. */
import fs from 'node:fs'
import path from 'node:path'
import type { ServerResponse } from 'node:http'
import { isInside } from '../core/engine/photo-files'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * The file under `root` that `pathname` names, or null: `/` is index.html; anything that
 * decodes to a path outside `root`, a hidden name, or a type we do not serve is refused.
 */
export function staticFile(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  if (relative.split('/').some((part) => part.startsWith('.'))) return null
  const file = path.resolve(root, relative)
  if (!isInside(root, file) || !TYPES[path.extname(file)]) return null
  try {
    return fs.statSync(file).isFile() ? file : null
  } catch {
    return null
  }
}

export function sendStatic(
  response: ServerResponse,
  file: string,
  headers: Record<string, string>,
): void {
  const isIndex = path.basename(file) === 'index.html'
  response.writeHead(200, {
    ...headers,
    'Content-Type': TYPES[path.extname(file)]!,
    // Assets have content hashes in their names; the page itself is always checked.
    'Cache-Control': isIndex ? 'no-cache' : 'private, max-age=31536000, immutable',
  })
  fs.createReadStream(file).pipe(response)
}
