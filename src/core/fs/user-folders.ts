/**
 * Checks for folders a person names (a library, a photo folder, an export destination) before
 * anything works in them, so that every file operation on them ends with a clear answer:
 * /proc, /sys and /dev are views of the running system (Node's recursive mkdir loops forever
 * on /proc), and a FIFO or a device where a folder is expected blocks or misleads.
 */
import fs from 'node:fs'
import path from 'node:path'

/** A refused folder; `code` is the contract's error code, so hosts pass it on unchanged. */
export class FolderRefused extends Error {
  readonly code: 'invalid-arguments' | 'not-found'

  constructor(code: 'invalid-arguments' | 'not-found', message: string) {
    super(message)
    this.name = 'FolderRefused'
    this.code = code
  }
}

/** Folders that are views of the running system, not storage (Linux and macOS). */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev']
/** Real file systems mounted inside them (/dev/shm is a plain tmpfs for files). */
const STORAGE_INSIDE_SYSTEM_ROOTS = ['/dev/shm']

/** statfs magic numbers of Linux pseudo file systems, wherever they are mounted. */
const PSEUDO_FILE_SYSTEMS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x6165676c: 'pstore',
  0xcafe4a11: 'bpf',
  0x62656570: 'configfs',
  0xde5e81e4: 'efivarfs',
  0x42494e4d: 'binfmt_misc',
  0x19800202: 'mqueue',
  0x65735543: 'fusectl',
}

function isUnder(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(`${root}/`)
}

/**
 * Why `existing` (a path that exists) is a system view with no real files, or null. The path as
 * written counts as well as its real path: /proc/self/root is a view even though it leads to /.
 */
export function systemFolderReason(existing: string): string | null {
  if (process.platform === 'win32') return null
  let real: string
  try {
    real = fs.realpathSync(existing)
  } catch {
    real = path.resolve(existing)
  }
  const written = path.resolve(existing)
  const root = SYSTEM_ROOTS.find((r) => isUnder(r, real) || isUnder(r, written))
  if (root && !STORAGE_INSIDE_SYSTEM_ROOTS.some((r) => isUnder(r, real)))
    return `it is inside ${root}, which shows the running system and holds no real files`
  if (process.platform !== 'linux') return null
  try {
    const type = PSEUDO_FILE_SYSTEMS[fs.statfsSync(real).type]
    if (type) return `it is on ${type}, which shows the running system and holds no real files`
  } catch {
    // No statfs answer: nothing more to learn here.
  }
  return null
}

/** What a non-folder is, in words: "a file", "a named pipe (FIFO)", "a device"... */
export function kindOf(stats: fs.Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isSocket()) return 'a socket'
  if (stats.isDirectory()) return 'a folder'
  return 'a file'
}

function reasonFor(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    ELOOP: 'its symbolic links go round in a loop',
    ENAMETOOLONG: 'the path is too long',
    ENOTDIR: 'part of the path is a file, not a folder',
    EROFS: 'it is on a read-only drive',
    EIO: 'the drive could not be read',
  }
  return (code && words[code]) ?? (error as Error).message
}

/**
 * A photo folder to read: it must exist, be a folder (links followed) and not be a system view.
 * Returns its absolute path. `label` starts the messages ("The folder", "The library location").
 */
export function checkFolderToRead(folder: string, label = 'The folder'): string {
  const absolute = path.resolve(folder)
  let stats: fs.Stats
  try {
    stats = fs.statSync(absolute)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      // The person's mistake to correct, not a missing resource of ours: a validation error.
      throw new FolderRefused('invalid-arguments', `Folder not found: ${absolute}`)
    }
    throw new FolderRefused(
      'invalid-arguments',
      `${label} ${absolute} cannot be opened: ${reasonFor(error)}.`,
    )
  }
  if (!stats.isDirectory()) {
    throw new FolderRefused(
      'invalid-arguments',
      `${label} ${absolute} is ${kindOf(stats)}, not a folder.`,
    )
  }
  const system = systemFolderReason(absolute)
  if (system)
    throw new FolderRefused('invalid-arguments', `${label} ${absolute} cannot be used: ${system}.`)
  return absolute
}

/** The nearest part of `absolute` (itself or a parent) that exists, with its stats. */
function nearestExisting(absolute: string): { dir: string; stats: fs.Stats } {
  let dir = absolute
  for (;;) {
    try {
      return { dir, stats: fs.statSync(dir) }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const parent = path.dirname(dir)
      // ENOTDIR: a parent is a file; found on the way up, and reported below.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === dir) throw error
      dir = parent
    }
  }
}

/**
 * A folder to write in (a library, an export destination): it is an existing writable folder,
 * or one that can be created inside one, on a real file system. Nothing is created here.
 * Returns its absolute path.
 */
export function checkFolderToWrite(folder: string, label: string): string {
  const absolute = path.resolve(folder)
  let found: { dir: string; stats: fs.Stats }
  try {
    found = nearestExisting(absolute)
  } catch (error) {
    throw new FolderRefused(
      'invalid-arguments',
      `${label} ${absolute} cannot be used: ${reasonFor(error)}.`,
    )
  }
  const { dir, stats } = found
  if (!stats.isDirectory()) {
    const where =
      dir === absolute
        ? `${label} ${absolute} is`
        : `${dir}, part of ${label.toLowerCase()} ${absolute}, is`
    throw new FolderRefused('invalid-arguments', `${where} ${kindOf(stats)}, not a folder.`)
  }
  const system = systemFolderReason(dir)
  if (system) {
    throw new FolderRefused('invalid-arguments', `${label} ${absolute} cannot be used: ${system}.`)
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK)
  } catch (error) {
    const what = dir === absolute ? '' : ` (in ${dir})`
    throw new FolderRefused(
      'invalid-arguments',
      `${label} ${absolute} cannot be written${what}: ${reasonFor(error)}.`,
    )
  }
  return absolute
}

/** ENOENT and ENOTDIR (a parent is a file) both mean "not there": the walk goes up. */
function missingOrThrow(error: unknown): null {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return null
  throw error
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file)
  } catch (error) {
    return missingOrThrow(error)
  }
}

/**
 * Creates `folder` and any missing parents one level at a time. Unlike `mkdir -p` in Node
 * (which retries forever where mkdir answers ENOENT for a parent that exists, as in /proc), it
 * always ends: at most one mkdir per part of the path.
 */
export function makeFolder(folder: string): void {
  const absolute = path.resolve(folder)
  const missing: string[] = []
  for (let dir = absolute; ; dir = path.dirname(dir)) {
    const stats = statOrNull(dir)
    if (stats?.isDirectory()) break
    if (stats)
      throw new FolderRefused('invalid-arguments', `${dir} is ${kindOf(stats)}, not a folder.`)
    if (path.dirname(dir) === dir) break
    missing.push(dir)
  }
  for (const dir of missing.reverse()) {
    try {
      fs.mkdirSync(dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(dir).isDirectory())
        continue
      throw error
    }
  }
}

/** makeFolder for async code: the same bounded steps, off the main thread. */
export async function makeFolderAsync(folder: string): Promise<void> {
  const absolute = path.resolve(folder)
  const missing: string[] = []
  for (let dir = absolute; ; dir = path.dirname(dir)) {
    const stats = await fs.promises.stat(dir).catch(missingOrThrow)
    if (stats?.isDirectory()) break
    if (stats)
      throw new FolderRefused('invalid-arguments', `${dir} is ${kindOf(stats)}, not a folder.`)
    if (path.dirname(dir) === dir) break
    missing.push(dir)
  }
  for (const dir of missing.reverse()) {
    try {
      await fs.promises.mkdir(dir)
    } catch (error) {
      const exists = (error as NodeJS.ErrnoException).code === 'EEXIST'
      if (exists && (await fs.promises.stat(dir)).isDirectory()) continue
      throw error
    }
  }
}
