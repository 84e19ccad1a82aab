/**
 * Browser mode's access token: every request (page, assets, photos, API, WebSocket) must carry
 * it, as the `?token=` of the printed URL (once; it is then moved into a cookie), as that
 * cookie, or as `Authorization: Bearer <token>`. The Host and Origin headers must name this
 * server too, so a web page elsewhere cannot reach it through DNS rebinding or a cross-site
 * WebSocket.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Cookies are not per port, so the name carries it: two servers never clash. */
export function cookieName(port: number): string {
  return `kindred_token_${port}`
}

export function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim()
  }
  return null
}

export type TokenSource = 'query' | 'cookie' | 'header'

/** Where a valid token came from, or null when the request has none (or a wrong one). */
export function tokenSource(
  request: IncomingMessage,
  url: URL,
  token: string,
  port: number,
): TokenSource | null {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
  if (sameToken(bearer, token)) return 'header'
  if (sameToken(cookieValue(request.headers.cookie, cookieName(port)), token)) return 'cookie'
  if (sameToken(url.searchParams.get('token'), token)) return 'query'
  return null
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost']

/** The Host header names this server (guards against DNS rebinding). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return LOCAL_HOSTS.some((name) => host === `${name}:${port}`)
}

/** A browser's Origin, when sent, must be this server (no cross-site API calls or sockets). */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  return LOCAL_HOSTS.some((name) => origin === `http://${name}:${port}`)
}

export function tokenCookie(token: string, port: number): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`
}
