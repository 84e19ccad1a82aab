import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { ExportMode } from '../../shared/contract'
import { bytesOfPath, osPath } from '../library/paths'

/** Thrown when a target name is already in use: the caller picks another name. */
export class TargetTaken extends Error {
  constructor(readonly target: string) {
    super(`${target} already exists`)
  }
}

/** Called with a temporary file's name before it is created, so a journal can clean it up. */
export type PartialHook = (partial: string) => void

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

/** Hard links fail across drives and on file systems without them (FAT, exFAT, some shares). */
function linkUnsupported(error: unknown): boolean {
  return ['EXDEV', 'EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(code(error) ?? '')
}

/** `link` refuses an existing target atomically: the one safe no-overwrite rename there is. */
async function linkNoOverwrite(from: string, to: string): Promise<void> {
  try {
    await fs.link(osPath(from), osPath(to))
  } catch (error) {
    if (code(error) === 'EEXIST') throw new TargetTaken(to)
    throw error
  }
}

/**
 * A new temporary name beside `target`: hidden (an import never reads it) and random, so it is
 * never the name of a file someone else made.
 */
export function partialName(target: string): string {
  const name = `.${path.basename(target)}.${crypto.randomBytes(6).toString('hex')}.kindred-partial`
  return path.join(path.dirname(target), name)
}

/** Removes a file this export created, if it is still there. */
export async function removeOwnFile(file: string): Promise<void> {
  await fs.unlink(osPath(file)).catch((error: unknown) => {
    if (code(error) !== 'ENOENT') throw error
  })
}

/**
 * Copies `source` to a temporary file that this call creates. COPYFILE_EXCL opens it with
 * O_CREAT | O_EXCL, so an existing file is never truncated; a taken name gets another.
 */
async function copyToPartial(source: string, target: string, hook?: PartialHook): Promise<string> {
  for (;;) {
    const partial = partialName(target)
    hook?.(partial)
    try {
      await fs.copyFile(osPath(source), osPath(partial), fs.constants.COPYFILE_EXCL)
      return partial
    } catch (error) {
      if (code(error) !== 'EEXIST') {
        // A failed copy removes what it created; EEXIST means nothing of ours is there.
        throw error
      }
    }
  }
}

/**
 * Copies through a temporary name and then links it into place, so a crash never leaves a
 * half-written file under the real name and an existing file is never replaced.
 */
async function copyNoOverwrite(source: string, target: string, hook?: PartialHook): Promise<void> {
  // The dates before copying (reading updates the access time): photos without EXIF are dated
  // by their file, so the copy keeps them.
  const { atimeMs, mtimeMs } = await fs.stat(osPath(source))
  const partial = await copyToPartial(source, target, hook)
  try {
    // In seconds with the fraction (a Date would drop what is below the millisecond).
    await fs.utimes(osPath(partial), atimeMs / 1000, mtimeMs / 1000)
    try {
      await linkNoOverwrite(partial, target)
    } catch (error) {
      if (!linkUnsupported(error)) throw error
      // No hard links here: check, then rename (the best such file systems offer).
      if (await exists(target)) throw new TargetTaken(target)
      await fs.rename(osPath(partial), osPath(target))
    }
  } finally {
    await removeOwnFile(partial)
  }
}

async function moveNoOverwrite(source: string, target: string, hook?: PartialHook): Promise<void> {
  try {
    await linkNoOverwrite(source, target)
  } catch (error) {
    if (!linkUnsupported(error)) throw error
    await copyNoOverwrite(source, target, hook)
    const [a, b] = await Promise.all([fs.stat(osPath(source)), fs.stat(osPath(target))])
    if (a.size !== b.size) throw new Error(`Copying ${source} to ${target} gave a different size.`)
  }
  await fs.unlink(osPath(source))
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(osPath(file))
    return true
  } catch {
    return false
  }
}

/** Puts one photo at `target` the way `mode` says; never replaces an existing file. */
export async function placeFile(
  mode: ExportMode,
  source: string,
  target: string,
  hook?: PartialHook,
): Promise<void> {
  switch (mode) {
    case 'copy':
      return copyNoOverwrite(source, target, hook)
    case 'hardlink':
      return linkNoOverwrite(source, target)
    case 'symlink':
      try {
        return await fs.symlink(osPath(source), osPath(target))
      } catch (error) {
        if (code(error) === 'EEXIST') throw new TargetTaken(target)
        throw error
      }
    case 'move':
      return moveNoOverwrite(source, target, hook)
  }
}

/** Moves a file back where it came from (undo of a move), refusing to replace anything. */
export async function moveBack(target: string, source: string, hook?: PartialHook): Promise<void> {
  return moveNoOverwrite(target, source, hook)
}

async function sameContent(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([fs.readFile(osPath(a)), fs.readFile(osPath(b))])
  return x.equals(y)
}

/**
 * Whether `target` is exactly what placing `source` with `mode` makes: lets a resumed export
 * recognise a file it placed just before it was interrupted, and an undo remove only its own
 * files (never a file that is the last copy of a photo).
 */
export async function isOurPlacement(
  mode: ExportMode,
  source: string,
  target: string,
): Promise<boolean> {
  try {
    const t = await fs.lstat(osPath(target))
    if (mode === 'symlink') {
      const link = await fs.readlink(osPath(target), { encoding: 'buffer' })
      return t.isSymbolicLink() && link.equals(bytesOfPath(source))
    }
    const s = await fs.stat(osPath(source))
    if (mode === 'hardlink' || mode === 'move') return s.ino === t.ino && s.dev === t.dev
    return t.isFile() && s.size === t.size && (await sameContent(source, target))
  } catch {
    return false
  }
}
