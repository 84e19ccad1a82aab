/**
 * Everything the screens share: the API, one manager per concern, where the person is, and the
 * wiring of engine events to those managers. The engine's change events are the only thing that
 * reloads a view after an edit or a job: each change is announced once, so it is loaded once.
 */
import { createContext } from 'svelte'
import type {
  ClusterId,
  EngineEvent,
  EngineInfo,
  KindredApi,
  PhotoQuery,
} from '../../../shared/contract'
import type { JobKind } from '../../../shared/jobs'
import { ClustersManager } from './clusters-manager.svelte'
import { DuplicatesManager } from './duplicates-manager.svelte'
import { EditsManager } from './edits-manager.svelte'
import { errorMessage } from './errors'
import { JobsManager } from './jobs-manager.svelte'
import { LibraryManager } from './library-manager.svelte'
import { Notices } from './notices.svelte'
import { ThemeManager } from './theme-manager.svelte'

export type Screen =
  'library' | 'organize' | 'groups' | 'group' | 'search' | 'review' | 'duplicates'

export interface Place {
  screen: Screen
  /** The open group on the 'group' screen; null is Unsorted. */
  groupId?: ClusterId | null
  /** What the 'search' screen looks for. */
  query?: PhotoQuery
}

export class AppState {
  readonly api: KindredApi
  readonly library: LibraryManager
  readonly jobs: JobsManager
  readonly clusters: ClustersManager
  readonly edits: EditsManager
  readonly duplicates: DuplicatesManager
  readonly notices = new Notices()
  readonly theme = new ThemeManager()
  place = $state<Place>({ screen: 'library' })
  engine = $state<EngineInfo | null>(null)
  /** Set while the engine process is down: why, in words. */
  engineDown = $state<string | null>(null)
  ready = $state(false)
  /** The open export dialog: all groups, or only these. */
  exportDialog = $state<{ clusterIds?: ClusterId[] } | null>(null)
  #navigated = false

  constructor(api: KindredApi) {
    this.api = api
    this.library = new LibraryManager(api)
    this.jobs = new JobsManager(api, this.notices)
    this.clusters = new ClustersManager(api)
    this.edits = new EditsManager(api)
    this.duplicates = new DuplicatesManager(api)
  }

  /** Subscribes to engine events and loads the first data; returns the unsubscribe. */
  start(): () => void {
    const stop = this.api.onEvent((event) => this.#onEvent(event))
    void this.loadAll().then(() => {
      this.ready = true
      // Open on the groups when there are some, unless the person already went somewhere.
      if (this.clusters.clusters.length > 0 && !this.#navigated) this.place = { screen: 'groups' }
    })
    return stop
  }

  async loadAll(): Promise<void> {
    await Promise.all([
      this.#try(() => this.refreshEngine()),
      this.#try(() => this.library.refresh()),
      this.#try(() => this.jobs.refresh()),
      this.#try(() => this.clusters.refresh()),
      this.#try(() => this.edits.refresh()),
    ])
  }

  async refreshEngine(): Promise<void> {
    this.engine = await this.api.invoke('engine.info', {})
  }

  /** Cancels a job; a refusal (it already ended, the engine is gone) is told, not thrown. */
  async cancelJob(jobId: number): Promise<void> {
    try {
      await this.jobs.cancel(jobId)
    } catch (error) {
      this.notices.error(error, 'Could not cancel')
    }
  }

  go(screen: Screen, groupId?: ClusterId | null): void {
    this.#navigated = true
    this.place = screen === 'group' ? { screen, groupId: groupId ?? null } : { screen }
  }

  search(query: PhotoQuery): void {
    this.#navigated = true
    this.place = { screen: 'search', query }
  }

  async #try(action: () => Promise<unknown>): Promise<void> {
    try {
      await action()
    } catch (error) {
      this.notices.error(error)
    }
  }

  #onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'progress': {
        this.jobs.handle(event.progress)
        const p = event.progress
        if (p.status === 'done' || p.status === 'failed' || p.status === 'cancelled') {
          if (p.status === 'failed') this.notices.error(p.error, failureContext(p.kind))
          if (p.status === 'done' && p.kind === 'install-model')
            this.notices.info('The model is installed. You can organize your photos now.')
          // What the job changed is reloaded when the engine announces it, just after.
        }
        break
      }
      case 'library.changed':
        void this.#try(() => this.library.refresh())
        break
      case 'clusters.changed':
        void this.#try(() => this.clusters.refresh())
        break
      case 'library.watched':
        // The jobs that did the work already told the views to reload; this says what changed.
        this.notices.info(event.report.message, 10_000)
        break
      case 'models.changed':
        void this.#try(() => this.refreshEngine())
        break
      case 'edits.changed':
        this.edits.state = event.state
        break
      case 'engine.crashed':
        this.engineDown = errorMessage(event.reason)
        break
      case 'engine.restarted':
        this.engineDown = null
        void this.loadAll()
        break
    }
  }
}

/** The install job's errors already say "Could not install the model: …". */
function failureContext(kind: JobKind): string | undefined {
  return kind === 'install-model' ? undefined : `The ${kind} job failed`
}

export const [getApp, setApp] = createContext<AppState>()
