import fs from 'node:fs/promises'
import path from 'node:path'
import { systemFolderReason } from '../fs/user-folders'
import { fileSystemReason } from './reasons'
import type { ImportFailure } from './types'

export interface ScannedFile {
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

export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || SIDECAR_EXTENSIONS.has(path.extname(name).toLowerCase())
}

/**
 * Lists every file under `root`, following symbolic links. A link back to a folder already being
 * scanned (a loop) is reported and not followed, so the scan always ends.
 */
export async function scanFolder(root: string, skip: string[] = []): Promise<ScanResult> {
  const result: ScanResult = { files: [], problems: [], ignored: 0 }
  // Folders in `visited` are not entered again: marking the skipped ones (the library itself,
  // when it lies inside a photo folder) as visited keeps them out.
  const skipped = await Promise.all(skip.map((dir) => fs.realpath(dir).catch(() => dir)))
  const visited = new Set<string>([await fs.realpath(root), ...skipped])
  await walk(root, visited, result)
  result.files.sort((a, b) => a.path.localeCompare(b.path))
  return result
}

async function walk(dir: string, visited: Set<string>, result: ScanResult): Promise<void> {
  let entries: import('node:fs').Dirent[]
  try {
    entries = await fs.readdir(dir, { withFileTypes: true })
  } catch (error) {
    result.problems.push({
      path: dir,
      error: `Folder not read: ${fileSystemReason(error, 'folder')}`,
    })
    return
  }
  for (const entry of entries) {
    if (isIgnoredName(entry.name)) {
      result.ignored++
      continue
    }
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      await enterFolder(full, visited, result)
    } else if (entry.isSymbolicLink()) {
      await followLink(full, visited, result)
    } else {
      await addFile(full, result)
    }
  }
}

async function enterFolder(dir: string, visited: Set<string>, result: ScanResult): Promise<void> {
  const real = await fs.realpath(dir).catch(() => dir)
  if (visited.has(real)) return
  visited.add(real)
  await walk(dir, visited, result)
}

async function followLink(link: string, visited: Set<string>, result: ScanResult): Promise<void> {
  let target: import('node:fs').Stats
  try {
    target = await fs.stat(link)
  } catch (error) {
    result.problems.push({ path: link, error: `Link not followed: ${fileSystemReason(error)}` })
    return
  }
  const real = await fs.realpath(link).catch(() => link)
  // A link into /proc or /sys would lead the scan through the whole system (/proc/self/root).
  const system = systemFolderReason(real)
  if (system)
    return void result.problems.push({ path: link, error: `Link not followed: ${system}.` })
  if (!target.isDirectory()) return addFile(link, result)
  if (visited.has(real)) {
    // A second link to a folder already listed adds nothing; a link to an ancestor is a loop.
    if (await isAncestor(real, path.dirname(link))) {
      result.problems.push({
        path: link,
        error: `Symbolic link loop: it points back to ${real}, which contains it; not followed.`,
      })
    }
    return
  }
  visited.add(real)
  await walk(link, visited, result)
}

async function isAncestor(folder: string, dir: string): Promise<boolean> {
  const real = await fs.realpath(dir).catch(() => dir)
  return real === folder || real.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep)
}

async function addFile(file: string, result: ScanResult): Promise<void> {
  try {
    const stat = await fs.stat(file)
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
