import fs from 'node:fs/promises'
import type { ExportMode } from '../../shared/contract'

/** Thrown when a target name is already in use: the caller picks another name. */
export class TargetTaken extends Error {
  constructor(readonly target: string) {
    super(`${target} already exists`)
  }
}

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
    await fs.link(from, to)
  } catch (error) {
    if (code(error) === 'EEXIST') throw new TargetTaken(to)
    throw error
  }
}

export function partialName(target: string): string {
  return `${target}.kindred-partial`
}

/**
 * Copies through a temporary name and then links it into place, so a crash never leaves a
 * half-written file under the real name and an existing file is never replaced.
 */
async function copyNoOverwrite(source: string, target: string): Promise<void> {
  const partial = partialName(target)
  await fs.rm(partial, { force: true })
  await fs.copyFile(source, partial, fs.constants.COPYFILE_EXCL)
  try {
    await linkNoOverwrite(partial, target)
  } catch (error) {
    if (!linkUnsupported(error)) {
      await fs.rm(partial, { force: true })
      throw error
    }
    // No hard links here: check, then rename (the best such file systems offer).
    if (await exists(target)) {
      await fs.rm(partial, { force: true })
      throw new TargetTaken(target)
    }
    await fs.rename(partial, target)
    return
  }
  await fs.rm(partial, { force: true })
}

async function moveNoOverwrite(source: string, target: string): Promise<void> {
  try {
    await linkNoOverwrite(source, target)
  } catch (error) {
    if (!linkUnsupported(error)) throw error
    await copyNoOverwrite(source, target)
    const [a, b] = await Promise.all([fs.stat(source), fs.stat(target)])
    if (a.size !== b.size) throw new Error(`Copying ${source} to ${target} gave a different size.`)
  }
  await fs.unlink(source)
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file)
    return true
  } catch {
    return false
  }
}

/** Puts one photo at `target` the way `mode` says; never replaces an existing file. */
export async function placeFile(mode: ExportMode, source: string, target: string): Promise<void> {
  switch (mode) {
    case 'copy':
      return copyNoOverwrite(source, target)
    case 'hardlink':
      return linkNoOverwrite(source, target)
    case 'symlink':
      try {
        return await fs.symlink(source, target)
      } catch (error) {
        if (code(error) === 'EEXIST') throw new TargetTaken(target)
        throw error
      }
    case 'move':
      return moveNoOverwrite(source, target)
  }
}

/** Moves a file back where it came from (undo of a move), refusing to replace anything. */
export async function moveBack(target: string, source: string): Promise<void> {
  return moveNoOverwrite(target, source)
}

async function sameContent(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([fs.readFile(a), fs.readFile(b)])
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
    const t = await fs.lstat(target)
    if (mode === 'symlink') return t.isSymbolicLink() && (await fs.readlink(target)) === source
    const s = await fs.stat(source)
    if (mode === 'hardlink' || mode === 'move') return s.ino === t.ino && s.dev === t.dev
    return t.isFile() && s.size === t.size && (await sameContent(source, target))
  } catch {
    return false
  }
}
