// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { EngineEvent } from '../../src/shared/contract'
import { BrowserApi } from '../../src/renderer/src/lib/browser-api'

/** A WebSocket stand-in the test drives by hand. */
class FakeSocket {
  static made: FakeSocket[] = []
  onopen: (() => void) | null = null
  onmessage: ((m: { data: unknown }) => void) | null = null
  onclose: (() => void) | null = null
  closed = false
  constructor(readonly url: string) {
    FakeSocket.made.push(this)
  }
  close() {
    this.closed = true
    this.onclose?.()
  }
}

const place = { protocol: 'http:', host: '127.0.0.1:4321' }
let fetchMock: ReturnType<typeof vi.fn>

beforeEach(() => {
  FakeSocket.made = []
  vi.stubGlobal('WebSocket', FakeSocket)
  fetchMock = vi.fn()
  vi.stubGlobal('fetch', fetchMock)
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

function reply(status: number, body: unknown) {
  fetchMock.mockResolvedValueOnce(new Response(JSON.stringify(body), { status }))
}

describe('BrowserApi (browser mode client)', () => {
  test('posts the command as JSON and returns its result', async () => {
    reply(200, { ok: true, result: { clusters: [], unsorted: 3 } })
    const api = new BrowserApi(place)
    await expect(api.invoke('clusters.list', { sort: 'name' })).resolves.toEqual({
      clusters: [],
      unsorted: 3,
    })
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/clusters.list')
    expect(init.method).toBe('POST')
    expect(init.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body)).toEqual({ sort: 'name' })
  })

  test('a void result comes back as undefined', async () => {
    reply(200, { ok: true })
    await expect(new BrowserApi(place).invoke('jobs.cancel', { jobId: 1 })).resolves.toBeUndefined()
  })

  test('rejects with the engine’s code and words', async () => {
    reply(409, { ok: false, error: { code: 'conflict', message: 'There are no groups yet.' } })
    const error = await new BrowserApi(place)
      .invoke('export.plan', {
        destination: '/x',
        mode: 'copy',
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ code: 'conflict', message: 'There are no groups yet.' })
  })

  test('explains a missing token and an unreachable server in words', async () => {
    fetchMock.mockResolvedValueOnce(new Response('Unauthorised', { status: 401 }))
    await expect(new BrowserApi(place).invoke('edits.state', {})).rejects.toThrow(
      /open the link that “kindred serve” printed/,
    )
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await expect(new BrowserApi(place).invoke('edits.state', {})).rejects.toMatchObject({
      code: 'engine-unavailable',
    })
  })

  test('photo URLs are relative, and there is no native folder picker', async () => {
    const api = new BrowserApi(place)
    expect(api.photoUrl(12, 'thumbnail')).toBe('/photos/12/thumbnail')
    expect(api.photoUrl(12, 'full')).toBe('/photos/12/full')
    await expect(api.pickFolder()).resolves.toBeNull()
  })

  test('events arrive from the WebSocket; after a reconnect the UI is told to re-query', () => {
    const api = new BrowserApi(place)
    const seen: EngineEvent[] = []
    const stop = api.onEvent((e) => seen.push(e))
    const first = FakeSocket.made[0]!
    expect(first.url).toBe('ws://127.0.0.1:4321/api/events')
    first.onopen?.()
    first.onmessage?.({ data: JSON.stringify({ type: 'clusters.changed' }) })
    first.onmessage?.({ data: 'not json' })
    expect(seen).toEqual([{ type: 'clusters.changed' }])

    first.onclose?.() // the server went away
    vi.advanceTimersByTime(500)
    const second = FakeSocket.made[1]!
    second.onopen?.()
    expect(seen.at(-1)).toEqual({ type: 'engine.restarted' })

    stop()
    expect(second.closed).toBe(true)
    vi.advanceTimersByTime(20_000)
    expect(FakeSocket.made).toHaveLength(2) // no reconnect once nobody listens
  })
})
