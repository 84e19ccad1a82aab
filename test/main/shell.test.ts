import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CHANNELS } from '../../src/main/channels'
import { Engine } from '../../src/core/engine/engine'
import { tempDir } from '../helpers/tmp'

// Stand-ins for the Electron APIs the shell configures; they record what the shell asks for.
const electron = vi.hoisted(() => {
  const windows: { options: Record<string, unknown>; loaded: string[] }[] = []
  const handlers = new Map<string, (...args: unknown[]) => unknown>()
  const appEvents = new Map<string, (...args: unknown[]) => void>()
  return { windows, handlers, appEvents, opened: [] as string[], dialogPath: '/home/me/Pictures' }
})

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = new EventEmitter()
    constructor(options: Record<string, unknown>) {
      electron.windows.push({ options, loaded: [] })
    }
    once(): void {}
    loadURL(url: string): Promise<void> {
      electron.windows.at(-1)!.loaded.push(url)
      return Promise.resolve()
    }
    static fromWebContents(): null {
      return null
    }
  }
  return {
    app: {
      isPackaged: true,
      on: (event: string, listener: (...args: unknown[]) => void) =>
        electron.appEvents.set(event, listener),
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: (...args: unknown[]) => unknown) =>
        electron.handlers.set(channel, fn),
    },
    dialog: { showOpenDialog: async () => ({ canceled: false, filePaths: [electron.dialogPath] }) },
    session: {},
    shell: { openExternal: async (url: string) => void electron.opened.push(url) },
  }
})

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

describe('the main window', () => {
  it('is created with context isolation, the sandbox and no Node integration', async () => {
    const { createMainWindow } = await import('../../src/main/window')
    createMainWindow()
    const prefs = electron.windows[0]!.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/)
    expect(electron.windows[0]!.loaded[0]).toMatch(/^file:\/\/.*\/renderer\/index\.html$/)
  })

  it('blocks navigation away from the app, new windows and webviews', async () => {
    const { guardNavigation, appUrl } = await import('../../src/main/window')
    guardNavigation()
    const contents = Object.assign(new EventEmitter(), {
      openHandler: undefined as undefined | ((details: { url: string }) => { action: string }),
      setWindowOpenHandler(fn: (details: { url: string }) => { action: string }) {
        this.openHandler = fn
      },
    })
    electron.appEvents.get('web-contents-created')!({}, contents)
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(electron.opened).toEqual(['https://example.com/'])

    const navigate = (event: string, url: string): boolean => {
      let prevented = false
      contents.emit(event, { preventDefault: () => (prevented = true) }, url)
      return prevented
    }
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true)
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(navigate('will-redirect', 'http://127.0.0.1:8080/')).toBe(true)
    expect(navigate('will-navigate', appUrl())).toBe(false)
    expect(navigate('will-attach-webview', 'https://evil.example/')).toBe(true)
    const frame = (url: string): boolean => {
      let prevented = false
      contents.emit('will-frame-navigate', { url, preventDefault: () => (prevented = true) })
      return prevented
    }
    expect(frame('https://evil.example/frame')).toBe(true)
    expect(frame(appUrl())).toBe(false)
  })
})

describe('IPC in the main process', () => {
  it('answers only the app page, validates, and opens the native folder dialog', async () => {
    const engine = await Engine.open(tempDir())
    engines.push(engine)
    const { registerIpc } = await import('../../src/main/ipc')
    const app = 'file:///opt/Kindred/out/renderer/index.html'
    registerIpc(engine, app)
    const invoke = electron.handlers.get(CHANNELS.invoke)!
    const pick = electron.handlers.get(CHANNELS.pickFolder)!
    const from = (url: string) => ({ senderFrame: { url }, sender: {} })

    expect(await invoke(from(app), 'jobs.list', {})).toEqual({ ok: true, result: [] })
    expect(await invoke(from(app), 'jobs.list', { all: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    })
    expect(await invoke(from('https://evil.example/'), 'jobs.list', {})).toMatchObject({
      ok: false,
      error: { message: 'Refused a command from an unknown page.' },
    })
    expect(await invoke({ senderFrame: null }, 'jobs.list', {})).toMatchObject({ ok: false })
    expect(await pick(from(app))).toBe('/home/me/Pictures')
    expect(await pick(from('https://evil.example/'))).toBeNull()
  })
})
