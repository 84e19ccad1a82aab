import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { EngineEvent } from '../../src/shared/contract'
import { Engine } from '../../src/core/engine/engine'
import { startServer, type RunningServer } from '../../src/server/server'
import { cookieName } from '../../src/server/auth'
import { jobEnd, photoFolder } from '../engine/fixtures'
import { request } from './http'
import os from 'node:os'

// One library and server for the file: importing photos is the slow part.
const made: string[] = []
function keptDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

let engine: Engine
let server: RunningServer
let photoId: number
let photoFolderPath: string

beforeAll(async () => {
  const renderer = keptDir('kindred-renderer-')
  fs.mkdirSync(path.join(renderer, 'assets'))
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Kindred</title>')
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(keptDir('kindred-outside-'), 'secret.txt'), 'secret')

  engine = await Engine.open(keptDir('kindred-lib-'))
  // photoFolder() uses a per-test temp dir; copy its files somewhere that lasts for the file.
  const source = photoFolder()
  photoFolderPath = keptDir('kindred-photos-')
  for (const name of fs.readdirSync(source))
    fs.copyFileSync(path.join(source, name), path.join(photoFolderPath, name))
  const job: { id?: number } = {}
  const ended = jobEnd(engine, () => job.id)
  job.id = (await engine.invoke('library.addFolder', { path: photoFolderPath })).jobId
  await ended
  server = await startServer({ engine, rendererDir: renderer, port: 0 })
  const members = await engine.invoke('clusters.members', { clusterId: null, offset: 0, limit: 1 })
  photoId = members.members[0]!.photoId
})

afterAll(async () => {
  await server?.close()
  await engine?.close()
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})

const bearer = (): Record<string, string> => ({ Authorization: `Bearer ${server.token}` })
const json = { 'Content-Type': 'application/json' }

function openSocket(headers: Record<string, string>, query = ''): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/events${query}`, { headers })
    socket.once('open', () => resolve(socket))
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    socket.once('error', () => resolve(-1))
  })
}

describe('browser mode without the token', () => {
  it('prints a 127.0.0.1 URL carrying a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('answers 401 to the page, assets, thumbnails, photos and the API', async () => {
    const asked = [
      { path: '/' },
      { path: '/index.html' },
      { path: '/assets/app.js' },
      { path: `/photos/${photoId}/thumbnail` },
      { path: `/photos/${photoId}/full` },
      { path: '/api/library.summary', method: 'POST', headers: json, body: '{}' },
    ]
    const wrongs: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer nope' },
      { Cookie: `${cookieName(server.port)}=nope` },
    ]
    for (const wrong of wrongs) {
      for (const ask of asked) {
        const reply = await request(server.port, { ...ask, headers: { ...ask.headers, ...wrong } })
        expect(reply.status, `${ask.path} ${JSON.stringify(wrong)}`).toBe(401)
        expect(reply.text).not.toContain('Kindred</title>')
      }
    }
    // One character changed: a random token starts with 'x' one time in 64.
    const first = server.token.startsWith('x') ? 'y' : 'x'
    const wrongQuery = await request(server.port, {
      path: `/?token=${first}${server.token.slice(1)}`,
    })
    expect(wrongQuery.status).toBe(401)
    const api = await request(server.port, {
      path: '/api/library.summary',
      method: 'POST',
      headers: json,
      body: '{}',
    })
    expect(JSON.parse(api.text)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/token/) },
    })
  })

  it('refuses the WebSocket upgrade with 401', async () => {
    expect(await openSocket({})).toBe(401)
    expect(await openSocket({ Cookie: `${cookieName(server.port)}=wrong` })).toBe(401)
    expect(await openSocket({}, '?token=wrong')).toBe(401)
  })

  it('refuses other Host and Origin headers even with the token (DNS rebinding, cross-site)', async () => {
    const evilHost = await request(server.port, {
      path: '/',
      headers: { ...bearer(), Host: `evil.example:${server.port}` },
    })
    expect(evilHost.status).toBe(403)
    const evilOrigin = await request(server.port, {
      path: '/api/library.summary',
      method: 'POST',
      headers: { ...bearer(), ...json, Origin: 'http://evil.example' },
      body: '{}',
    })
    expect(evilOrigin.status).toBe(403)
    expect(await openSocket({ ...bearer(), Origin: 'http://evil.example' })).toBe(403)
  })
})

describe('browser mode with the token', () => {
  it('moves the token from the URL into an HttpOnly SameSite cookie, then serves the page', async () => {
    const first = await request(server.port, { path: `/?token=${server.token}` })
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/')
    const cookie = first.headers['set-cookie']![0]!
    expect(cookie).toMatch(
      new RegExp(`^${cookieName(server.port)}=${server.token}; Path=/; HttpOnly; SameSite=Strict$`),
    )
    const page = await request(server.port, {
      path: '/',
      headers: { Cookie: cookie.split(';')[0]! },
    })
    expect(page.status).toBe(200)
    expect(page.text).toContain('<title>Kindred</title>')
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/)
    expect(page.headers['x-frame-options']).toBe('DENY')
    const asset = await request(server.port, {
      path: '/assets/app.js',
      headers: { Cookie: cookie.split(';')[0]! },
    })
    expect(asset.headers['content-type']).toMatch(/javascript/)
  })

  it('runs commands over POST /api/<command> and reports errors as WireResponse', async () => {
    const ok = await request(server.port, {
      path: '/api/library.summary',
      method: 'POST',
      headers: { ...bearer(), ...json },
      body: '{}',
    })
    expect(ok.status).toBe(200)
    const body = JSON.parse(ok.text)
    expect(body.ok).toBe(true)
    expect(body.result.folders[0].path).toBe(photoFolderPath)

    const cases: [string, string, Record<string, string>, number, RegExp][] = [
      ['clusters.rename', '{"clusterId":1,"name":""}', json, 400, /name/],
      ['clusters.list', '{"sort":', json, 400, /not valid JSON/],
      ['no.such.command', '{}', json, 400, /Unknown command/],
      ['photos.details', '{"photoId":424242}', json, 404, /not in the library/],
      ['edits.undo', '{}', json, 409, /organize the library first/],
      ['library.summary', '{}', { 'Content-Type': 'text/plain' }, 415, /JSON/],
    ]
    for (const [command, text, headers, status, message] of cases) {
      const reply = await request(server.port, {
        path: `/api/${command}`,
        method: 'POST',
        headers: { ...bearer(), ...headers },
        body: text,
      })
      expect(reply.status, command).toBe(status)
      const error = JSON.parse(reply.text)
      expect(error.ok, command).toBe(false)
      expect(error.error.message, command).toMatch(message)
    }
    const get = await request(server.port, { path: '/api/library.summary', headers: bearer() })
    expect(get.status).toBe(405)
  })

  it('serves known photos with caching headers, and nothing else', async () => {
    const thumb = await request(server.port, {
      path: `/photos/${photoId}/thumbnail`,
      headers: bearer(),
    })
    expect(thumb.status).toBe(200)
    expect(thumb.headers['content-type']).toBe('image/webp')
    expect(thumb.body.subarray(8, 12).toString()).toBe('WEBP')
    expect(thumb.headers['cache-control']).toMatch(/max-age/)
    const etag = thumb.headers.etag!
    const again = await request(server.port, {
      path: `/photos/${photoId}/thumbnail`,
      headers: { ...bearer(), 'If-None-Match': etag },
    })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    const full = await request(server.port, { path: `/photos/${photoId}/full`, headers: bearer() })
    expect(full.status).toBe(200)
    expect(full.headers['content-security-policy']).toMatch(/sandbox/)

    for (const bad of [
      '/photos/424242/full',
      '/photos/0/full',
      `/photos/${photoId}/original`,
      `/photos/${photoId}/../../../etc/passwd`,
      '/photos/..%2f..%2f..%2fetc%2fpasswd/full',
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/.env',
      `/${encodeURIComponent(photoFolderPath)}/Canon_40D.jpg`,
    ]) {
      const reply = await request(server.port, { path: bad, headers: bearer() })
      expect(reply.status, bad).toBe(404)
      expect(reply.text, bad).not.toMatch(/root:|secret/)
    }
  })

  it('pushes engine events over the WebSocket', async () => {
    const socket = await openSocket({ Cookie: `${cookieName(server.port)}=${server.token}` })
    expect(socket).toBeInstanceOf(WebSocket)
    const events: EngineEvent[] = []
    ;(socket as WebSocket).on('message', (data) =>
      events.push(JSON.parse(String(data)) as EngineEvent),
    )
    const rescan = await request(server.port, {
      path: '/api/library.rescan',
      method: 'POST',
      headers: { ...bearer(), ...json },
      body: '{}',
    })
    const { jobId } = JSON.parse(rescan.text).result
    await expect
      .poll(
        () =>
          events.find(
            (e) =>
              e.type === 'progress' && e.progress.jobId === jobId && e.progress.status === 'done',
          ),
        { timeout: 20_000 },
      )
      .toBeTruthy()
    expect(events.some((e) => e.type === 'library.changed')).toBe(true)
    ;(socket as WebSocket).close()
  })
})
