/** An import's first half: list the files under the folders, then decide which to read. */
import { scanFolder, type ScannedFile } from './scan'
import type { KnownPhoto, PhotoWrite } from './store'
import type { ImportOptions, ImportSummary } from './types'

export interface Task {
  file: ScannedFile
  folderId: number
  known: KnownPhoto | undefined
}

export async function scanAll(
  roots: string[],
  folderIds: number[],
  libraryDir: string,
  summary: ImportSummary,
  options: ImportOptions,
): Promise<{ file: ScannedFile; folderId: number }[]> {
  const byPath = new Map<string, { file: ScannedFile; folderId: number }>()
  options.onProgress?.('scan-folders', 0, roots.length)
  for (const [i, root] of roots.entries()) {
    const result = await scanFolder(root, libraryDir)
    // Overlapping folders (one inside another) list a file twice: keep the first.
    for (const file of result.files) {
      if (!byPath.has(file.path)) byPath.set(file.path, { file, folderId: folderIds[i]! })
    }
    summary.failed.push(...result.problems)
    summary.ignored += result.ignored
    options.onProgress?.('scan-folders', i + 1, roots.length)
  }
  return [...byPath.values()]
}

/**
 * Decides per file: skip (unchanged), bring back (missing, now present again) or read. A file
 * whose header showed it is no photo is not read again while its size and mtime stay the same
 * (an 8 GB video named .jpg would be read on every import); it is listed as failed again.
 */
export function planWork(
  scanned: { file: ScannedFile; folderId: number }[],
  known: Map<string, KnownPhoto>,
  pending: PhotoWrite[],
  summary: ImportSummary,
): Task[] {
  const tasks: Task[] = []
  for (const { file, folderId } of scanned) {
    const row = known.get(file.path)
    // Failed files are tried again: a newer decoder or fixed permissions may succeed now.
    const same =
      row && row.size === file.size && row.mtimeMs === file.mtimeMs && row.status !== 'failed'
    const judged =
      row?.notAPhoto && row.size === file.size && row.mtimeMs === file.mtimeMs && !file.notRegular
    if (same) {
      if (row.status === 'missing') pending.push({ kind: 'restored', id: row.id })
      summary.unchanged++
    } else if (judged) {
      summary.failed.push({ path: file.path, error: row.error ?? 'Not a photo.' })
    } else {
      tasks.push({ file, folderId: row?.folderId ?? folderId, known: row })
    }
  }
  return tasks
}
