import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron'
import type { EngineHandle } from '../core/engine/handle'
import type { WireResponse } from '../shared/contract'
import { invokeCommand } from '../hosts/invoke'
import { CHANNELS } from './channels'
import { isAppUrl } from './navigation'

/**
 * The renderer's only doors into the main process: `invoke` (validated against the contract's
 * schemas, then forwarded to the engine) and the native folder picker. Messages from any
 * frame that is not the app's own page are refused.
 */
export function registerIpc(engine: EngineHandle, appUrl: string): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const url = event.senderFrame?.url
    return typeof url === 'string' && isAppUrl(url, appUrl)
  }

  ipcMain.handle(
    CHANNELS.invoke,
    (event, command: unknown, args: unknown): Promise<WireResponse> => {
      if (!trusted(event)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'invalid-arguments', message: 'Refused a command from an unknown page.' },
        })
      }
      return invokeCommand(engine, command, args)
    },
  )

  ipcMain.handle(CHANNELS.pickFolder, async (event): Promise<string | null> => {
    if (!trusted(event)) return null
    const window = BrowserWindow.fromWebContents(event.sender)
    const options = { title: 'Choose a photo folder', properties: ['openDirectory' as const] }
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  })
}
