import path from 'node:path'
import { readablePath } from '../../core/library/paths'

/** A path for people to read, even when the file's name is not UTF-8. */
export function displayPath(file: string): string {
  return readablePath(file)
}

/** "folder/name.jpg": enough to recognise a photo in a list. */
export function shortPath(file: string): string {
  const readable = readablePath(file)
  return path.join(path.basename(path.dirname(readable)), path.basename(readable))
}
