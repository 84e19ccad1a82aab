/**
 * The preload: gives the sandboxed renderer exactly the KindredApi and nothing else (no
 * ipcRenderer, no Node). Failures reject with a plain `{ code, message }` CommandError,
 * because Error objects lose their fields crossing the context bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { EngineEvent, KindredApi, WireResponse } from '../shared/contract'
import { CHANNELS } from '../main/channels'
import { photoUrl } from '../main/photo-url'

const api: KindredApi = {
  async invoke(command, args) {
    const envelope = (await ipcRenderer.invoke(CHANNELS.invoke, command, args)) as WireResponse
    if (!envelope.ok) throw { code: envelope.error.code, message: envelope.error.message }
    return envelope.result as never
  },
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, event: EngineEvent): void => listener(event)
    ipcRenderer.on(CHANNELS.event, forward)
    return () => {
      ipcRenderer.off(CHANNELS.event, forward)
    }
  },
  photoUrl,
  pickFolder: () => ipcRenderer.invoke(CHANNELS.pickFolder) as Promise<string | null>,
}

contextBridge.exposeInMainWorld('kindred', api)
