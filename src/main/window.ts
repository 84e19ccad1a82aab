import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, session, shell } from 'electron'
import { appCsp } from '../hosts/csp'
import { isAppUrl } from './navigation'

/** The page the window shows: the dev server in development, else the built index.html. */
export function appUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL
  if (!app.isPackaged && dev) return dev
  return pathToFileURL(path.join(__dirname, '../renderer/index.html')).href
}

/**
 * Session-wide hardening: a CSP header on everything served over http(s) (the dev server;
 * the built page carries the same policy in a meta tag), no permissions (camera, geolocation,
 * notifications...) for anyone, and no remote requests at all outside development.
 */
export function hardenSession(): void {
  const dev = appUrl().startsWith('http')
  const csp = appCsp(dev)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    })
  })
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const remote = /^(https?|wss?):/.test(details.url)
    callback({
      cancel: remote && !(dev && isAppUrl(details.url, appUrl())) && !isDevSocket(details.url, dev),
    })
  })
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
}

function isDevSocket(url: string, dev: boolean): boolean {
  return dev && /^ws:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(url)
}

/** Every web contents (windows and anything they try to create) is locked to the app page. */
export function guardNavigation(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the web open in the person's browser, never inside the app.
      if (/^https:\/\//.test(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appUrl())) event.preventDefault()
    })
    // Frames too (the CSP already keeps other origins out of frames).
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url, appUrl())) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, appUrl())) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Kindred',
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(appUrl())
  return window
}
