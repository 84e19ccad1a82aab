/**
 * Bad network input to every endpoint of `kindred serve`: each command of the contract and the
 * page, photo and WebSocket routes get malformed JSON, wrong types, huge bodies, wrong methods
 * and missing or bad tokens. Each gets a clear 4xx answer, and the server keeps serving.
 */
import http from 'node:http'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commandNames } from '../../src/core/engine/schemas'
import { MAX_BODY_BYTES } from '../../src/server/api'
import { request } from '../server/http'
import {
  api,
  bearer,
  JSON_TYPE,
  startServe,
  stillAnswers,
  type ServeProcess,
} from './server-fixture'

let serve: ServeProcess
beforeAll(async () => {
  serve = await startServe()
}, 90_000)
afterAll(async () => {
  await serve?.stop()
})

interface Answer {
  status: number
  text: string
}

/** Sends a body of `size` bytes in 1 MB chunks (chunked unless `declare`), reads the answer. */
function sendBig(size: number, options: { declare?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      ...bearer(serve.token),
      ...JSON_TYPE,
      Host: `127.0.0.1:${serve.port}`,
    }
    if (options.declare) headers['Content-Length'] = String(size)
    const req = http.request(
      { host: '127.0.0.1', port: serve.port, method: 'POST', path: '/api/photos.move', headers },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    let sent = 0
    const pump = (): void => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent))
        sent += part.length
        if (!req.write(part)) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}

describe('request bodies over the limit', () => {
  it.each([
    ['declared', MAX_BODY_BYTES + 1, true],
    ['chunked', MAX_BODY_BYTES + 1, false],
    ['chunked, 4x the limit', 4 * MAX_BODY_BYTES, false],
  ] as const)(
    '%s: answered 413 with a reason, not a reset connection',
    async (_, size, declare) => {
      const answer = await sendBig(size, { declare })
      expect(answer.status).toBe(413)
      expect(JSON.parse(answer.text)).toEqual({
        ok: false,
        error: { code: 'invalid-arguments', message: expect.stringMatching(/too large/) },
      })
      expect(await stillAnswers(serve)).toBe(true)
    },
  )

  it('a body just under the limit is read and judged on its content', async () => {
    const answer = await sendBig(MAX_BODY_BYTES - 1)
    expect(answer.status).toBe(400) // only spaces: not valid arguments, but read in full
    expect(await stillAnswers(serve)).toBe(true)
  })
})

function expectRefusal(reply: { status: number; text: string }, status: number, what: string) {
  expect(reply.status, what).toBe(status)
  const body = JSON.parse(reply.text) as { ok: boolean; error: { code: string; message: string } }
  expect(body.ok, what).toBe(false)
  expect(body.error.message.length, what).toBeGreaterThan(0)
  return body.error
}

/** Bodies no command accepts. */
const MALFORMED: [string, string | Buffer][] = [
  ['cut-off JSON', '{"a":'],
  ['not JSON at all', 'hello'],
  ['a JSON array', '[1, 2]'],
  ['a JSON string', '"text"'],
  ['a JSON number', '42'],
  ['a JSON boolean', 'true'],
  ['an unknown key', '{"unexpected": 1}'],
  ['a __proto__ key', '{"__proto__": {"polluted": 1}}'],
  ['nesting 100000 deep', '['.repeat(100_000) + ']'.repeat(100_000)],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
]

/** Arguments of the right shape with a wrong type or a value out of range, per command. */
const WRONG_TYPES: [string, unknown][] = [
  ['library.addFolder', { path: 42 }],
  ['library.addFolder', { path: '' }],
  ['library.addFolder', { path: 'a\u0000b' }],
  ['library.addFolder', { path: `/${'x'.repeat(5000)}` }],
  ['library.import', { paths: [] }],
  ['library.import', { paths: '/photos' }],
  ['library.import', { paths: [42] }],
  ['library.import', { paths: Array.from({ length: 1001 }, (_, i) => `/photos/${i}`) }],
  ['library.removeFolder', { folderId: '1' }],
  ['library.removeFolder', { folderId: 1.5 }],
  ['library.removeFolder', { folderId: -1 }],
  ['library.removeFolder', { folderId: 1e300 }],
  ['library.watchFolder', { folderId: 1, watch: 'no' }],
  ['library.watchFolder', { folderId: 0, watch: true }],
  ['library.watchFolder', { folderId: 1 }],
  ['library.failures', { offset: -1, limit: 10 }],
  ['library.failures', { offset: 0, limit: 1e9 }],
  ['jobs.cancel', { jobId: null }],
  ['organize.start', { clusters: 1 }],
  ['organize.start', { clusters: 'many' }],
  ['organize.start', { clusters: 2, seed: -1 }],
  ['clusters.list', { sort: 5 }],
  ['clusters.members', { clusterId: 'a', offset: 0, limit: 1 }],
  ['clusters.rename', { clusterId: 1, name: 5 }],
  ['clusters.rename', { clusterId: 1, name: 'x'.repeat(1000) }],
  ['clusters.merge', { clusterIds: '1', into: 1 }],
  ['clusters.merge', { clusterIds: [], into: 1 }],
  ['clusters.split', { clusterId: 1, parts: 1000 }],
  ['clusters.lookalikes', { clusterId: 'a' }],
  ['clusters.lookalikes', { clusterId: 1, limit: 3 }],
  ['clusters.keepApart', { clusterIds: [1, 2, 3] }],
  ['photos.move', { photoIds: [1], to: 'a' }],
  ['photos.move', { photoIds: [0.5], to: null }],
  ['photos.details', { photoId: {} }],
  ['photos.search', { offset: 0, limit: 10, doubtful: 'yes' }],
  ['photos.search', { offset: -1, limit: 10 }],
  ['export.plan', { destination: 5, mode: 'copy' }],
  ['export.start', { destination: '/tmp/x', mode: 'zip' }],
  ['export.start', { destination: '/tmp/x', mode: 'copy', clusterIds: [-3] }],
  ['export.plan', { destination: '/tmp/x', mode: 'copy', folderPattern: ['{group}'] }],
  ['export.exampleFolder', { folderPattern: 7 }],
  ['export.exampleFolder', { folderPattern: 'x'.repeat(10_000) }],
  ['export.undo', { exportId: [] }],
  ['export.resume', { exportId: 'last' }],
  ['models.install', { from: 42 }],
  ['duplicates.find', { threshold: 0.1 }],
  ['duplicates.find', { threshold: 1.5 }],
  ['duplicates.find', { threshold: '0.9' }],
  ['duplicates.keep', { keep: 1, hide: [] }],
  ['duplicates.keep', { keep: 'a', hide: [2] }],
  ['photos.show', { photoIds: [-1] }],
]

describe('every command', () => {
  it('answers malformed bodies with 400 and a reason', async () => {
    for (const command of commandNames) {
      for (const [what, body] of MALFORMED) {
        const reply = await request(serve.port, {
          path: `/api/${command}`,
          method: 'POST',
          headers: { ...bearer(serve.token), ...JSON_TYPE },
          body: body as string,
        })
        const error = expectRefusal(reply, 400, `${command}: ${what}`)
        expect(error.code, `${command}: ${what}`).toBe('invalid-arguments')
      }
    }
    expect(await stillAnswers(serve)).toBe(true)
  }, 120_000)

  it('answers wrong types and out-of-range values with 400 and the field at fault', async () => {
    for (const [command, args] of WRONG_TYPES) {
      const what = `${command} ${JSON.stringify(args).slice(0, 80)}`
      const error = expectRefusal(await api(serve, command, JSON.stringify(args)), 400, what)
      expect(error.code, what).toBe('invalid-arguments')
      expect(error.message, what).toMatch(new RegExp(`^Invalid arguments for ${command}`))
    }
    // Every command with arguments is covered.
    const covered = new Set(WRONG_TYPES.map(([command]) => command))
    for (const command of commandNames) {
      if ((await api(serve, command, '{}')).status === 400)
        expect(covered, command).toContain(command)
    }
    expect(await stillAnswers(serve)).toBe(true)
  }, 120_000)

  it('answers 401 without the token or with a wrong one', async () => {
    const wrongs: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: `Bearer ${serve.token}x` },
      { Authorization: `Basic ${serve.token}` },
      { Authorization: `Bearer ${'x'.repeat(10_000)}` },
      { Cookie: `kindred_token_${serve.port}=${serve.token.slice(1)}` },
    ]
    for (const command of commandNames) {
      for (const headers of wrongs) {
        const reply = await request(serve.port, {
          path: `/api/${command}`,
          method: 'POST',
          headers: { ...JSON_TYPE, ...headers },
          body: '{}',
        })
        expectRefusal(reply, 401, `${command} ${JSON.stringify(headers).slice(0, 60)}`)
      }
    }
    expect(await stillAnswers(serve)).toBe(true)
  }, 120_000)

  it('answers the wrong method with 405 and a non-JSON body with 415', async () => {
    for (const command of commandNames) {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const reply = await request(serve.port, {
          path: `/api/${command}`,
          method,
          headers: bearer(serve.token),
        })
        expectRefusal(reply, 405, `${method} ${command}`)
      }
      const form = await request(serve.port, {
        path: `/api/${command}`,
        method: 'POST',
        headers: { ...bearer(serve.token), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      })
      expectRefusal(form, 415, `form ${command}`)
    }
  }, 120_000)

  it('answers unknown and hostile command names with 400', async () => {
    const names = [
      '',
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'library.summary.x',
      '..%2flibrary.summary',
      'x'.repeat(5000),
      '%00',
      '%ZZ',
    ]
    for (const name of names) {
      const reply = await api(serve, name, '{}')
      expect(reply.status, name.slice(0, 40)).toBeGreaterThanOrEqual(400)
      expect(reply.status, name.slice(0, 40)).toBeLessThan(500)
    }
    expect(await stillAnswers(serve)).toBe(true)
  })
})

describe('the other routes', () => {
  it('answers bad photo addresses, paths and methods with 4xx', async () => {
    const asks: { method?: string; path: string }[] = [
      { path: '/photos/99999999999999999999/full' },
      { path: '/photos/9007199254740993/full' },
      { path: '/photos/-1/full' },
      { path: '/photos/1/full' },
      { path: '/photos/1/thumbnail' },
      { path: '/photos/1/original' },
      { path: '/photos/%31/full' },
      { path: '/photos/1/full/' },
      { path: '/%E0%A4%A' },
      { path: '/%00' },
      { path: '/index.html%00.png' },
      { path: `/${'a/'.repeat(2000)}` },
      { method: 'POST', path: '/' },
      { method: 'DELETE', path: '/photos/1/full' },
      { method: 'OPTIONS', path: '/api/library.summary' },
    ]
    for (const ask of asks) {
      const reply = await request(serve.port, { ...ask, headers: bearer(serve.token) })
      expect(
        reply.status,
        `${ask.method ?? 'GET'} ${ask.path.slice(0, 40)}`,
      ).toBeGreaterThanOrEqual(400)
      expect(reply.status, `${ask.method ?? 'GET'} ${ask.path.slice(0, 40)}`).toBeLessThan(500)
    }
    expect(await stillAnswers(serve)).toBe(true)
  })

  it('survives malformed HTTP and bad WebSocket handshakes', async () => {
    const raw = (text: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = net.connect(serve.port, '127.0.0.1', () => socket.end(text))
        let answer = ''
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
        socket.on('close', () => resolve(answer))
        socket.on('error', () => resolve(answer))
      })
    const host = `Host: 127.0.0.1:${serve.port}\r\n`
    const auth = `Authorization: Bearer ${serve.token}\r\n`
    const upgrade = 'Connection: Upgrade\r\nUpgrade: websocket\r\n'
    const cases: [string, RegExp][] = [
      ['GARBAGE\r\n\r\n', /^HTTP\/1\.1 400/],
      [`GET / HTTP/1.1\r\n${host}X-Big: ${'x'.repeat(100_000)}\r\n\r\n`, /^HTTP\/1\.1 431/],
      [
        `POST /api/library.summary HTTP/1.1\r\n${host}${auth}Content-Length: -5\r\n\r\n`,
        /^HTTP\/1\.1 400/,
      ],
      [`GET /api/events HTTP/1.1\r\n${host}${upgrade}\r\n`, /^HTTP\/1\.1 401/],
      [`GET /api/events HTTP/1.1\r\n${host}${auth}${upgrade}\r\n`, /^HTTP\/1\.1 400/],
      [
        `GET /api/events HTTP/1.1\r\n${host}${auth}${upgrade}Sec-WebSocket-Version: 99\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n`,
        /^HTTP\/1\.1 (400|426)/,
      ],
      [
        `GET /api/nothing HTTP/1.1\r\n${host}${auth}${upgrade}Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n`,
        /^HTTP\/1\.1 404/,
      ],
    ]
    for (const [text, answer] of cases) {
      expect(await raw(text), text.slice(0, 60)).toMatch(answer)
      expect(await stillAnswers(serve)).toBe(true)
    }
  })
})
