import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { requireModel, type ModelEntry } from './registry'

export type ModelSource = 'env' | 'library' | 'user' | 'app'

export interface ModelLocation {
  id: string
  dir: string
  source: ModelSource
}

export interface LocateOptions {
  /** The library's models folder (Library.modelsDir). */
  libraryModelsDir?: string
  /** The user's models folder, shared by their libraries (Library.userModelsDir). */
  userModelsDir?: string
  /** The app's bundled models; defaults to `resources/models` of this checkout. */
  appModelsDir?: string
  env?: NodeJS.ProcessEnv
}

export const APP_MODELS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../resources/models',
)

/** Raised when no folder holds the model; its message says how to install it. */
export class ModelMissingError extends Error {
  constructor(
    readonly model: string,
    readonly searched: string[],
  ) {
    super(
      `The model "${model}" is not installed (looked in: ${searched.join(', ') || 'nowhere'}).\n` +
        `Install it once for your user account (every library finds it there) with one of:\n` +
        `  kindred models install --from <folder>   (a folder holding ${model}/ or its files)\n` +
        `  kindred models install --from <url>      (a web folder with the model's files)\n` +
        `or set KINDRED_MODELS_DIR to a folder with one sub-folder per model.`,
    )
    this.name = 'ModelMissingError'
  }
}

/** True when every file the registry lists is present (hashes are checked on install). */
export function hasAllFiles(dir: string, entry: ModelEntry): boolean {
  return entry.files.every((f) => fs.existsSync(path.join(dir, f.name)))
}

/** The candidate folders in lookup order: KINDRED_MODELS_DIR, the library, the user's, the app's. */
export function candidateDirs(id: string, options: LocateOptions = {}): ModelLocation[] {
  const env = options.env ?? process.env
  const list: ModelLocation[] = []
  if (env.KINDRED_MODELS_DIR)
    list.push({ id, dir: path.resolve(env.KINDRED_MODELS_DIR, id), source: 'env' })
  if (options.libraryModelsDir)
    list.push({ id, dir: path.join(options.libraryModelsDir, id), source: 'library' })
  if (options.userModelsDir)
    list.push({ id, dir: path.join(options.userModelsDir, id), source: 'user' })
  list.push({ id, dir: path.join(options.appModelsDir ?? APP_MODELS_DIR, id), source: 'app' })
  return list
}

/** Finds the model's folder or throws ModelMissingError. */
export function locateModel(id: string, options: LocateOptions = {}): ModelLocation {
  const entry = requireModel(id)
  const candidates = candidateDirs(id, options)
  const found = candidates.find((c) => hasAllFiles(c.dir, entry))
  if (!found)
    throw new ModelMissingError(
      id,
      candidates.map((c) => c.dir),
    )
  return found
}

/** Where a library looks for models: its own folder and its user's. */
export function librarySearch(lib: { modelsDir: string; userModelsDir: string }): LocateOptions {
  return { libraryModelsDir: lib.modelsDir, userModelsDir: lib.userModelsDir }
}
