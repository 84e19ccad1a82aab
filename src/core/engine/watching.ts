/**
 * Watching the library's photo folders while the engine runs: changes are gathered into
 * batches, and each batch runs the same jobs as adding a folder (import, then assign into the
 * existing groups), then tells what changed with a `library.watched` event. A folder switched
 * off in the Library is not watched; the watched set follows the library as folders come and go.
 */
import fs from 'node:fs'
import type { EngineEvent } from '../../shared/contract'
import { currentRun } from '../clusters'
import type { ImportSummary } from '../ingest'
import type { JobSpec, StageDef } from '../jobs'
import { listFolders } from '../library'
import { assignJob } from '../pipeline'
import {
  ChangeBatcher,
  countGrouped,
  FolderWatcher,
  isEmptyReport,
  newPhotoIds,
  newestPhotoId,
  watchReport,
  type ChangeBatch,
  type WatcherOptions,
} from '../watch'
import type { EngineContext } from './context'
import { importJob } from '../ingest/job'
import { launchTrackedJob } from './handlers/jobs'

export interface WatchOptions extends WatcherOptions {
  /** Quiet time that ends a batch (ms). */
  quietMs?: number
  /** Longest a batch gathers before it is handled anyway (ms). */
  maxWaitMs?: number
}

export class FolderWatching {
  readonly #ctx: EngineContext
  readonly #watcher: FolderWatcher
  readonly #batcher: ChangeBatcher
  readonly #stopListening: () => void
  #lastError = ''
  /** Folders that were switched off when the library was last looked at. */
  #switchedOff = new Set<number>()

  constructor(ctx: EngineContext, options: WatchOptions = {}) {
    this.#ctx = ctx
    this.#batcher = new ChangeBatcher((batch) => this.#handle(batch), {
      quietMs: options.quietMs ?? 500,
      maxWaitMs: options.maxWaitMs ?? 10_000,
    })
    this.#watcher = new FolderWatcher(
      ctx.lib.dir,
      {
        change: (folder, kind, file) => this.#batcher.note(folder, kind, file),
        error: (error) => this.#reportError(error),
      },
      options,
    )
    this.#stopListening = ctx.events.on((event: EngineEvent) => {
      if (event.type === 'library.changed') this.follow()
    })
    this.follow()
  }

  /** The folders watched now. */
  get folders(): string[] {
    return this.#watcher.folders
  }

  /**
   * Watches the library's folders that are switched on, and only those. A folder switched on
   * again is read at once: what changed there while it was off is picked up too.
   */
  follow(): void {
    if (this.#ctx.closing.aborted) return
    const folders = listFolders(this.#ctx.lib)
    this.#watcher.setFolders(folders.filter((f) => f.watched).map((f) => f.path))
    for (const folder of folders) {
      if (folder.watched && this.#switchedOff.has(folder.id))
        this.#batcher.note(folder.path, 'change', folder.path)
    }
    this.#switchedOff = new Set(folders.filter((f) => !f.watched).map((f) => f.id))
  }

  /** Stops watching; a batch being handled ends with the engine's jobs. */
  async close(): Promise<void> {
    this.#stopListening()
    this.#batcher.close()
    await this.#watcher.close()
  }

  /** Resolves once every watched folder has been looked through: later changes are seen. */
  ready(): Promise<void> {
    return this.#watcher.ready()
  }

  /** Resolves once no batch is being handled (tests and benchmarks wait for quiet). */
  settled(): Promise<void> {
    return this.#batcher.settled()
  }

  async #handle(batch: ChangeBatch): Promise<void> {
    const { lib } = this.#ctx
    // Only folders still watched, and still there (a drive unplugged meanwhile waits for a rescan).
    const watched = new Set(this.#watcher.folders)
    const folders = batch.folders.filter((f) => watched.has(f) && isFolder(f))
    if (folders.length === 0 || this.#ctx.closing.aborted) return
    const seen: { before: number; summary?: ImportSummary } = { before: 0 }
    const imported = await launchTrackedJob(
      this.#ctx,
      markNewest(
        importJob(lib, folders, (summary) => (seen.summary = summary)),
        () => (seen.before = newestPhotoId(lib.db)),
      ),
    ).ended
    const summary = seen.summary
    // Once the engine closes, the library may be closed too: nothing more is read from it.
    if (!imported || !summary || this.#ctx.closing.aborted) return
    const fresh = newPhotoIds(lib.db, seen.before)
    const organized = currentRun(lib.db) !== null
    // Changed photos lost their features with their old content, and a photo that failed before
    // and reads now was never placed: the assign job embeds and places them as well.
    const toPlace = fresh.length + summary.updated + summary.moved
    if (organized && toPlace > 0 && !this.#ctx.closing.aborted) {
      await launchTrackedJob(this.#ctx, assignJob(lib)).ended
      if (this.#ctx.closing.aborted) return
    }
    const report = watchReport({
      summary,
      paths: batch.paths,
      newPhotos: fresh.length,
      grouped: organized ? countGrouped(lib.db, fresh) : null,
    })
    if (!isEmptyReport(report) && !this.#ctx.closing.aborted) {
      this.#ctx.events.emit({ type: 'library.watched', report })
    }
  }

  /** Said once per kind of problem, not once per file: a full inotify table repeats itself. */
  #reportError(error: Error): void {
    const text = error.message
    if (text === this.#lastError) return
    this.#lastError = text
    console.error(`kindred: watching the photo folders: ${text}`)
  }
}

/** Runs `mark` when the job really starts: other jobs queued before it may add photos too. */
function markNewest(spec: JobSpec, mark: () => void): JobSpec {
  const [first, ...rest] = spec.stages
  if (!first) return spec
  const marked: StageDef = { stage: first.stage, run: (ctx) => (mark(), first.run(ctx)) }
  return { ...spec, stages: [marked, ...rest] }
}

function isFolder(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory()
  } catch {
    return false
  }
}
