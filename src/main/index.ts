/**
 * Kindred's Electron main process: a secure window, the engine in a supervised utility
 * process, the validated IPC bridge and the `kindred-photo://` protocol.
 */
import path from 'node:path'
import { app, BrowserWindow } from 'electron'
import type { EngineEvent } from '../shared/contract'
import { CHANNELS } from './channels'
import { startEngine } from './engine-host'
import { registerIpc } from './ipc'
import { handlePhotoProtocol, registerPhotoScheme } from './photo-protocol'
import { appUrl, createMainWindow, guardNavigation, hardenSession } from './window'

/** `KINDRED_LIBRARY`, else `<userData>/library` (the same folder the CLI uses by default). */
function libraryDir(): string {
  return path.resolve(process.env.KINDRED_LIBRARY ?? path.join(app.getPath('userData'), 'library'))
}

function broadcast(event: EngineEvent): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(CHANNELS.event, event)
  }
}

app.enableSandbox()
registerPhotoScheme()
guardNavigation()

if (!app.requestSingleInstanceLock()) {
  // One app per library: a second instance hands over to the first.
  app.quit()
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows()
    if (window?.isMinimized()) window.restore()
    window?.focus()
  })

  void app.whenReady().then(() => {
    const engine = startEngine(libraryDir())
    engine.onEvent(broadcast)
    engine.started().catch((error: unknown) => {
      broadcast({
        type: 'engine.crashed',
        reason: error instanceof Error ? error.message : String(error),
      })
    })
    hardenSession()
    handlePhotoProtocol(engine)
    registerIpc(engine, appUrl())
    createMainWindow()

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
    })

    let quitting = false
    app.on('before-quit', (event) => {
      if (quitting) return
      // Let the engine cancel its jobs and close the database before the app exits.
      event.preventDefault()
      quitting = true
      void engine.close().finally(() => app.quit())
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
