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

export class FolderWatcher {
  readonly #listener: WatcherListener
  readonly #options: WatcherOptions
  readonly #libraryDirs: string[]
  /** Real path watched → the folder as the library knows it. */
  readonly #roots = new Map<string, string>()
  readonly #realRoots = new Set<string>()
  #native: FSWatcher | null = null
  #polling: FSWatcher | null = null

  constructor(libraryDir: string, listener: WatcherListener, options: WatcherOptions = {}) {
    this.#listener = listener
    this.#options = options
    this.#libraryDirs = [path.resolve(libraryDir), realPath(libraryDir)]
  }

  /** The folders watched now, as the library knows them. */
  get folders(): string[] {
    return [...this.#roots.values()]
  }

  /** Watches exactly `folders` from now on (folders that are not there are left out). */
  setFolders(folders: readonly string[]): void {
    const wanted = new Map<string, string>()
    for (const folder of folders) {
      if (!isFolder(folder)) continue
      wanted.set(realPath(folder), folder)
    }
    for (const [real] of this.#roots) {
      if (wanted.has(real)) continue
      this.#roots.delete(real)
      this.#realRoots.delete(real)
      this.#native?.unwatch(real)
      this.#polling?.unwatch(real)
    }
    for (const [real, folder] of wanted) {
      if (this.#roots.has(real)) continue
      this.#roots.set(real, folder)
      this.#realRoots.add(real)
      this.#watcherFor(real).add(real)
    }
  }

  async close(): Promise<void> {
    const watchers = [this.#native, this.#polling]
    this.#native = this.#polling = null
    this.#roots.clear()
    this.#realRoots.clear()
    await Promise.all(watchers.map((w) => w?.close()))
  }

  #watcherFor(real: string): FSWatcher {
    const polled = this.#options.poll === true || isOnNetworkDrive(real)
    if (polled) return (this.#polling ??= this.#start(true))
    return (this.#native ??= this.#start(false))
  }

  #start(usePolling: boolean): FSWatcher {
    const interval = this.#options.pollIntervalMs ?? 2000
    const watcher = watch([], {
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
      ignored: watchIgnore(() => this.#realRoots, this.#libraryDirs),
    })
    watcher.on('all', (event, file) => {
      const kind = EVENTS[event]
      const found = kind && this.#folderOf(file)
      if (kind && found) this.#listener.change(found.folder, kind, found.file)
    })
    watcher.on('error', (error) => this.#listener.error(asError(error)))
    return watcher
  }

  /** The innermost watched folder holding `file`, and the file's path inside it. */
  #folderOf(file: string): { folder: string; file: string } | undefined {
    let best: string | undefined
    for (const real of this.#realRoots) {
      const inside =
        file === real || file.startsWith(real.endsWith(path.sep) ? real : real + path.sep)
      if (inside && (best === undefined || real.length > best.length)) best = real
    }
    const folder = best === undefined ? undefined : this.#roots.get(best)
    return folder === undefined
      ? undefined
      : { folder, file: path.join(folder, path.relative(best!, file)) }
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
