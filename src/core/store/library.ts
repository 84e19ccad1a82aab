import os from 'node:os'
import path from 'node:path'
import { checkFolderToWrite, makeFolder } from '../fs/user-folders'
import { migrate, openDatabase, type Db } from './database'

export const DB_FILE = 'kindred.db'
export const THUMBNAIL_DIR = 'thumbnails'
export const MODELS_DIR = 'models'
/** JPEG renditions the viewer shows for formats a browser cannot (TIFF). */
export const PREVIEW_DIR = 'previews'
/** Folders of a library that hold Kindred's own files, never photos. */
export const OWN_FOLDERS = [THUMBNAIL_DIR, MODELS_DIR, PREVIEW_DIR] as const

/**
 * Whether `name`, directly inside a library folder, is one of Kindred's own entries: the
 * database with its WAL, shared-memory and journal files, the job lock (and any file a lock
 * library puts beside it), and the folders above. Imports never read them as photos.
 */
export function isLibraryEntry(name: string): boolean {
  return (
    (OWN_FOLDERS as readonly string[]).includes(name) ||
    name.startsWith(DB_FILE) ||
    name.startsWith('jobs.lock')
  )
}

/**
 * The per-user app-data folder, the same one Electron's app.getPath('userData') gives for an
 * app named "Kindred", so the CLI and the desktop app share one library by default.
 */
export function defaultAppDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Kindred')
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Kindred')
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Kindred')
}

/**
 * The user's models folder, `<app data>/models`: a model is installed there once and every
 * library of the user finds it (a library's own `models/` folder is looked in too).
 */
export function defaultUserModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultAppDataDir(process.platform, env), MODELS_DIR)
}

/** `--library DIR` wins, then KINDRED_LIBRARY, then `<app data>/library`. */
export function resolveLibraryDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen =
    explicit ??
    env.KINDRED_LIBRARY ??
    path.join(defaultAppDataDir(process.platform, env), 'library')
  return path.resolve(chosen)
}

export interface Library {
  readonly dir: string
  readonly db: Db
  readonly thumbnailDir: string
  /** The library's own models folder. */
  readonly modelsDir: string
  /** The user's models folder, shared by all their libraries (see defaultUserModelsDir). */
  readonly userModelsDir: string
  close(): void
}

export interface OpenLibraryOptions {
  /** The user's models folder; defaults to `<app data>/models`. */
  userModelsDir?: string
}

/** How often a first open that met another process's open of the same new file tries again. */
const OPEN_ATTEMPTS = 20

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Opens the database and brings its schema up to date. Switching a new file to WAL answers
 * "database is locked" at once (without waiting) while another process does the same; a slow,
 * loaded machine makes that likely, so the open is tried again after a pause.
 */
function openMigrated(file: string): Db {
  for (let attempt = 1; ; attempt++) {
    let db: Db | undefined
    try {
      db = openDatabase(file)
      migrate(db)
      return db
    } catch (error) {
      db?.close()
      const busy = (error as { code?: string }).code === 'SQLITE_BUSY'
      if (!busy || attempt >= OPEN_ATTEMPTS) throw error
      pause(25 * attempt)
    }
  }
}

/** Opens the library in `dir`, creating the folder and bringing its schema up to date. */
export function openLibrary(dir: string, options: OpenLibraryOptions = {}): Library {
  const root = checkFolderToWrite(dir, 'The library location')
  const thumbnailDir = path.join(root, THUMBNAIL_DIR)
  const modelsDir = path.join(root, MODELS_DIR)
  makeFolder(thumbnailDir)
  makeFolder(modelsDir)
  const db = openMigrated(path.join(root, DB_FILE))
  const userModelsDir = path.resolve(options.userModelsDir ?? defaultUserModelsDir())
  return { dir: root, db, thumbnailDir, modelsDir, userModelsDir, close: () => db.close() }
}
