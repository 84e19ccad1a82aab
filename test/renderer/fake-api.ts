/**
 * An in-memory KindredApi for component tests: a small library with groups and members that
 * really changes on rename/merge/split/move, with snapshot-based undo/redo, export planning and
 * a log of every call. It announces changes as the engine does (`clusters.changed` and
 * `edits.changed` after an edit, the changed views when a job ends), so the renderer's reloads
 * can be counted. Test-only: the app never ships it.
 */
import type {
  ClusterMember,
  ClusterSummary,
  CommandArgs,
  CommandName,
  CommandResult,
  EditState,
  EngineEvent,
  ExportOptions,
  ExportPlan,
  ExportRecord,
  KindredApi,
  PhotoQuery,
  UnsortedReason,
} from '../../src/shared/contract'
import type { JobInfo, JobKind } from '../../src/shared/jobs'

type ChangeEvent = Extract<EngineEvent, { type: `${string}.changed` }>

/** What the engine announces when a job of each kind ends (core/engine/handlers/jobs.ts). */
const JOB_CHANGES: Partial<Record<JobKind, Exclude<ChangeEvent['type'], 'edits.changed'>[]>> = {
  import: ['library.changed'],
  organize: ['clusters.changed', 'library.changed'],
  assign: ['clusters.changed'],
  split: ['clusters.changed'],
  export: ['library.changed'],
  'install-model': ['models.changed'],
}
import { duplicateReport, type FakeSet } from './fake-duplicates'

interface Photo {
  id: number
  cluster: number | null
  confidence: number
  runnerUp: number | null
  source: 'model' | 'user'
  /** Hidden by keeping another photo of its near-duplicate set. */
  hidden?: boolean
}

interface Group {
  id: number
  name: string
  named: boolean
}

interface World {
  groups: Group[]
  photos: Photo[]
}

export interface FakeOptions {
  /** Group sizes; group i gets id i+1 and the name "Group i+1". */
  sizes?: number[]
  unsorted?: number
  /** Near-duplicate sets of photo ids, best first. */
  duplicates?: FakeSet[]
  /** Pairs of group ids that look alike, with their score, most alike first. */
  lookalikes?: [number, number, number][]
}

export class FakeApi implements KindredApi {
  calls: { command: CommandName; args: unknown }[] = []
  world: World
  exports: ExportRecord[] = []
  #undo: { label: string; world: World }[] = []
  #redo: { label: string; world: World }[] = []
  #listeners = new Set<(e: EngineEvent) => void>()
  #nextGroup: number
  #nextJob = 1
  /** Pairs of groups clusters.lookalikes answers, while both groups exist. */
  lookalikes: [number, number, number][]
  /** What jobs.list answers (e.g. an organize job that was interrupted). */
  jobs: JobInfo[] = []
  /** What engine.info reports; models.install does not flip it (the test finishes the job). */
  modelInstalled = true
  /** Whether the library's one folder is watched (library.watchFolder switches it). */
  folderWatched = true
  /** Commands that should fail, with the message the engine would give. */
  failures = new Map<CommandName, string>()
  duplicates: FakeSet[]

  constructor({
    sizes = [6, 4, 3],
    unsorted = 2,
    duplicates = [],
    lookalikes = [],
  }: FakeOptions = {}) {
    this.duplicates = duplicates
    this.lookalikes = lookalikes
    const groups = sizes.map((_, i) => ({ id: i + 1, name: `Group ${i + 1}`, named: false }))
    const photos: Photo[] = []
    let id = 1
    sizes.forEach((size, g) => {
      for (let i = 0; i < size; i++) {
        const confidence = Math.round(1000 * (0.95 - (0.9 * i) / Math.max(1, size))) / 1000
        const runnerUp = sizes.length > 1 ? ((g + 1) % sizes.length) + 1 : null
        photos.push({ id: id++, cluster: g + 1, confidence, runnerUp, source: 'model' })
      }
    })
    // Unsorted photos that fit no group: the model keeps their closest group as runner-up.
    for (let i = 0; i < unsorted; i++) {
      const closest = sizes.length > 0 ? (i % sizes.length) + 1 : null
      photos.push({ id: id++, cluster: null, confidence: 0.3, runnerUp: closest, source: 'model' })
    }
    this.world = { groups, photos }
    this.#nextGroup = sizes.length + 1
  }

  /** What the engine does when an organize job makes a new run: the old run's edits can't be undone. */
  retrained(): void {
    this.#undo = []
    this.#redo = []
  }

  /** Sends an event; a job's end is followed by what the engine says changed with it. */
  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) listener(event)
    if (event.type !== 'progress') return
    const { status, kind } = event.progress
    if (status !== 'done' && status !== 'failed' && status !== 'cancelled') return
    for (const type of JOB_CHANGES[kind] ?? []) this.emit({ type })
    // A new run starts a new edit history.
    if (kind === 'organize') this.emit({ type: 'edits.changed', state: this.#editState() })
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  photoUrl(photoId: number, kind: 'thumbnail' | 'full'): string {
    return `data:image/gif;base64,R0lGODlhAQABAAAAACw=#${kind}-${photoId}`
  }

  async pickFolder(): Promise<string | null> {
    return null
  }

  callsOf<C extends CommandName>(command: C): CommandArgs<C>[] {
    return this.calls.filter((c) => c.command === command).map((c) => c.args as CommandArgs<C>)
  }

  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    this.calls.push({ command, args })
    const failure = this.failures.get(command)
    if (failure) throw { code: 'failed', message: failure }
    return this.#handle(command, args as never) as CommandResult<C>
  }

  #handle(command: CommandName, args: Record<string, never>): unknown {
    const a = args as Record<string, unknown>
    switch (command) {
      case 'engine.info':
        return {
          version: '0.0.0-test',
          libraryDir: '/lib',
          backend: 'cpu',
          device: 'test CPU',
          embedder: { runtime: 'onnxruntime', provider: 'cpu', device: 'test CPU, 2 threads' },
          notices: [
            'The grouping model trains on WebAssembly because the optional package @tensorflow/tfjs-node is not installed.',
          ],
          model: 'mobilenet_v2_1.0_224',
          modelInstalled: this.modelInstalled,
        }
      case 'library.summary':
        return {
          dir: '/lib',
          folders: [
            {
              id: 1,
              path: '/photos',
              photoCount: this.world.photos.length,
              lastScanAt: null,
              watched: this.folderWatched,
            },
          ],
          photos: { ok: this.world.photos.length, failed: 0, missing: 0, duplicates: 0 },
          bytes: 1234,
        }
      case 'library.failures':
        return { total: 0, items: [] }
      case 'jobs.list':
        return this.jobs
      case 'clusters.list':
        return this.#list(a.sort as string)
      case 'photos.search': {
        const { offset, limit, ...query } = args as unknown as CommandArgs<'photos.search'>
        return this.#search(query, offset, limit)
      }
      case 'clusters.members':
        return this.#members(a.clusterId as number | null, a.offset as number, a.limit as number)
      case 'clusters.rename':
        return this.#edit(`rename to “${a.name as string}”`, () => {
          const group = this.#group(a.clusterId as number)
          group.name = a.name as string
          group.named = true
        })
      case 'clusters.merge':
        return this.#edit('merge', () => {
          const into = a.into as number
          const ids = (a.clusterIds as number[]).filter((id) => id !== into)
          for (const p of this.world.photos) if (ids.includes(p.cluster ?? -1)) p.cluster = into
          this.world.groups = this.world.groups.filter((g) => !ids.includes(g.id))
        })
      case 'clusters.lookalikes': {
        const exists = (id: number) => this.world.groups.some((g) => g.id === id)
        return this.lookalikes
          .filter(([x, y]) => exists(x) && exists(y))
          .filter(([x, y]) => a.clusterId === undefined || [x, y].includes(a.clusterId as number))
          .map(([x, y, score]) => ({ clusterIds: [x, y], score }))
      }
      case 'clusters.keepApart': {
        const [x, y] = a.clusterIds as [number, number]
        this.lookalikes = this.lookalikes.filter(
          ([p, q]) => !((p === x && q === y) || (p === y && q === x)),
        )
        this.emit({ type: 'clusters.changed' })
        return undefined
      }
      case 'clusters.split': {
        const created: number[] = []
        this.#edit('split', () => {
          const source = a.clusterId as number
          const parts = a.parts as number
          const ids = [source]
          for (let i = 1; i < parts; i++) {
            const id = this.#nextGroup++
            this.world.groups.push({ id, name: `Group ${id}`, named: false })
            ids.push(id)
          }
          this.world.photos
            .filter((p) => p.cluster === source)
            .forEach((p, i) => (p.cluster = ids[i % parts]!))
          created.push(...ids)
        })
        return { clusterIds: created }
      }
      case 'photos.move':
        return this.#edit('move', () => {
          for (const p of this.world.photos) {
            if ((a.photoIds as number[]).includes(p.id)) {
              p.cluster = a.to as number | null
              p.source = 'user'
            }
          }
        })
      case 'photos.details': {
        const photo = this.world.photos.find((p) => p.id === a.photoId)!
        return {
          id: photo.id,
          path: `/photos/img_${photo.id}.jpg`,
          width: 640,
          height: 480,
          format: 'jpeg',
          size: 50_000,
          takenAt: Date.UTC(2024, 5, 1),
          takenAtSource: 'exif',
          gps: null,
          camera: 'Test Camera',
          clusterId: photo.cluster,
          confidence: photo.confidence,
          source: photo.source,
          unsortedReason: photo.cluster === null ? reasonOf(photo) : null,
        }
      }
      case 'edits.state':
        return this.#editState()
      case 'edits.undo':
        return this.#step(this.#undo, this.#redo)
      case 'edits.redo':
        return this.#step(this.#redo, this.#undo)
      case 'export.plan':
        return this.#plan(args as unknown as ExportOptions)
      case 'export.exampleFolder': {
        // The largest group, photographed on 1 June 2024 (as photos.details says).
        const pattern = a.folderPattern as string
        if (/[/\\]/.test(pattern))
          throw { code: 'invalid-arguments', message: 'It cannot contain / or \\.' }
        const group = this.#list('size').clusters[0]?.name ?? 'Group 1'
        return {
          folder: pattern
            .replaceAll('{group}', group)
            .replaceAll('{year}', '2024')
            .replaceAll('{month}', '06')
            .replaceAll('{day}', '01'),
        }
      }
      case 'export.start': {
        const plan = this.#plan(args as unknown as ExportOptions)
        const record: ExportRecord = {
          id: this.exports.length + 1,
          destination: plan.destination,
          mode: plan.mode,
          state: 'done',
          files: plan.files,
          placed: plan.files,
          error: null,
          startedAt: Date.now(),
        }
        this.exports.push(record)
        return { jobId: this.#newJobId(), exportId: record.id }
      }
      case 'export.list':
        return [...this.exports]
      case 'export.undo': {
        const record = this.exports.find((r) => r.id === a.exportId)!
        record.state = 'undone'
        return undefined
      }
      case 'export.resume': {
        const record = this.exports.find((r) => r.id === a.exportId)!
        record.state = 'done'
        record.placed = record.files
        record.error = null
        return { jobId: this.#newJobId() }
      }
      case 'duplicates.find': {
        const hidden = new Set(this.world.photos.filter((p) => p.hidden).map((p) => p.id))
        return duplicateReport(this.duplicates, hidden, a.threshold as number | undefined)
      }
      case 'duplicates.keep': {
        const hide = a.hide as number[]
        return this.#edit(`Keep 1 photo, hide ${hide.length} photos`, () => {
          for (const p of this.world.photos) {
            if (p.id === a.keep) p.hidden = false
            if (hide.includes(p.id)) p.hidden = true
          }
        })
      }
      case 'photos.show':
        return this.#edit(`Show ${(a.photoIds as number[]).length} photos again`, () => {
          for (const p of this.world.photos)
            if ((a.photoIds as number[]).includes(p.id)) p.hidden = false
        })
      case 'organize.start':
      case 'library.rescan':
      case 'models.install':
        return { jobId: this.#newJobId() }
      case 'library.addFolder': {
        const added = {
          folder: {
            id: 2,
            path: a.path as string,
            photoCount: 0,
            lastScanAt: null,
            watched: true,
          },
          jobId: this.#newJobId(),
        }
        this.emit({ type: 'library.changed' })
        return added
      }
      case 'library.removeFolder':
        this.emit({ type: 'library.changed' })
        this.emit({ type: 'clusters.changed' })
        return undefined
      case 'library.watchFolder':
        this.folderWatched = a.watch as boolean
        return {
          id: 1,
          path: '/photos',
          photoCount: this.world.photos.length,
          lastScanAt: null,
          watched: this.folderWatched,
        }
      case 'organize.resume':
        return this.jobs.some((j) => j.state === 'failed' || j.state === 'cancelled')
          ? { jobId: this.#newJobId() }
          : null
      default:
        return undefined
    }
  }

  /** Job ids only grow, as the engine's do, also past the jobs a test put in `jobs`. */
  #newJobId(): number {
    this.#nextJob = Math.max(this.#nextJob, ...this.jobs.map((j) => j.id + 1))
    return this.#nextJob++
  }

  #group(id: number): Group {
    const group = this.world.groups.find((g) => g.id === id)
    if (!group) throw { code: 'not-found', message: `There is no group ${id}.` }
    return group
  }

  #inGroup(id: number | null): Photo[] {
    return this.world.photos
      .filter((p) => p.cluster === id && !p.hidden)
      .sort((x, y) => y.confidence - x.confidence || x.id - y.id)
  }

  #list(sort: string): { clusters: ClusterSummary[]; unsorted: number } {
    const clusters = this.world.groups.map((g) => {
      const members = this.#inGroup(g.id)
      const mean = members.reduce((s, p) => s + p.confidence, 0) / Math.max(1, members.length)
      return {
        id: g.id,
        name: g.name,
        named: g.named,
        size: members.length,
        meanConfidence: mean,
        prototypes: members.slice(0, 4).map((p) => p.id),
      }
    })
    const by: Record<string, (x: ClusterSummary, y: ClusterSummary) => number> = {
      size: (x, y) => y.size - x.size,
      confidence: (x, y) => y.meanConfidence - x.meanConfidence,
      name: (x, y) => x.name.localeCompare(y.name),
    }
    clusters.sort(by[sort] ?? by.size)
    return { clusters, unsorted: this.#inGroup(null).length }
  }

  #members(id: number | null, offset: number, limit: number) {
    const all = this.#inGroup(id)
    const members = all
      .slice(offset, offset + limit)
      .map((p, i) => member(p, id !== null && offset + i < 4))
    return { total: all.length, members }
  }

  /** Text matches the fake's file names; the fake's photos carry no dates or folders. */
  #search(q: PhotoQuery, offset: number, limit: number) {
    const all = this.world.photos
      .map((p) => ({ ...member(p, false), clusterId: p.cluster, takenAt: null }))
      .filter((p) => !q.text || p.fileName.toLowerCase().includes(q.text.trim().toLowerCase()))
      .filter((p) => !q.doubtful || p.doubtful)
      .filter((p) => q.clusterId === undefined || p.clusterId === q.clusterId)
      .sort((x, y) => (q.doubtful ? x.confidence - y.confidence : 0) || x.photoId - y.photoId)
    return { total: all.length, photos: all.slice(offset, offset + limit) }
  }

  #edit(label: string, change: () => void): undefined {
    this.#undo.push({ label, world: structuredClone(this.world) })
    this.#redo = []
    change()
    this.#announceEdit()
    return undefined
  }

  /** As the engine does after an edit, an undo or a redo. */
  #announceEdit(): void {
    this.emit({ type: 'clusters.changed' })
    this.emit({ type: 'edits.changed', state: this.#editState() })
  }

  #step(from: { label: string; world: World }[], to: { label: string; world: World }[]) {
    const entry = from.pop()
    if (entry) {
      to.push({ label: entry.label, world: structuredClone(this.world) })
      this.world = entry.world
    }
    this.#announceEdit()
    return this.#editState()
  }

  #editState(): EditState {
    return {
      canUndo: this.#undo.length > 0,
      canRedo: this.#redo.length > 0,
      undoLabel: this.#undo.at(-1)?.label ?? null,
      redoLabel: this.#redo.at(-1)?.label ?? null,
    }
  }

  #plan(options: ExportOptions): ExportPlan {
    if (!options.destination.startsWith('/')) {
      throw { code: 'invalid-arguments', message: 'The destination must be a full path.' }
    }
    const { clusters, unsorted } = this.#list('name')
    const chosen = options.clusterIds
      ? clusters.filter((c) => options.clusterIds!.includes(c.id))
      : clusters
    const folders: ExportPlan['folders'] = chosen.map((c) => ({
      name: c.name,
      clusterId: c.id,
      files: c.size,
    }))
    if (options.includeUnsorted)
      folders.push({ name: 'Unsorted', clusterId: null, files: unsorted })
    const files = folders.reduce((s, f) => s + f.files, 0)
    return {
      destination: options.destination,
      mode: options.mode,
      folders,
      files,
      bytes: files * 50_000,
      renamed: 0,
    }
  }
}

function member(p: Photo, isPrototype: boolean): ClusterMember {
  const m = {
    photoId: p.id,
    fileName: `IMG_${String(p.id).padStart(4, '0')}.jpg`,
    probability: p.confidence,
    confidence: p.confidence,
    runnerUp: p.runnerUp,
    source: p.source,
    isPrototype,
    unsortedReason: p.cluster === null ? reasonOf(p) : null,
  }
  // The engine's rule (core/clusters/doubt.ts), which the renderer's build cannot import.
  const doubtful =
    p.source === 'model' && p.cluster !== null && p.runnerUp !== null && p.confidence < 0.5
  return { ...m, doubtful }
}

function reasonOf(p: Photo): UnsortedReason {
  return p.source === 'user' ? 'moved' : 'no-fit'
}
