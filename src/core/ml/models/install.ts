import fs from 'node:fs'
import path from 'node:path'
import { checkFolderToRead, kindOf } from '../../fs/user-folders'
import { downloadFile } from './download'
import { requireModel, type ModelEntry } from './registry'
import { sha256File } from './verify'

export interface InstallOptions {
  /** A folder (holding `<id>/` or the model's files) or an http(s) URL of such a folder. */
  from: string
  /** Where models are installed: one sub-folder per model (the library's models folder). */
  modelsDir: string
  signal?: AbortSignal
  /** Bytes done of all files, and the model's total size. */
  onProgress?(bytes: number, total: number): void
}

export interface InstallResult {
  id: string
  dir: string
  files: number
  bytes: number
}

function isUrl(from: string): boolean {
  return /^https?:\/\//i.test(from)
}

/** The folder's own files, or its `<id>/` sub-folder when that is where they are. */
function sourceFolder(from: string, entry: ModelEntry): string {
  const root = path.resolve(from)
  if (!fs.existsSync(root)) throw new Error(`${root} does not exist`)
  checkFolderToRead(root, 'The model folder')
  const nested = path.join(root, entry.id)
  const first = entry.files[0]?.name ?? ''
  if (fs.existsSync(path.join(nested, first))) return nested
  return root
}

/** `.../models/` gets `<id>/` appended; a URL already ending in the id is the model's folder. */
function sourceUrl(from: string, entry: ModelEntry): string {
  const url = new URL(from)
  const segments = url.pathname.split('/').filter(Boolean)
  if (segments.at(-1) !== entry.id) segments.push(entry.id)
  url.pathname = `/${segments.join('/')}/`
  return url.toString()
}

async function copyVerified(source: string, dest: string, sha256: string): Promise<void> {
  const stats = fs.statSync(source, { throwIfNoEntry: false })
  if (!stats) throw new Error(`${source} is missing`)
  // Copying from a FIFO or a device would block the engine forever.
  if (!stats.isFile()) throw new Error(`${source} is ${kindOf(stats)}, not a model file`)
  fs.copyFileSync(source, `${dest}.partial`)
  const actual = await sha256File(`${dest}.partial`)
  if (actual !== sha256) {
    fs.rmSync(`${dest}.partial`, { force: true })
    throw new Error(
      `${source} is damaged or not the expected file (sha256 ${actual}, expected ${sha256})`,
    )
  }
  fs.renameSync(`${dest}.partial`, dest)
}

/**
 * Installs a model into `modelsDir/<id>`, verifying every file's sha256. Files are staged in
 * `modelsDir/.<id>.staging` (kept between runs, so an interrupted download resumes) and the
 * folder only appears under its real name once every file is verified.
 */
export async function installModel(id: string, options: InstallOptions): Promise<InstallResult> {
  const entry = requireModel(id)
  const staging = path.join(options.modelsDir, `.${id}.staging`)
  const target = path.join(options.modelsDir, id)
  fs.mkdirSync(staging, { recursive: true })
  const remote = isUrl(options.from)
  const base = remote ? sourceUrl(options.from, entry) : sourceFolder(options.from, entry)
  let done = 0
  for (const file of entry.files) {
    options.signal?.throwIfAborted()
    const dest = path.join(staging, file.name)
    if (fs.existsSync(dest) && (await sha256File(dest)) === file.sha256) {
      done += fs.statSync(dest).size
      options.onProgress?.(done, entry.bytes)
      continue
    }
    if (remote) {
      const before = done
      await downloadFile(new URL(file.name, base).toString(), dest, {
        sha256: file.sha256,
        signal: options.signal,
        onProgress: (bytes) => options.onProgress?.(before + bytes, entry.bytes),
      })
    } else {
      await copyVerified(path.join(base, file.name), dest, file.sha256)
    }
    done += fs.statSync(dest).size
    options.onProgress?.(done, entry.bytes)
  }
  fs.rmSync(target, { recursive: true, force: true })
  fs.renameSync(staging, target)
  return { id, dir: target, files: entry.files.length, bytes: done }
}
