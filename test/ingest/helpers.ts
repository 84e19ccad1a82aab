import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'
import { importFolders, type ImportOptions } from '../../src/core/ingest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'

export const exifSample = (...parts: string[]) => sharedPath('fixtures', 'exif-samples', ...parts)
export const formatSample = (name: string) => sharedPath('fixtures', 'formats', name)

export interface PhotoRow {
  id: number
  folder_id: number
  path: string
  size: number
  hash: string | null
  format: string | null
  width: number | null
  height: number | null
  orientation: number | null
  taken_at: number | null
  taken_at_source: string | null
  gps_lat: number | null
  gps_lon: number | null
  camera: string | null
  status: 'ok' | 'failed' | 'missing'
  error: string | null
  duplicate_of: number | null
}

/**
 * A fresh library in its own temp folder. It lives until the test file ends (so a `beforeAll`
 * import can serve several tests), then is closed and deleted.
 */
export function freshLibrary(): Library {
  const lib = openLibrary(fileTempDir('kindred-lib-'))
  libraries.push(lib)
  return lib
}
const libraries: Library[] = []
const folders: string[] = []

/** A temp folder kept until the test file ends (test/helpers/tmp's lasts one test). */
export function fileTempDir(prefix = 'kindred-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  folders.push(dir)
  return dir
}

afterAll(() => {
  for (const lib of libraries.splice(0)) lib.close()
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/** A temp folder holding copies of the given files (name in folder → source path). */
export function folderWith(files: Record<string, string>): string {
  const dir = fileTempDir('kindred-photos-')
  for (const [name, source] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.copyFileSync(source, path.join(dir, name))
  }
  return dir
}

export function photo(lib: Library, file: string): PhotoRow {
  const row = lib.db.prepare(`SELECT * FROM photos WHERE path = ?`).get(file) as
    PhotoRow | undefined
  if (!row) throw new Error(`No photo row for ${file}`)
  return row
}

export function thumbnailPath(lib: Library, photoId: number): string {
  const file = lib.db.prepare(`SELECT file FROM thumbnails WHERE photo_id = ?`).pluck().get(photoId)
  if (typeof file !== 'string') throw new Error(`No thumbnail for photo ${photoId}`)
  return path.join(lib.thumbnailDir, file)
}

export function importInto(lib: Library, folders: string[], options: ImportOptions = {}) {
  return importFolders(lib, folders, options)
}
