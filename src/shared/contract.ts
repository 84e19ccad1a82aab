/**
 * The one contract between the UI (Electron renderer or browser mode) and the engine.
 * Types only: the main process and the browser-mode server validate every message at run time
 * against schemas that mirror these types.
 *
 * Longer than 300 lines on purpose: every command, its arguments and its answer in one file,
 * so a host, the schemas and the renderer are read against one list.
 */
import type { JobInfo, Progress } from './jobs'

export type PhotoId = number
export type ClusterId = number

export type ComputeBackend = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu'

/** What computes the photo embeddings: ONNX Runtime with an execution provider, or TF.js. */
export interface EmbedderInfo {
  runtime: 'onnxruntime' | 'tfjs'
  /** ONNX Runtime's execution provider (cuda, dml, coreml, cpu) or the TF.js backend. */
  provider: string
  device: string
}

export interface EngineInfo {
  version: string
  libraryDir: string
  /** The TF.js backend that trains the grouping heads. */
  backend: ComputeBackend
  device: string
  /** What describes (embeds) photos; null until the model is installed. */
  embedder: EmbedderInfo | null
  /** Faster optional packages that are missing, each with how to get it. */
  notices: string[]
  model: string
  modelInstalled: boolean
}

export interface FolderInfo {
  id: number
  path: string
  photoCount: number
  lastScanAt: number | null
  /** Photos added, changed or removed in it are picked up while Kindred runs (no rescan). */
  watched: boolean
}

export interface LibrarySummary {
  dir: string
  folders: FolderInfo[]
  photos: { ok: number; failed: number; missing: number; duplicates: number }
  /** Bytes used by the library folder (database and thumbnails). */
  bytes: number
}

export interface FailedPhoto {
  id: PhotoId
  path: string
  error: string
}

/**
 * Why a photo is in Unsorted: 'no-fit' it doesn't look like any group (the model's calibrated
 * rule; its closest group is the runner-up), 'moved' a person put it there, 'not-organized' no
 * model has assigned it yet (imported since, or not embedded).
 */
export type UnsortedReason = 'no-fit' | 'moved' | 'not-organized'

export interface PhotoDetails {
  id: PhotoId
  path: string
  width: number | null
  height: number | null
  format: string | null
  size: number
  takenAt: number | null
  takenAtSource: 'exif' | 'mtime' | null
  gps: { lat: number; lon: number } | null
  camera: string | null
  clusterId: ClusterId | null
  confidence: number | null
  source: 'model' | 'user' | null
  /** Set when the photo is in Unsorted. */
  unsortedReason: UnsortedReason | null
}

export interface ClusterSummary {
  id: ClusterId
  name: string
  /** True for names a person gave, false for the generated "Group 3". */
  named: boolean
  size: number
  meanConfidence: number
  prototypes: PhotoId[]
}

export interface ClusterMember {
  photoId: PhotoId
  /** The file's name, for people (alt text, tooltips); the path is in PhotoDetails. */
  fileName: string
  probability: number
  confidence: number
  /** The next most likely group; for a photo that fits no group, the closest one. */
  runnerUp: ClusterId | null
  source: 'model' | 'user'
  isPrototype: boolean
  /** Set for Unsorted members: why the photo is there. */
  unsortedReason: UnsortedReason | null
  /** The model placed it but was unsure, and `runnerUp` came close: worth a review. */
  doubtful: boolean
}

/**
 * Two groups whose photos look alike enough that they may be one kind cut in two: worth a look,
 * and one click to merge. Grouping splits rather than mixes, so this is where it errs.
 */
export interface LookalikePair {
  /** The pair, the larger group first. */
  clusterIds: [ClusterId, ClusterId]
  /** 0 for the library's typical pair of groups, 1 for photos as alike as within a group. */
  score: number
}

/** What to find: every condition given must hold. */
export interface PhotoQuery {
  /** Words that must all appear in the file name or its folders (any case). */
  text?: string
  folderId?: number
  /** Taken at or after this time (ms since 1970; EXIF date, else the file's date). */
  takenFrom?: number
  /** Taken before this time. */
  takenTo?: number
  /** Only photos the model was unsure of. */
  doubtful?: boolean
  /** Only this group (null: Unsorted); the whole library when left out. */
  clusterId?: ClusterId | null
}

export interface FoundPhoto extends ClusterMember {
  /** Its group, null when Unsorted. */
  clusterId: ClusterId | null
  takenAt: number | null
}

export type ClusterSort = 'size' | 'confidence' | 'name'

export interface OrganizeOptions {
  clusters: number | 'auto'
  seed?: number
  /** Photo folders (full paths) to import first, as the job's first stage. */
  folders?: string[]
}

/** A known model and where it is installed (null when it is not). */
export interface ModelStatus {
  id: string
  title: string
  dim: number
  bytes: number
  installed: boolean
  source: string | null
  dir: string | null
  /** With `verify`: whether every installed file's sha256 matches, and what does not. */
  verified?: boolean
  problems?: string[]
}

export type ExportMode = 'copy' | 'hardlink' | 'symlink' | 'move'

export interface ExportOptions {
  destination: string
  mode: ExportMode
  /** Only these groups; all groups (and not Unsorted) when left out. */
  clusterIds?: ClusterId[]
  includeUnsorted?: boolean
  /**
   * The name of each folder: {group}, {year}, {month} and {day} are replaced by the group's name
   * and the date the photo was taken (EXIF, else the file's modified time), e.g.
   * "{year}-{month} {group}" → "2024-07 Beach". Default "{group}": one folder per group.
   */
  folderPattern?: string
}

export interface ExportPlan {
  destination: string
  mode: ExportMode
  folders: { name: string; clusterId: ClusterId | null; files: number }[]
  files: number
  bytes: number
  /** Targets that already exist get a new name; nothing is ever overwritten. */
  renamed: number
}

export interface EditState {
  canUndo: boolean
  canRedo: boolean
  undoLabel: string | null
  redoLabel: string | null
}

/**
 * `interrupted`: cancelled, or the engine stopped before the export ended; `failed`: a file
 * could not be placed. Both can be resumed (export.resume) or undone (export.undo).
 */
export type ExportState = 'running' | 'interrupted' | 'done' | 'failed' | 'undone'

export interface ExportRecord {
  id: number
  destination: string
  mode: ExportMode
  state: ExportState
  /** Files the export covers, and how many of them are in place. */
  files: number
  placed: number
  /** Why an interrupted or failed export stopped. */
  error: string | null
  startedAt: number
}

/** What watching the photo folders picked up, told once its import (and grouping) ended. */
export interface WatchReport {
  /** New photos read into the library. */
  added: number
  /** Of the new photos, those put into an existing group, and those sent to Unsorted. */
  grouped: number
  unsorted: number
  /** Photos whose file changed: read again. */
  changed: number
  /** Photos renamed or moved within the folders (recognised by their content). */
  moved: number
  /** Photos whose file is gone: marked missing, still in their groups should they come back. */
  missing: number
  /** Files that could not be read. */
  failed: number
  /** The same in words, for a notice: "3 new photos added to groups, 1 missing". */
  message: string
}

/** One photo of a near-duplicate set. */
export interface DuplicatePhoto {
  photoId: PhotoId
  fileName: string
  width: number | null
  height: number | null
  /** File size in bytes. */
  bytes: number
  /** Variance of the thumbnail's Laplacian: higher is sharper; null when it can't be read. */
  sharpness: number | null
  /** A person hid it: it is left out of groups, search and exports, never deleted. */
  hidden: boolean
}

/** Photos that look nearly the same (bursts, re-saves, small crops), the suggested keeper first. */
export interface DuplicateSet {
  photos: DuplicatePhoto[]
  /** The suggested keeper: the most pixels, then the sharpest (a markedly smaller file loses). */
  keeper: PhotoId
  /** The weakest similarity that links its photos into one set (at least the threshold). */
  similarity: number
}

export interface DuplicateReport {
  /** Photos whose similarity is at least this (0..1) are near duplicates. */
  threshold: number
  defaultThreshold: number
  /** False until the library has been organized (similarities come from that). */
  ready: boolean
  /** Sets that still show more than one photo first. */
  sets: DuplicateSet[]
  /** Every hidden photo of the library, in or out of these sets. */
  hidden: DuplicatePhoto[]
}

/** Every command: its arguments and its result. */
export interface Commands {
  'engine.info': { args: Record<string, never>; result: EngineInfo }
  'library.summary': { args: Record<string, never>; result: LibrarySummary }
  'library.addFolder': { args: { path: string }; result: { folder: FolderInfo; jobId: number } }
  'library.removeFolder': { args: { folderId: number }; result: void }
  'library.rescan': { args: Record<string, never>; result: { jobId: number } }
  /** Switches watching a source folder on or off (kept in the library). */
  'library.watchFolder': { args: { folderId: number; watch: boolean }; result: FolderInfo }
  /**
   * Imports (or re-imports) folders, adding those not yet in the library, as one job; when
   * groups exist, an assign job then puts the new photos into them (assignJobId, else null).
   */
  'library.import': {
    args: { paths: string[] }
    result: { folders: FolderInfo[]; jobId: number; assignJobId: number | null }
  }
  'library.failures': {
    args: { offset: number; limit: number }
    result: { total: number; items: FailedPhoto[] }
  }
  'jobs.list': { args: Record<string, never>; result: JobInfo[] }
  'jobs.cancel': { args: { jobId: number }; result: void }
  'organize.start': { args: OrganizeOptions; result: { jobId: number } }
  'organize.resume': { args: Record<string, never>; result: { jobId: number } | null }
  'clusters.list': {
    args: { sort: ClusterSort }
    /** runId: the current training run, null before the library was first organized. */
    result: { runId: number | null; clusters: ClusterSummary[]; unsorted: number }
  }
  'clusters.members': {
    args: { clusterId: ClusterId | null; offset: number; limit: number }
    result: { total: number; members: ClusterMember[] }
  }
  'clusters.rename': { args: { clusterId: ClusterId; name: string }; result: void }
  'clusters.merge': { args: { clusterIds: ClusterId[]; into: ClusterId }; result: void }
  'clusters.split': {
    args: { clusterId: ClusterId; parts: number }
    result: { clusterIds: ClusterId[] }
  }
  /**
   * Pairs of groups that may be one kind, most alike first (each group's closest, if close
   * enough); with a clusterId, only the pairs it is in.
   */
  'clusters.lookalikes': { args: { clusterId?: ClusterId }; result: LookalikePair[] }
  /** Two groups are not the same kind: "Looks like" stops suggesting them. Not an undoable edit. */
  'clusters.keepApart': { args: { clusterIds: [ClusterId, ClusterId] }; result: void }
  'photos.move': { args: { photoIds: PhotoId[]; to: ClusterId | null }; result: void }
  'photos.details': { args: { photoId: PhotoId }; result: PhotoDetails }
  /** Photos matching a query, doubtful ones least sure first, the others by date taken. */
  'photos.search': {
    args: PhotoQuery & { offset: number; limit: number }
    result: { total: number; photos: FoundPhoto[] }
  }
  'edits.state': { args: Record<string, never>; result: EditState }
  'edits.undo': { args: Record<string, never>; result: EditState }
  'edits.redo': { args: Record<string, never>; result: EditState }
  'export.plan': { args: ExportOptions; result: ExportPlan }
  'export.start': { args: ExportOptions; result: { jobId: number; exportId: number } }
  /** The folder name a pattern gives for a photo of the library; a bad pattern gets the reason. */
  'export.exampleFolder': { args: { folderPattern: string }; result: { folder: string } }
  'export.list': { args: Record<string, never>; result: ExportRecord[] }
  'export.undo': { args: { exportId: number }; result: void }
  /** Goes on with an interrupted or failed export, as a job. */
  'export.resume': { args: { exportId: number }; result: { jobId: number } }
  /** Near-duplicate sets at a similarity threshold (the default one when left out). */
  'duplicates.find': { args: { threshold?: number }; result: DuplicateReport }
  /** Keeps one photo shown and hides the others, as one undoable edit. */
  'duplicates.keep': { args: { keep: PhotoId; hide: PhotoId[] }; result: void }
  /** Shows hidden photos again, as one undoable edit. */
  'photos.show': { args: { photoIds: PhotoId[] }; result: void }
  /** Installs the backbone model from a folder or an http(s) address, as a job. */
  'models.install': { args: { from: string; model?: string }; result: { jobId: number } }
  /** The known models, where each is installed, and (with verify) whether its files are intact. */
  'models.list': { args: { verify?: boolean }; result: ModelStatus[] }
}

export type CommandName = keyof Commands
export type CommandArgs<C extends CommandName> = Commands[C]['args']
export type CommandResult<C extends CommandName> = Commands[C]['result']

/** Events the engine pushes to every UI. */
export type EngineEvent =
  | { type: 'progress'; progress: Progress }
  | { type: 'library.changed' }
  | { type: 'clusters.changed' }
  /** Watched folders changed and the library has caught up with them. */
  | { type: 'library.watched'; report: WatchReport }
  /** A model was installed: engine.info (modelInstalled) has changed. */
  | { type: 'models.changed' }
  | { type: 'edits.changed'; state: EditState }
  | { type: 'engine.crashed'; reason: string }
  | { type: 'engine.restarted' }

/** A failed command's error, in words a person understands, plus a stable code. */
export interface CommandError {
  code: 'invalid-arguments' | 'not-found' | 'conflict' | 'engine-unavailable' | 'failed'
  message: string
}

/** The API the preload (Electron) or the WebSocket client (browser mode) gives the renderer. */
export interface KindredApi {
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>>
  onEvent(listener: (event: EngineEvent) => void): () => void
  /** Where a photo's thumbnail or full image is served from. */
  photoUrl(photoId: PhotoId, kind: 'thumbnail' | 'full'): string
  /** Electron only: a native folder picker. Browser mode returns null and asks for a typed path. */
  pickFolder(): Promise<string | null>
}

/** Which file of a photo a URL serves: the cached thumbnail or the original (full size). */
export type PhotoKind = 'thumbnail' | 'full'

/**
 * Browser mode wire protocol (see docs/browser-mode.md): the JSON body answering every
 * `POST /api/<command>`; `result` is absent for commands whose result is void.
 */
export type WireResponse<C extends CommandName = CommandName> =
  { ok: true; result: CommandResult<C> } | { ok: false; error: CommandError }

/** Browser mode: each text frame on the `/api/events` WebSocket is one JSON EngineEvent. */
export type WireEvent = EngineEvent
