/** Near-duplicate sets at the threshold a person chose, and keeping one photo of a set. */
import type { DuplicateReport, DuplicateSet, KindredApi, PhotoId } from '../../../shared/contract'

export const MIN_THRESHOLD = 0.5
export const MAX_THRESHOLD = 0.99
const STORAGE_KEY = 'kindred.duplicates.threshold'

function storedThreshold(): number | null {
  try {
    const value = Number(globalThis.localStorage?.getItem(STORAGE_KEY) ?? NaN)
    return value >= MIN_THRESHOLD && value <= MAX_THRESHOLD ? value : null
  } catch {
    return null // storage may be off (private windows): the default is fine
  }
}

export class DuplicatesManager {
  #api: KindredApi
  /** The threshold asked for; null means the engine's default. */
  threshold = $state<number | null>(storedThreshold())
  report = $state.raw<DuplicateReport | null>(null)
  loading = $state(false)
  busy = $state(false)
  #asked = 0

  constructor(api: KindredApi) {
    this.#api = api
  }

  /** The threshold in use: the one chosen, else the default the engine reported. */
  get shownThreshold(): number | null {
    return this.threshold ?? this.report?.defaultThreshold ?? null
  }

  async refresh(): Promise<void> {
    const ask = ++this.#asked
    this.loading = true
    try {
      const args = this.threshold === null ? {} : { threshold: this.threshold }
      const report = await this.#api.invoke('duplicates.find', args)
      // A slower answer to an older threshold must not replace a newer one.
      if (ask === this.#asked) this.report = report
    } finally {
      if (ask === this.#asked) this.loading = false
    }
  }

  async setThreshold(value: number | null): Promise<void> {
    this.threshold = value
    try {
      if (value === null) globalThis.localStorage?.removeItem(STORAGE_KEY)
      else globalThis.localStorage?.setItem(STORAGE_KEY, String(value))
    } catch {
      // Not remembered across restarts; it still applies now.
    }
    await this.refresh()
  }

  /** Keeps `keep` and hides every other photo of its set (one undoable edit). */
  async keep(set: DuplicateSet, keep: PhotoId): Promise<void> {
    const hide = set.photos.map((p) => p.photoId).filter((id) => id !== keep)
    await this.#run(() => this.#api.invoke('duplicates.keep', { keep, hide }))
  }

  async show(photoIds: PhotoId[]): Promise<void> {
    if (photoIds.length === 0) return
    await this.#run(() => this.#api.invoke('photos.show', { photoIds }))
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true
    try {
      await action()
      await this.refresh()
    } finally {
      this.busy = false
    }
  }
}
