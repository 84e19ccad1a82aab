/**
 * The library's folders, photo counts and unreadable files. Changes reload them through the
 * engine's `library.changed` announcement, not here.
 */
import type { FailedPhoto, KindredApi, LibrarySummary } from '../../../shared/contract'

const FAILURE_PAGE = 100

export class LibraryManager {
  #api: KindredApi
  summary = $state<LibrarySummary | null>(null)
  failures = $state.raw<FailedPhoto[]>([])
  failuresTotal = $state(0)

  constructor(api: KindredApi) {
    this.#api = api
  }

  readonly usablePhotos = $derived(this.summary?.photos.ok ?? 0)
  readonly hasFolders = $derived((this.summary?.folders.length ?? 0) > 0)

  async refresh(): Promise<void> {
    const [summary, failures] = await Promise.all([
      this.#api.invoke('library.summary', {}),
      this.#api.invoke('library.failures', {
        offset: 0,
        limit: Math.max(FAILURE_PAGE, this.failures.length),
      }),
    ])
    this.summary = summary
    this.failures = failures.items
    this.failuresTotal = failures.total
  }

  async loadMoreFailures(): Promise<void> {
    const page = await this.#api.invoke('library.failures', {
      offset: this.failures.length,
      limit: FAILURE_PAGE,
    })
    this.failures = [...this.failures, ...page.items]
    this.failuresTotal = page.total
  }

  /** Adds a folder and starts importing it; answers the import job's id. */
  addFolder(path: string): Promise<{ jobId: number }> {
    return this.#api.invoke('library.addFolder', { path })
  }

  async removeFolder(folderId: number): Promise<void> {
    await this.#api.invoke('library.removeFolder', { folderId })
  }

  /** Switches picking up changes in a folder on or off. */
  async setWatched(folderId: number, watch: boolean): Promise<void> {
    await this.#api.invoke('library.watchFolder', { folderId, watch })
    await this.refresh()
  }

  /** Imports what is new in every folder; answers the import job's id. */
  rescan(): Promise<{ jobId: number }> {
    return this.#api.invoke('library.rescan', {})
  }
}
