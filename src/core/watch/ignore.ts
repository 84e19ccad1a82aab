/**
 * Which paths under a watched folder never start an import: names the import skips anyway
 * (hidden files, sidecars, files that editors, browsers and copy tools write while they work),
 * the library's own folder (its thumbnails would start an import of their own, forever), and
 * anything that is not a file, a folder or a link (a FIFO, a socket, a device: never opened).
 */
import type { Stats } from 'node:fs'
import path from 'node:path'
import { isIgnoredName } from '../ingest/scan'

function isUnder(root: string, candidate: string): boolean {
  return (
    candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
  )
}

/**
 * A chokidar `ignored` function for watched folders `roots` (never ignored themselves) and a
 * library kept at `libraryDirs` (its path as given and its real path).
 */
export function watchIgnore(
  roots: ReadonlySet<string>,
  libraryDirs: readonly string[],
): (file: string, stats?: Stats) => boolean {
  return (file, stats) => {
    if (roots.has(file)) return false
    if (libraryDirs.some((dir) => isUnder(dir, file))) return true
    const name = path.basename(file)
    if (isIgnoredName(name)) return true
    return stats !== undefined && !stats.isFile() && !stats.isDirectory() && !stats.isSymbolicLink()
  }
}
