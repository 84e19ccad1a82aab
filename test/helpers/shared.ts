import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** `../shared` beside the project (or KINDRED_SHARED): weights, datasets and fixtures. */
export const sharedDir = path.resolve(
  process.env.KINDRED_SHARED ?? path.join(projectRoot, '..', 'shared'),
)

export function sharedPath(...parts: string[]): string {
  const file = path.join(sharedDir, ...parts)
  if (!fs.existsSync(file))
    throw new Error(`Missing shared test data: ${file} (set KINDRED_SHARED)`)
  return file
}

/**
 * Photos `from`..`to` (in name order) of each caltech20 class, linked into `dir/<class>/`: a
 * labelled folder of real photos without copying them. With `classInName`, each link is named
 * `<class>-<file>`, so that a photo's class can be read from its file name alone.
 */
export function linkCaltechPhotos(
  dir: string,
  classes: string[],
  from: number,
  to: number,
  { classInName = false } = {},
): string {
  for (const cls of classes) {
    const source = sharedPath('datasets', 'caltech20', cls)
    fs.mkdirSync(path.join(dir, cls), { recursive: true })
    for (const file of fs.readdirSync(source).sort().slice(from, to)) {
      const name = classInName ? `${cls}-${file}` : file
      fs.symlinkSync(path.join(source, file), path.join(dir, cls, name))
    }
  }
  return dir
}
