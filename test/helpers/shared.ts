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
