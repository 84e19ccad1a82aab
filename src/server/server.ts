/**
 * Browser mode: the renderer, the contract (POST /api/<command>), the engine's events (a
 * WebSocket on /api/events) and the photos (/photos/<id>/<kind>) over HTTP on 127.0.0.1 only,
 * all behind a random token (see auth.ts and docs/browser-mode.md).
 */
import fs from 'node:fs'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { EngineEvent, PhotoId, PhotoKind } from '../shared/contract'
import { toCommandError } from '../core/engine/errors'
import type { EngineHandle } from '../core/engine/handle'
import { appCsp } from '../hosts/csp'
import { answerPhoto } from '../hosts/photo-http'
import { answerApi, sendError } from './api'
import { hostAllowed, newToken, originAllowed, tokenCookie, tokenSource } from './auth'
import { sendStatic, staticFile } from './static'

export interface ServerOptions {
  engine: EngineHandle
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  token?: string
}

export interface RunningServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export const EVENTS_PATH = '/api/events'
const PAGE_HEADERS = {
  'Content-Security-Policy': appCsp(false),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

const UNAUTHORISED =
  'Unauthorised: open the address that `kindred serve` printed (it carries the access token).'

/** `/photos/<id>/<kind>` → what it names, or null. */
export function parsePhotoPath(pathname: string): { photoId: PhotoId; kind: PhotoKind } | null {
  const match = /^\/photos\/([1-9][0-9]{0,15})\/(thumbnail|full)$/.exec(pathname)
  if (!match) return null
  const photoId = Number(match[1])
  return Number.isSafeInteger(photoId) ? { photoId, kind: match[2] as PhotoKind } : null
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  })
  response.end(text)
}

async function sendPhoto(
  engine: EngineHandle,
  target: { photoId: PhotoId; kind: PhotoKind },
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? 'GET'
  const answer = await answerPhoto(engine, target, method, request.headers['if-none-match'])
  if (!answer.ok) return sendText(response, answer.status, answer.message)
  response.writeHead(answer.head.status, answer.head.headers)
  if (!answer.file) return void response.end()
  const stream = answer.file.createReadStream()
  stream.on('error', () => response.destroy())
  stream.pipe(response)
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { engine, rendererDir } = options
  const token = options.token ?? newToken()
  let port = 0
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 })

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
    const isApi = url.pathname.startsWith('/api/')
    if (!hostAllowed(request.headers.host, port) || !originAllowed(request.headers.origin, port)) {
      return sendText(
        response,
        403,
        'Forbidden: this server answers only its own pages on 127.0.0.1.',
      )
    }
    const source = tokenSource(request, url, token, port)
    if (!source) {
      if (isApi) return sendError(response, 401, { code: 'failed', message: UNAUTHORISED })
      return sendText(response, 401, UNAUTHORISED)
    }
    if (source === 'query' && request.method === 'GET' && !isApi) {
      // Move the token into a cookie and out of the address bar (and of history and Referer).
      url.searchParams.delete('token')
      response.writeHead(303, {
        'Set-Cookie': tokenCookie(token, port),
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      })
      return void response.end()
    }
    if (isApi) return answerApi(engine, url.pathname.slice('/api/'.length), request, response)
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return sendText(response, 405, 'Method not allowed')
    const photo = parsePhotoPath(url.pathname)
    if (photo) return sendPhoto(engine, photo, request, response)
    if (url.pathname.startsWith('/photos/')) return sendText(response, 404, 'Not a photo address.')
    const file = staticFile(rendererDir, url.pathname)
    if (!file) return sendText(response, 404, 'Not found.')
    sendStatic(response, file, PAGE_HEADERS)
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, toCommandError(error).message)
      else response.destroy()
    })
  })

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
    // A client that resets mid-handshake must not raise an unhandled 'error'.
    socket.on('error', () => socket.destroy())
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (!hostAllowed(request.headers.host, port) || !originAllowed(request.headers.origin, port)) {
      return refuse('403 Forbidden')
    }
    if (!tokenSource(request, url, token, port)) return refuse('401 Unauthorized')
    if (url.pathname !== EVENTS_PATH) return refuse('404 Not Found')
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client))
  })

  // The page only listens: anything it sends is ignored. A malformed frame (too big, bad
  // UTF-8, unmasked, reserved bits, unknown opcode) is an 'error' on that client alone: ws has
  // already answered it with a close code, so drop the connection and keep serving the others.
  sockets.on('connection', (client: WebSocket) => {
    client.on('message', () => {})
    client.on('error', () => client.terminate())
  })
  sockets.on('error', () => {})
  const stopEvents = engine.onEvent((event: EngineEvent) => {
    const text = JSON.stringify(event)
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      stopEvents()
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** True when the renderer has been built (out/renderer/index.html exists). */
export function rendererBuilt(rendererDir: string): boolean {
  return fs.existsSync(`${rendererDir}/index.html`)
}
