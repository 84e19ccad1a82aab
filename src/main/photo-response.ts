/**
 * The answer to a `kindred-photo://` request, without Electron (tested under Node): the engine
 * resolves the id to a file the library knows; a path never comes from the renderer. Answers
 * carry ETag/Cache-Control and honour If-None-Match.
 */
import fs from 'node:fs'
import { Readable } from 'node:stream'
import type { EngineHandle } from '../core/engine/handle'
import { toCommandError } from '../core/engine/errors'
import { photoHead } from '../core/engine/photo-http'
import { parsePhotoUrl } from './photo-url'
import { osPath } from '../core/library/paths'

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  })
}

export async function answerPhotoRequest(
  engine: EngineHandle,
  request: Request,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed')
  const target = parsePhotoUrl(request.url)
  if (!target) return plain(404, 'Not a photo address')
  let file
  try {
    file = await engine.photoFile(target.photoId, target.kind)
  } catch (error) {
    const { code, message } = toCommandError(error)
    return plain(code === 'not-found' ? 404 : 503, message)
  }
  const head = photoHead(file, request.headers.get('If-None-Match'))
  if (head.status === 304 || request.method === 'HEAD') {
    return new Response(null, { status: head.status, headers: head.headers })
  }
  const body = Readable.toWeb(fs.createReadStream(osPath(file.path))) as ReadableStream<Uint8Array>
  return new Response(body, { status: 200, headers: head.headers })
}
