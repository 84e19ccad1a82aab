/**
 * Watches photo folders with chokidar: the OS's change notices where they are reliable, polling
 * on network drives (or everywhere when asked). A file counts once it has stopped growing, so a
 * half-copied photo is not read; links are not followed (one into /proc would lead through the
 * whole system); errors (a folder that cannot be read, too many watches) are reported, never
 * thrown.
 */
import fs from 'node:fs'
import path from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import type { ChangeKind } from './batch'
import { watchIgnore } from './ignore'
import { isOnNetworkDrive } from './network'

export interface WatcherOptions {
  /** Poll every folder, not only those on network drives. */
  poll?: boolean
  /** How long a file must keep its size before it counts as written (ms). */
  stabilityMs?: number
  /** How often polled folders are looked at (ms). */
  pollIntervalMs?: number
}

export interface WatcherListener {
  /** `file` changed under the watched folder `folder` (both as the library knows them). */
  change(folder: string, kind: ChangeKind, file: string): void
  error(error: Error): void
}

const EVENTS: Record<string, ChangeKind | undefined> = {
  add: 'add',
  addDir: 'add',
  change: 'change',
  unlink: 'unlink',
  unlinkDir: 'unlink',
}

interface Watched {
  /** The folder as the library knows it (its real path is the key). */
  folder: string
  watcher: FSWatcher
  /** Settles once the first look through the folder is over: changes after it are events. */
  ready: Promise<void>
  /** Settles `ready` (when the watcher stops before it). */
  settle: () => void
}

/** One chokidar watcher per folder: each says on its own when it is ready, and stops alone. */
export class FolderWatcher {
  readonly #listener: WatcherListener
  readonly #options: WatcherOptions
  readonly #libraryDirs: string[]
  readonly #watched = new Map<string, Watched>()

  constructor(libraryDir: string, listener: WatcherListener, options: WatcherOptions = {}) {
    this.#listener = listener
    this.#options = options
    this.#libraryDirs = [path.resolve(libraryDir), realPath(libraryDir)]
  }

  /** The folders watched now, as the library knows them. */
  get folders(): string[] {
    return [...this.#watched.values()].map((w) => w.folder)
  }

  /** Resolves once every folder watched now has been looked through. */
  async ready(): Promise<void> {
    await Promise.all([...this.#watched.values()].map((w) => w.ready))
  }

  /** Watches exactly `folders` from now on (folders that are not there are left out). */
  setFolders(folders: readonly string[]): void {
    const wanted = new Map<string, string>()
    for (const folder of folders) {
      if (isFolder(folder)) wanted.set(realPath(folder), folder)
    }
    for (const [real, watched] of this.#watched) {
      if (wanted.get(real) === watched.folder) continue
      this.#watched.delete(real)
      watched.settle()
      void watched.watcher.close()
    }
    for (const [real, folder] of wanted) {
      if (!this.#watched.has(real)) this.#watched.set(real, this.#watch(real, folder))
    }
  }

  async close(): Promise<void> {
    const watched = [...this.#watched.values()]
    this.#watched.clear()
    for (const w of watched) w.settle()
    await Promise.all(watched.map((w) => w.watcher.close()))
  }

  #watch(real: string, folder: string): Watched {
    const usePolling = this.#options.poll === true || isOnNetworkDrive(real)
    const interval = this.#options.pollIntervalMs ?? 2000
    const watcher = watch(real, {
      ignoreInitial: true,
      followSymlinks: false,
      ignorePermissionErrors: true,
      atomic: true,
      usePolling,
      interval,
      binaryInterval: interval,
      awaitWriteFinish: {
        stabilityThreshold: this.#options.stabilityMs ?? 700,
        pollInterval: 100,
      },
      ignored: watchIgnore(new Set([real]), this.#libraryDirs),
    })
    let settle!: () => void
    const ready = new Promise<void>((resolve) => (settle = resolve))
    watcher.once('ready', settle)
    watcher.on('all', (event, file) => {
      const kind = EVENTS[event]
      if (kind) this.#listener.change(folder, kind, path.join(folder, path.relative(real, file)))
    })
    watcher.on('error', (error) => this.#listener.error(asError(error)))
    return { folder, watcher, ready, settle }
  }
}

function realPath(folder: string): string {
  try {
    return fs.realpathSync(folder)
  } catch {
    return path.resolve(folder)
  }
}

function isFolder(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory()
  } catch {
    return false
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
