/** `POST /api/<command>`: the contract over HTTP, answered with a WireResponse. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CommandError, WireResponse } from '../shared/contract'
import type { EngineHandle } from '../core/engine/handle'
import { invokeCommand } from '../hosts/invoke'

/** Enough for moving a million photo ids at once; anything bigger is refused unread. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024

const STATUS: Record<CommandError['code'], number> = {
  'invalid-arguments': 400,
  'not-found': 404,
  conflict: 409,
  'engine-unavailable': 503,
  failed: 500,
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  response.end(text)
}

export function sendError(response: ServerResponse, status: number, error: CommandError): void {
  const body: WireResponse = { ok: false, error }
  sendJson(response, status, body)
}

class BodyTooLarge extends Error {}

/**
 * How much of an oversized body is read and thrown away before answering 413. Answering while
 * the client still sends, then closing, makes the kernel reset the connection and the client
 * never sees the answer; past this much, it gets the reset anyway.
 */
const MAX_DISCARDED_BYTES = 8 * MAX_BODY_BYTES

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0)
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = declared > MAX_BODY_BYTES
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) tooLarge = true
      if (!tooLarge) return void chunks.push(chunk)
      chunks.length = 0
      if (size > MAX_BODY_BYTES + MAX_DISCARDED_BYTES) {
        request.pause()
        reject(new BodyTooLarge())
      }
    })
    request.on('end', () => {
      if (tooLarge) reject(new BodyTooLarge())
      else resolve(Buffer.concat(chunks).toString('utf8'))
    })
    request.on('error', reject)
  })
}

export async function answerApi(
  engine: EngineHandle,
  command: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST')
    return sendError(response, 405, {
      code: 'invalid-arguments',
      message: 'Commands are sent with POST.',
    })
  }
  // Only JSON: a cross-site HTML form cannot send it (it would need a CORS preflight).
  if (!/^application\/json(;|$)/i.test(request.headers['content-type'] ?? '')) {
    return sendError(response, 415, {
      code: 'invalid-arguments',
      message: 'Send the command arguments as JSON (Content-Type: application/json).',
    })
  }
  let args: unknown
  try {
    const text = await readBody(request)
    args = text.trim() === '' ? {} : JSON.parse(text)
  } catch (error) {
    const tooLarge = error instanceof BodyTooLarge
    const message = tooLarge
      ? `The request is too large (the limit is ${MAX_BODY_BYTES / 1024 / 1024} MiB).`
      : 'The request body is not valid JSON.'
    // The oversized body was read and dropped; the connection ends with the answer.
    if (tooLarge) response.setHeader('Connection', 'close')
    return sendError(response, tooLarge ? 413 : 400, {
      code: 'invalid-arguments',
      message,
    })
  }
  const answer = await invokeCommand(engine, command, args)
  sendJson(response, answer.ok ? 200 : STATUS[answer.error.code], answer)
}
