import fs from 'node:fs'
import path from 'node:path'
import type { ExportMode, ExportOptions, ExportPlan } from '../../shared/contract'
import { EditError } from '../edits/errors'
import { checkFolderToWrite } from '../fs/user-folders'
import { groupName, requireCurrentRun, requireGroup, type GroupRow } from '../edits/run'
import { isInside } from '../library/inside'
import { osPath, readablePath } from '../library/paths'
import type { Db } from '../store/database'
import { safeFileName, uniqueName } from './names'
import { folderNameFor, parseFolderPattern, type FolderPattern } from './pattern'

export const UNSORTED_FOLDER = 'Unsorted'
export const EXPORT_MODES: readonly ExportMode[] = ['copy', 'hardlink', 'symlink', 'move']

export interface PlannedFile {
  photoId: number
  source: string
  target: string
  bytes: number
}

export interface DetailedPlan {
  summary: ExportPlan
  files: PlannedFile[]
}

interface PhotoRow {
  id: number
  path: string
  size: number
  /** When it was taken: EXIF, else the file's modified time (both as stored at import). */
  takenAt: number
}

/** Hidden photos are skipped: a person chose to keep another photo of their near-duplicate set. */
const USABLE = `p.status = 'ok' AND p.duplicate_of IS NULL AND p.hidden = 0`
const TAKEN = `COALESCE(p.taken_at, p.mtime_ms) AS takenAt`

function groupPhotos(db: Db, runId: number, clusterId: number): PhotoRow[] {
  return db
    .prepare(
      `SELECT p.id, p.path, p.size, ${TAKEN} FROM assignments a JOIN photos p ON p.id = a.photo_id
       WHERE a.run_id = ? AND a.cluster_id = ? AND ${USABLE} ORDER BY p.path`,
    )
    .all(runId, clusterId) as PhotoRow[]
}

function unsortedPhotos(db: Db, runId: number): PhotoRow[] {
  return db
    .prepare(
      `SELECT p.id, p.path, p.size, ${TAKEN} FROM photos p
       LEFT JOIN assignments a ON a.photo_id = p.id AND a.run_id = ?
       WHERE ${USABLE} AND a.cluster_id IS NULL ORDER BY p.path`,
    )
    .all(runId) as PhotoRow[]
}

function visibleGroups(db: Db, runId: number): GroupRow[] {
  return db
    .prepare(
      `SELECT id, idx, name FROM clusters WHERE run_id = ? AND merged_into IS NULL ORDER BY idx`,
    )
    .all(runId) as GroupRow[]
}

export function checkOptions(options: ExportOptions): {
  destination: string
  mode: ExportMode
  pattern: FolderPattern
} {
  const { destination, mode } = options
  if (typeof destination !== 'string' || destination.trim() === '') {
    throw new EditError('invalid-arguments', 'Choose a destination folder for the export.')
  }
  if (!EXPORT_MODES.includes(mode)) {
    throw new EditError(
      'invalid-arguments',
      `"${String(mode)}" is not an export mode (copy, hardlink, symlink or move).`,
    )
  }
  if (!path.isAbsolute(destination)) {
    // Relative to what? The engine's working folder is nothing a person chose.
    throw new EditError(
      'invalid-arguments',
      `Give the destination folder's full path (not "${destination}").`,
    )
  }
  const pattern = parseFolderPattern(options.folderPattern)
  const resolved = checkFolderToWrite(destination, 'The destination')
  return { destination: resolved, mode, pattern }
}

function lexists(file: string): boolean {
  try {
    fs.lstatSync(osPath(file)) // lstat: a dangling symbolic link is still a name we must not reuse
    return true
  } catch {
    return false
  }
}

/** A file (or a link) where the export wants a folder: the folder takes another name. */
function isNonFolder(file: string): boolean {
  return lexists(file) && !fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()
}

/** The real path of `dir`, or of its nearest ancestor that exists, with the rest appended. */
function realPathOf(dir: string): string {
  const missing: string[] = []
  let existing = dir
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    missing.unshift(path.basename(existing))
    existing = path.dirname(existing)
  }
  return path.join(fs.realpathSync(existing), ...missing)
}

/**
 * Exported files inside a photo folder of the library would be imported again by the next
 * rescan, as copies (and, after an undo, as missing photos): such an export is refused.
 */
function refuseSourceFolders(db: Db, folders: string[]): void {
  const sources = (db.prepare(`SELECT path FROM folders`).pluck().all() as string[]).map((f) => ({
    path: f,
    real: fs.existsSync(f) ? fs.realpathSync(f) : f,
  }))
  for (const folder of folders) {
    const real = realPathOf(folder)
    const source = sources.find((s) => isInside(s.real, real) || isInside(s.path, folder))
    if (source) {
      throw new EditError(
        'invalid-arguments',
        `${folder} is inside ${source.path}, a photo folder of the library: the next rescan would import the exported files again as copies. Choose a destination outside the library's photo folders.`,
      )
    }
  }
}

/** A set's photos by the folder the pattern puts them in, folders in name order. */
function byFolder(pattern: FolderPattern, set: PhotoSet): [string, PhotoRow[]][] {
  const folders = new Map<string, PhotoRow[]>()
  for (const photo of set.photos) {
    const name = folderNameFor(pattern, set.name, photo.takenAt, set.fallback)
    const list = folders.get(name)
    if (list) list.push(photo)
    else folders.set(name, [photo])
  }
  return [...folders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

interface PhotoSet {
  clusterId: number | null
  name: string
  fallback: string
  photos: PhotoRow[]
}

/**
 * The dry run: which folders an export makes, which file goes where, counts and bytes. Folder
 * names come from the pattern (the group's name by default), made safe for every OS; a group
 * whose photos were taken in several months splits when the pattern has the month. Two
 * folders with the same name get "Name (2)"; a file whose name is taken (by another photo or
 * by a file already at the destination) gets " (2)" too, so nothing is ever overwritten.
 */
export function planExport(lib: { db: Db }, options: ExportOptions): DetailedPlan {
  const { db } = lib
  const { destination, mode, pattern } = checkOptions(options)
  const run = requireCurrentRun(db)
  const groups =
    options.clusterIds === undefined
      ? visibleGroups(db, run.id)
      : [...new Set(options.clusterIds)].map((id) => requireGroup(db, run.id, id))
  const sets: PhotoSet[] = []
  if (options.includeUnsorted) {
    const photos = unsortedPhotos(db, run.id)
    sets.push({ clusterId: null, name: UNSORTED_FOLDER, fallback: UNSORTED_FOLDER, photos })
  }
  for (const g of groups) {
    const fallback = groupName({ idx: g.idx, name: null })
    sets.push({
      clusterId: g.id,
      name: groupName(g),
      fallback,
      photos: groupPhotos(db, run.id, g.id),
    })
  }

  const folderNames = new Set<string>()
  const folders: ExportPlan['folders'] = []
  const files: PlannedFile[] = []
  let renamed = 0
  for (const set of sets) {
    for (const [wanted, photos] of byFolder(pattern, set)) {
      const folder = uniqueName(wanted, folderNames, false, (n) =>
        isNonFolder(path.join(destination, n)),
      )
      folders.push({ name: folder, clusterId: set.clusterId, files: photos.length })
      const dir = path.join(destination, folder)
      const fileNames = new Set<string>()
      for (const photo of photos) {
        // A name that is not valid UTF-8 gets its readable form: the export is for people.
        const wantedFile = safeFileName(
          readablePath(path.basename(photo.path)),
          `photo-${photo.id}`,
        )
        const name = uniqueName(wantedFile, fileNames, true, (n) => lexists(path.join(dir, n)))
        if (name !== wantedFile) renamed++
        files.push({
          photoId: photo.id,
          source: photo.path,
          target: path.join(dir, name),
          bytes: photo.size,
        })
      }
    }
  }
  refuseSourceFolders(db, [destination, ...folders.map((f) => path.join(destination, f.name))])
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0)
  return { summary: { destination, mode, folders, files: files.length, bytes, renamed }, files }
}
