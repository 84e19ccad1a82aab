import fs from 'node:fs'
import path from 'node:path'
import { isInside } from '../library/inside'
import { OWN_FOLDERS } from '../store/library'

/**
 * The library's own folder (thumbnails, models, previews) that holds `folder`, if any: such a
 * folder holds Kindred's files, never photos, and is not imported.
 */
export function ownFolderHolding(folder: string, libraryDir: string): string | null {
  const real = (file: string) => {
    try {
      return fs.realpathSync(file)
    } catch {
      return file
    }
  }
  const candidate = real(path.resolve(folder))
  for (const name of OWN_FOLDERS) {
    const own = path.join(libraryDir, name)
    if (fs.existsSync(own) && isInside(real(own), candidate)) return own
  }
  return null
}

export function refuseOwnFolder(folder: string, libraryDir: string): void {
  const own = ownFolderHolding(folder, libraryDir)
  if (own) {
    throw new Error(
      `${folder} is inside ${own}, where the library keeps its own files: they are not photos and are never imported.`,
    )
  }
}
