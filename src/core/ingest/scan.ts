import type { Dirent } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { osPath, pathFromBytes } from '../library/paths'
import { isLibraryEntry } from '../store/library'
import { systemFolderReason } from '../fs/user-folders'
import { fileSystemReason } from './reasons'
import { isTemporaryName } from './temporary'
import type { ImportFailure } from './types'

export interface ScannedFile {
  /** The stored form (see library/paths): exact for names that are not UTF-8. */
  path: string
  size: number
  mtimeMs: number
  /** Set for FIFOs, sockets and devices: recorded as failed, never opened (a FIFO blocks). */
  notRegular?: string
}

export interface ScanResult {
  files: ScannedFile[]
  problems: ImportFailure[]
  ignored: number
}

/** Companion files cameras and OSes write beside photos; they are not photos themselves. */
const SIDECAR_EXTENSIONS = new Set(['.xmp', '.aae', '.thm', '.ini', '.db', '.lnk'])

/** Hidden files, sidecars and files still being written (a download, a copy, an editor's). */
export function isIgnoredName(name: string): boolean {
  return (
    name.startsWith('.') ||
    SIDECAR_EXTENSIONS.has(path.extname(name).toLowerCase()) ||
    isTemporaryName(name)
  )
}

interface Walk {
  /** Real paths of folders already listed (or entered): never entered twice. */
  visited: Set<string>
  /** The library's real path: its own entries (database, thumbnails…) are never photos. */
  library: string | null
  result: ScanResult
}

/** The real path of a stored path, in stored form (names that are not UTF-8 stay exact). */
async function realPath(file: string): Promise<string> {
  return pathFromBytes(await fs.realpath(osPath(file), { encoding: 'buffer' }))
}

/**
 * Lists every file under `root`, following symbolic links. A link back to a folder already being
 * scanned (a loop) is reported and not followed, so the scan always ends. Names are read as
 * bytes, so a file whose name is not valid UTF-8 is listed under a path that opens it. When
 * `libraryDir` is given, the library's own files are skipped wherever it lies: inside `root`, or
 * `root` itself.
 */
export async function scanFolder(root: string, libraryDir?: string): Promise<ScanResult> {
  const walk: Walk = {
    visited: new Set([await realPath(root)]),
    library: libraryDir === undefined ? null : await realPath(libraryDir).catch(() => libraryDir),
    result: { files: [], problems: [], ignored: 0 },
  }
  await list(root, walk)
  walk.result.files.sort((a, b) => a.path.localeCompare(b.path))
  return walk.result
}

async function list(dir: string, walk: Walk): Promise<void> {
  let entries: Dirent<Buffer>[]
  try {
    entries = await fs.readdir(osPath(dir), { withFileTypes: true, encoding: 'buffer' })
  } catch (error) {
    walk.result.problems.push({
      path: dir,
      error: `Folder not read: ${fileSystemReason(error, 'folder')}`,
    })
    return
  }
  const isLibrary = walk.library !== null && (await realPath(dir).catch(() => dir)) === walk.library
  for (const entry of entries) {
    const name = pathFromBytes(entry.name)
    if (isLibrary && isLibraryEntry(name)) continue
    if (isIgnoredName(name)) {
      walk.result.ignored++
      continue
    }
    const full = path.join(dir, name)
    if (entry.isDirectory()) {
      await enterFolder(full, walk)
    } else if (entry.isSymbolicLink()) {
      await followLink(full, walk)
    } else {
      await addFile(full, walk.result)
    }
  }
}

async function enterFolder(dir: string, walk: Walk): Promise<void> {
  const real = await realPath(dir).catch(() => dir)
  if (walk.visited.has(real)) return
  walk.visited.add(real)
  await list(dir, walk)
}

async function followLink(link: string, walk: Walk): Promise<void> {
  let target: import('node:fs').Stats
  try {
    target = await fs.stat(osPath(link))
  } catch (error) {
    walk.result.problems.push({
      path: link,
      error: `Link not followed: ${fileSystemReason(error)}`,
    })
    return
  }
  const real = await realPath(link).catch(() => link)
  // A link into /proc or /sys would lead the scan through the whole system: /proc/self/root
  // is really /, so where the link points counts as well as where it ends.
  const system = systemFolderReason(real) ?? systemFolderReason(await linkTarget(link))
  if (system)
    return void walk.result.problems.push({ path: link, error: `Link not followed: ${system}.` })
  if (!target.isDirectory()) return addFile(link, walk.result)
  if (walk.visited.has(real)) {
    // A second link to a folder already listed adds nothing; a link to an ancestor is a loop.
    if (await isAncestor(real, path.dirname(link))) {
      walk.result.problems.push({
        path: link,
        error: `Symbolic link loop: it points back to ${real}, which contains it; not followed.`,
      })
    }
    return
  }
  walk.visited.add(real)
  await list(link, walk)
}

/** Where a link points, as written in it (resolved against its folder). */
async function linkTarget(link: string): Promise<string> {
  try {
    const target = pathFromBytes(await fs.readlink(osPath(link), { encoding: 'buffer' }))
    return path.resolve(path.dirname(link), target)
  } catch {
    return link
  }
}

async function isAncestor(folder: string, dir: string): Promise<boolean> {
  const real = await realPath(dir).catch(() => dir)
  return real === folder || real.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep)
}

async function addFile(file: string, result: ScanResult): Promise<void> {
  try {
    const stat = await fs.stat(osPath(file))
    const kind = specialFileKind(stat)
    result.files.push({
      path: file,
      size: stat.size,
      mtimeMs: Math.trunc(stat.mtimeMs),
      notRegular: kind,
    })
  } catch (error) {
    result.problems.push({ path: file, error: fileSystemReason(error) })
  }
}

function specialFileKind(stat: import('node:fs').Stats): string | undefined {
  if (stat.isFile()) return undefined
  if (stat.isFIFO()) return 'a named pipe (FIFO)'
  if (stat.isSocket()) return 'a socket'
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device'
  return 'not a regular file'
}
