/**
 * Malformed WebSocket frames from an authenticated client: each must cost that client its
 * connection and nothing else. The server keeps answering HTTP and accepts new sockets.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { bearer, startServe, stillAnswers, type ServeProcess } from './server-fixture'

let serve: ServeProcess
beforeAll(async () => {
  serve = await startServe()
}, 90_000)
afterAll(async () => {
  await serve?.stop()
})
// A server that died in one case is replaced, so that every case is judged on its own.
beforeEach(async () => {
  if (await stillAnswers(serve)) return
  await serve.stop()
  serve = await startServe()
}, 90_000)

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${serve.port}/api/events`, {
      headers: bearer(serve.token),
    })
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** A client-to-server frame, built by hand so that it can break every rule. */
function frame(options: {
  first: number
  payload: Buffer
  masked?: boolean
  /** Claimed payload length when it must differ from the real one. */
  length?: number
}): Buffer {
  const { first, payload } = options
  const masked = options.masked ?? true
  const length = options.length ?? payload.length
  const maskBit = masked ? 0x80 : 0
  let header: Buffer
  if (length < 126) header = Buffer.from([first, maskBit | length])
  else if (length < 65536) {
    header = Buffer.alloc(4)
    header[0] = first
    header[1] = maskBit | 126
    header.writeUInt16BE(length, 2)
  } else {
    header = Buffer.alloc(10)
    header[0] = first
    header[1] = maskBit | 127
    header.writeBigUInt64BE(BigInt(length), 2)
  }
  if (!masked) return Buffer.concat([header, payload])
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78])
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))
  return Buffer.concat([header, mask, body])
}

const TEXT = 0x81 // FIN + text
const BAD_FRAMES: [string, Buffer][] = [
  ['a text frame over the size limit', frame({ first: TEXT, payload: Buffer.alloc(4096, 0x61) })],
  [
    'a frame claiming 2^62 bytes',
    frame({ first: TEXT, payload: Buffer.alloc(8), length: 2 ** 62 }),
  ],
  ['invalid UTF-8 in a text frame', frame({ first: TEXT, payload: Buffer.from([0xc3, 0x28]) })],
  ['an unmasked frame', frame({ first: TEXT, payload: Buffer.from('hi'), masked: false })],
  ['RSV1 set without compression', frame({ first: 0xc1, payload: Buffer.from('hi') })],
  ['RSV2 and RSV3 set', frame({ first: 0xb1, payload: Buffer.from('hi') })],
  ['an unknown data opcode', frame({ first: 0x83, payload: Buffer.from('hi') })],
  ['an unknown control opcode', frame({ first: 0x8b, payload: Buffer.from('hi') })],
  ['a fragmented control frame', frame({ first: 0x09, payload: Buffer.from('hi') })],
  ['a control frame over 125 bytes', frame({ first: 0x89, payload: Buffer.alloc(200) })],
  ['a continuation with nothing to continue', frame({ first: 0x80, payload: Buffer.from('x') })],
  ['a close frame with a bad code', frame({ first: 0x88, payload: Buffer.from([0x03, 0xe7]) })],
  ['a close frame of one byte', frame({ first: 0x88, payload: Buffer.from([0x03]) })],
  ['garbage bytes', Buffer.from('GET / HTTP/1.1\r\n\r\n\xff\xff\xff\xff')],
]

describe('bad WebSocket frames from an authenticated client', () => {
  it.each(BAD_FRAMES)('%s closes that client only; the server keeps serving', async (_, bytes) => {
    const bystander = await connect()
    const attacker = await connect()
    const closed = new Promise<void>((resolve) => attacker.once('close', () => resolve()))
    attacker.on('error', () => {}) // the server's close reply may break the client's own parser
    // Raw bytes on the authenticated TCP connection, under the client library's feet.
    ;(attacker as unknown as { _socket: import('node:net').Socket })._socket.write(bytes)
    await closed

    expect(await stillAnswers(serve)).toBe(true)
    expect(bystander.readyState).toBe(WebSocket.OPEN)
    const fresh = await connect()
    expect(fresh.readyState).toBe(WebSocket.OPEN)
    fresh.close()
    bystander.close()
  })

  it('a client that resets its connection mid-frame harms no one', async () => {
    const attacker = await connect()
    attacker.on('error', () => {})
    const raw = (attacker as unknown as { _socket: import('node:net').Socket })._socket
    raw.write(frame({ first: TEXT, payload: Buffer.alloc(10) }).subarray(0, 5))
    raw.resetAndDestroy()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await stillAnswers(serve)).toBe(true)
  })
})
