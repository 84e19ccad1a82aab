/**
 * Gathers file events into batches, so that copying 500 photos makes one import, not 500. A
 * batch is handed over once its folders have been quiet for `quietMs`, or `maxWaitMs` after its
 * first event (a long copy is picked up in parts); while a batch is handled, the next one
 * gathers, and waits for it.
 */

export type ChangeKind = 'add' | 'change' | 'unlink'

export interface ChangeBatch {
  /** The watched folders where something changed. */
  folders: string[]
  /** How many file events of each kind the batch gathered (a hint: the import counts). */
  events: Record<ChangeKind, number>
  /** The paths that changed (files and folders). */
  paths: Set<string>
}

export interface BatchTiming {
  quietMs: number
  maxWaitMs: number
}

export class ChangeBatcher {
  readonly #handle: (batch: ChangeBatch) => Promise<void>
  readonly #timing: BatchTiming
  #folders = new Set<string>()
  #paths = new Set<string>()
  #events: Record<ChangeKind, number> = { add: 0, change: 0, unlink: 0 }
  #quiet: NodeJS.Timeout | undefined
  #deadline: NodeJS.Timeout | undefined
  #handling: Promise<void> | null = null
  #closed = false

  constructor(handle: (batch: ChangeBatch) => Promise<void>, timing: BatchTiming) {
    this.#handle = handle
    this.#timing = timing
  }

  /** Notes one event: `file` changed in the watched folder `folder`. */
  note(folder: string, kind: ChangeKind, file: string): void {
    if (this.#closed) return
    this.#folders.add(folder)
    this.#paths.add(file)
    this.#events[kind]++
    clearTimeout(this.#quiet)
    this.#quiet = setTimeout(() => this.#flush(), this.#timing.quietMs)
    this.#deadline ??= setTimeout(() => this.#flush(), this.#timing.maxWaitMs)
  }

  /**
   * Drops what was gathered; a batch being handled goes on (its jobs are cancelled with the
   * engine's). `settled` waits for it.
   */
  close(): void {
    this.#closed = true
    this.#clearTimers()
    this.#folders.clear()
    this.#paths.clear()
  }

  /** Resolves once no batch is being handled. */
  async settled(): Promise<void> {
    while (this.#handling) await this.#handling
  }

  #clearTimers(): void {
    clearTimeout(this.#quiet)
    clearTimeout(this.#deadline)
    this.#quiet = this.#deadline = undefined
  }

  #flush(): void {
    this.#clearTimers()
    if (this.#closed || this.#folders.size === 0) return
    if (this.#handling) return // the running batch flushes this one when it ends
    const batch = { folders: [...this.#folders], events: this.#events, paths: this.#paths }
    this.#folders = new Set()
    this.#paths = new Set()
    this.#events = { add: 0, change: 0, unlink: 0 }
    this.#handling = this.#handle(batch)
      .catch((error: unknown) => console.error('kindred: watching the folders failed:', error))
      .finally(() => {
        this.#handling = null
        this.#flush()
      })
  }
}
