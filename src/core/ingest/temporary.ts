/**
 * Files that editors, browsers and copy tools write while they work: they are renamed or
 * removed when done, and reading one finds half a photo (or a lock file) at best.
 */
import path from 'node:path'

/** Suffixes of files still being written: downloads, copies, editors' swap and lock files. */
const WORK_IN_PROGRESS = new Set([
  '.tmp',
  '.temp',
  '.part',
  '.partial',
  '.crdownload',
  '.download',
  '.filepart',
  '.!ut',
  '.swp',
  '.swx',
  '.kate-swp',
  '.lock',
  '.bak',
])

/** True for a name that is a temporary or backup copy rather than a photo. */
export function isTemporaryName(name: string): boolean {
  const lower = name.toLowerCase()
  return (
    lower.startsWith('~$') || // Office and some photo editors' lock files
    lower.endsWith('~') || // backups (gedit, emacs, GIMP's autosave)
    (lower.startsWith('#') && lower.endsWith('#')) ||
    WORK_IN_PROGRESS.has(path.extname(lower))
  )
}
