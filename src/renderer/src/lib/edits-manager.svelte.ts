/** Undo and redo of the edits a person made (rename, merge, split, move), with their labels. */
import type { EditState, KindredApi } from '../../../shared/contract'

const NOTHING: EditState = { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }

export class EditsManager {
  #api: KindredApi
  state = $state<EditState>(NOTHING)
  busy = $state(false)

  constructor(api: KindredApi) {
    this.#api = api
  }

  async refresh(): Promise<void> {
    this.state = await this.#api.invoke('edits.state', {})
  }

  async undo(): Promise<void> {
    if (!this.state.canUndo || this.busy) return
    await this.#run(() => this.#api.invoke('edits.undo', {}))
  }

  async redo(): Promise<void> {
    if (!this.state.canRedo || this.busy) return
    await this.#run(() => this.#api.invoke('edits.redo', {}))
  }

  async #run(action: () => Promise<EditState>): Promise<void> {
    this.busy = true
    try {
      this.state = await action()
    } finally {
      this.busy = false
    }
  }
}

/** Which history action a key press asks for, if any (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y; Cmd on macOS). */
export function historyShortcut(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null
  const key = event.key.toLowerCase()
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo'
  if (key === 'y' && !event.shiftKey) return 'redo'
  return null
}
