/**
 * The Engine: one core behind every host (Electron's utility process, `kindred serve`, tests).
 * A host opens it on a library folder, sends it commands by name with their arguments, and
 * listens to its events. Arguments are validated here, whoever sends them.
 */
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  EngineEvent,
  PhotoId,
  PhotoKind,
} from '../../shared/contract'
import { markInterruptedExports } from '../export'
import { markInterruptedJobs } from '../jobs'
import { acquireJobLock } from '../jobs/lock'
import { openLibrary, type Library } from '../store/library'
import { handlers } from './commands'
import type { EngineContext } from './context'
import { CommandFailure, toCommandError } from './errors'
import { EventHub } from './events'
import type { EngineHandle, PhotoFile } from './handle'
import { resolvePhotoFile } from './photo-files'
import { needsPreview, previewFile } from './previews'
import { cancelAllJobs } from './handlers/jobs'
import { parseCommand } from './schemas'
import { FolderWatching, type WatchOptions } from './watching'

export interface EngineOptions {
  /** Watch the library's photo folders while the engine runs (see watching.ts). */
  watch?: boolean | WatchOptions
}

export class Engine implements EngineHandle {
  readonly #lib: Library
  readonly #events = new EventHub<EngineEvent>()
  readonly #closing = new AbortController()
  readonly #context: EngineContext
  readonly #watching: FolderWatching | null

  private constructor(lib: Library, options: EngineOptions) {
    this.#lib = lib
    this.#context = { lib, events: this.#events, closing: this.#closing.signal, running: new Set() }
    const watch = options.watch === true ? {} : options.watch || null
    this.#watching = watch ? new FolderWatching(this.#context, watch) : null
  }

  /** Opens (creating if needed) the library in `libraryDir`. */
  static async open(libraryDir: string, options: EngineOptions = {}): Promise<Engine> {
    const lib = openLibrary(libraryDir)
    settleInterruptedJobs(lib)
    return new Engine(lib, options)
  }

  get libraryDir(): string {
    return this.#lib.dir
  }

  /** The photo folders being watched now (none unless opened with `watch`). */
  get watchedFolders(): string[] {
    return this.#watching?.folders ?? []
  }

  /** Resolves once the watched folders have been looked through: changes from now on count. */
  watchReady(): Promise<void> {
    return this.#watching?.ready() ?? Promise.resolve()
  }

  /** Resolves once the folder changes seen so far have been handled. */
  watchSettled(): Promise<void> {
    return this.#watching?.settled() ?? Promise.resolve()
  }

  /**
   * Runs a command. Rejects with a CommandFailure: 'invalid-arguments' for an unknown command
   * or malformed arguments, else the handler's own code ('not-found', 'conflict', 'failed').
   */
  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    if (this.#closing.signal.aborted) {
      throw new CommandFailure('engine-unavailable', 'The engine is shutting down.')
    }
    const parsed = parseCommand(command, args)
    const handler = handlers[command] as (
      ctx: EngineContext,
      args: CommandArgs<C>,
    ) => CommandResult<C> | Promise<CommandResult<C>>
    try {
      return await handler(this.#context, parsed as CommandArgs<C>)
    } catch (error) {
      if (error instanceof CommandFailure) throw error
      const { code, message } = toCommandError(error)
      throw new CommandFailure(code, message)
    }
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.#events.on(listener)
  }

  /** The file to serve for a photo: its thumbnail, its original, or a JPEG rendition of it. */
  async photoFile(photoId: PhotoId, kind: PhotoKind): Promise<PhotoFile> {
    const file = resolvePhotoFile(this.#lib, photoId, kind)
    if (kind !== 'full' || !needsPreview(file)) return file
    try {
      return await previewFile(this.#lib, photoId, file)
    } catch {
      // sharp could not render it: the thumbnail is better than a broken image.
      return resolvePhotoFile(this.#lib, photoId, 'thumbnail')
    }
  }

  /** Cancels running jobs, waits briefly for them, and closes the library. */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return
    this.#closing.abort()
    await this.#watching?.close()
    await cancelAllJobs(this.#context)
    this.#events.clear()
    this.#lib.close()
  }
}

/**
 * Jobs left 'running' by an engine that crashed or was killed are shown as interrupted (and
 * stay resumable) instead of running forever, unless another live process holds the library's
 * job lock and may really be running them.
 */
function settleInterruptedJobs(lib: Library): void {
  let release: () => void
  try {
    release = acquireJobLock(lib.dir)
  } catch {
    return
  }
  try {
    markInterruptedJobs(lib.db)
    markInterruptedExports(lib.db)
  } finally {
    release()
  }
}
