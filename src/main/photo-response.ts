/**
 * The answer to a `kindred-photo://` request, without Electron (tested under Node); what is
 * served, and how, is src/hosts/photo-http.ts, the same as in browser mode.
 */
import { Readable } from 'node:stream'
import type { EngineHandle } from '../core/engine/handle'
import { answerPhoto } from '../hosts/photo-http'
import { parsePhotoUrl } from './photo-url'

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
  const answer = await answerPhoto(
    engine,
    target,
    request.method,
    request.headers.get('If-None-Match'),
  )
  if (!answer.ok) return plain(answer.status, answer.message)
  const { status, headers } = answer.head
  if (!answer.file) return new Response(null, { status, headers })
  const body = Readable.toWeb(answer.file.createReadStream()) as ReadableStream<Uint8Array>
  return new Response(body, { status, headers })
}
