import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineEvent, KindredApi } from '../../src/shared/contract'
import { CHANNELS } from '../../src/main/channels'

// Electron cannot run here: the preload is loaded against a stand-in `electron` module that
// records what it exposes and plays the main process's side of IPC.
const exposed = new Map<string, unknown>()
const ipc = Object.assign(new EventEmitter(), {
  replies: new Map<string, (...args: unknown[]) => unknown>(),
  invoke: vi.fn(async (channel: string, ...args: unknown[]) => ipc.replies.get(channel)!(...args)),
})
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: ipc,
}))

async function loadApi(): Promise<KindredApi> {
  exposed.clear()
  vi.resetModules()
  await import('../../src/preload/index')
  return exposed.get('kindred') as KindredApi
}

beforeEach(() => {
  ipc.removeAllListeners()
  ipc.replies.clear()
  ipc.invoke.mockClear()
})

describe('preload', () => {
  it('exposes exactly the KindredApi under window.kindred, and nothing else', async () => {
    const api = await loadApi()
    expect([...exposed.keys()]).toEqual(['kindred'])
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onEvent', 'photoUrl', 'pickFolder'])
    expect(api.photoUrl(7, 'thumbnail')).toBe('kindred-photo://thumbnail/7')
  })

  it('invokes through the one channel and rejects with a plain CommandError', async () => {
    const api = await loadApi()
    ipc.replies.set(CHANNELS.invoke, (command) =>
      command === 'jobs.list'
        ? { ok: true, result: [] }
        : { ok: false, error: { code: 'not-found', message: 'There is no job 9.' } },
    )
    expect(await api.invoke('jobs.list', {})).toEqual([])
    const error = await api.invoke('jobs.cancel', { jobId: 9 }).catch((e: unknown) => e)
    expect(error).toEqual({ code: 'not-found', message: 'There is no job 9.' })
    expect(ipc.invoke).toHaveBeenCalledWith(CHANNELS.invoke, 'jobs.cancel', { jobId: 9 })
  })

  it('delivers events until unsubscribed, and picks folders through main', async () => {
    const api = await loadApi()
    const seen: EngineEvent[] = []
    const stop = api.onEvent((event) => seen.push(event))
    ipc.emit(CHANNELS.event, {}, { type: 'clusters.changed' })
    stop()
    ipc.emit(CHANNELS.event, {}, { type: 'library.changed' })
    expect(seen).toEqual([{ type: 'clusters.changed' }])
    expect(ipc.listenerCount(CHANNELS.event)).toBe(0)
    ipc.replies.set(CHANNELS.pickFolder, () => '/home/me/Pictures')
    expect(await api.pickFolder()).toBe('/home/me/Pictures')
  })
})
