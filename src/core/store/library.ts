import os from 'node:os'
import path from 'node:path'
import { checkFolderToWrite, makeFolder } from '../fs/user-folders'
import { migrate, openDatabase, type Db } from './database'

export const DB_FILE = 'kindred.db'
export const THUMBNAIL_DIR = 'thumbnails'
export const MODELS_DIR = 'models'

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
  readonly modelsDir: string
  close(): void
}

/** Opens the library in `dir`, creating the folder and bringing its schema up to date. */
export function openLibrary(dir: string): Library {
  const root = checkFolderToWrite(dir, 'The library location')
  const thumbnailDir = path.join(root, THUMBNAIL_DIR)
  const modelsDir = path.join(root, MODELS_DIR)
  makeFolder(thumbnailDir)
  makeFolder(modelsDir)
  const db = openDatabase(path.join(root, DB_FILE))
  try {
    migrate(db)
  } catch (error) {
    db.close()
    throw error
  }
  return { dir: root, db, thumbnailDir, modelsDir, close: () => db.close() }
}
